"""Words on the pages that depend on the language: the site's name, facet and sort labels,
language names and the vocabulary's terms in the page's language.

Facets come from the library with English labels; pages show them through these helpers, so a
Spanish page says "Tema" and "Guía". May import: flask, flask_babel, library.vocab, i18n,
index_access.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext

from library.vocab import Term
from webapp import i18n
from webapp.index_access import get_index

DEFAULT_SITE_NAME = "MECP Resource Library"
_SITE_NAME = lazy_gettext("MECP Resource Library")
FACET_LABELS = {
    "topic": lazy_gettext("Topic"),
    "audience": lazy_gettext("Audience"),
    "type": lazy_gettext("Type"),
    "year": lazy_gettext("Year"),
    "language": lazy_gettext("Language"),
}
SORT_LABELS = {
    "relevance": lazy_gettext("Best match"),
    "newest": lazy_gettext("Newest first"),
    "oldest": lazy_gettext("Oldest first"),
    "title": lazy_gettext("Title A–Z"),
}
LANGUAGE_NAMES = {"en": lazy_gettext("English"), "es": lazy_gettext("Spanish")}
# A link to another edition is worded in that edition's language, whatever the page's language:
# a parent who reads only Spanish must recognise it on an English page.
READ_IN = {"en": "Read in English", "es": "Leer en español"}
_UNDATED = lazy_gettext("Undated")
_KINDS = {"topic": "topics", "audience": "audiences", "type": "types"}


def site_name() -> str:
    """The site's name in the page's language (a configured name is shown as it is)."""
    name = str(current_app.config.get("SITE_NAME", DEFAULT_SITE_NAME))
    return str(_SITE_NAME) if name == DEFAULT_SITE_NAME else name


def facet_label(name: str) -> str:
    """'Topic', 'Tema', ... for a facet name."""
    label = FACET_LABELS.get(name)
    return str(label) if label is not None else name


def sort_options() -> list[tuple[str, str]]:
    """(value, label) of each sort order, in menu order."""
    return [(value, str(label)) for value, label in SORT_LABELS.items()]


def language_name(code: str) -> str:
    """A document language's name in the page's language: 'Spanish' or 'Español'."""
    label = LANGUAGE_NAMES.get(code)
    return str(label) if label is not None else code


def read_in(code: str) -> str:
    """'Read in English' / 'Leer en español': the link to an edition in that language."""
    return READ_IN.get(code, f"{language_name(code)} ({code})")


def term(kind: str, term_id: str) -> str:
    """The label of a topic, audience or type in the page's language (kind: 'topics' or 'topic')."""
    vocabulary = get_index().vocabulary
    return vocabulary.label(_KINDS.get(kind, kind), term_id, i18n.current())


def description(kind: str, term_id: str) -> str:
    """The description of a term in the page's language, '' when it has none."""
    found: Term | None = get_index().vocabulary.kind(_KINDS.get(kind, kind)).get(term_id)
    if found is None:
        return ""
    return found.describe(i18n.current())


def facet_value_label(facet: str, value: str, fallback: str) -> str:
    """A facet value's label in the page's language; fallback for years and 'none'."""
    if facet in _KINDS:
        return term(facet, value)
    if facet == "language":
        return language_name(value)
    if facet == "year" and not value.isdigit():
        return str(_UNDATED)
    return fallback
