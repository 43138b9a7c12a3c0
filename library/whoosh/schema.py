"""The one Whoosh schema: the only module that names index fields.

Bump SCHEMA_VERSION whenever a field or analyzer changes; open_index then asks for a rebuild.
May import: models, facets, whoosh.analysis, whoosh.
"""

from __future__ import annotations

from typing import Any

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from library.facets import FACETS
from library.models import Document
from library.whoosh.analysis import Postings, analyzer, postings

SCHEMA_VERSION = 6

# Text fields per language: a Spanish document is analysed with Spanish stemming and stop words.
LANGS = ("en", "es")
TITLE = {"en": "title", "es": "title_es"}
SUMMARY = {"en": "summary", "es": "summary_es"}
BODY = {"en": "body", "es": "body_es"}

ID_FIELD = "id"
STORED_META = "meta"
STORED_BODY = "text"
STORED_BLOCKS = "blocks"  # the text's headings, paragraphs and lists, for the reading view
STORED_PAGES = "pages"  # where each PDF page starts in the stored text
DATE_SORT = "date_sort"
TITLE_SORT = "title_sort"
TRANSLATION_OF = "translation_of"  # finds the editions that name a publication as their original


class LangText(TEXT):  # type: ignore[misc]
    """A TEXT field that also takes Postings analysed ahead of time (by an ingest worker)."""

    def index(self, value: Any, **kwargs: Any) -> Any:
        """Ready postings pass straight through; text is analysed as usual."""
        if isinstance(value, Postings):
            return iter(value)
        return super().index(value, **kwargs)

    def spellable_words(self, value: Any) -> Any:
        """Ready postings carry their own unstemmed words."""
        if isinstance(value, Postings):
            return iter(value.spelling)
        return super().spellable_words(value)


def build_schema() -> Schema:
    """The schema every index is created with."""
    fields: dict[str, Any] = {
        ID_FIELD: ID(unique=True, stored=True),
        STORED_META: STORED,
        STORED_BODY: STORED,
        STORED_BLOCKS: STORED,
        STORED_PAGES: STORED,
        DATE_SORT: ID(sortable=True),
        TITLE_SORT: ID(sortable=True),
        TRANSLATION_OF: ID(),
    }
    for lang in LANGS:
        ana = analyzer(lang)
        fields[TITLE[lang]] = LangText(analyzer=ana, spelling=True)
        fields[SUMMARY[lang]] = LangText(analyzer=ana)
        fields[BODY[lang]] = LangText(analyzer=ana, spelling=True)
    for spec in FACETS:
        fields[spec.field] = KEYWORD(commas=True) if spec.multi else ID()
    return Schema(**fields)


def index_language(lang: str) -> str:
    """The analysed language used for a document language (English for anything not analysed)."""
    return lang if lang in LANGS else "en"


def to_fields(doc: Document, analysed: bool = False) -> dict[str, Any]:
    """The whoosh field values of a document; with analysed, text fields come as Postings."""
    lang = index_language(doc.language)
    text: Any = (lambda value: postings(value, lang)) if analysed else (lambda value: value)
    fields = {
        ID_FIELD: doc.id,
        STORED_META: doc.metadata(),
        STORED_BODY: doc.body,
        STORED_BLOCKS: [list(block) for block in doc.blocks] or "",
        STORED_PAGES: list(doc.page_starts) if len(doc.page_starts) > 1 else "",
        DATE_SORT: doc.date or "0000",
        TITLE_SORT: doc.title.casefold(),
        TITLE[lang]: text(doc.title) if doc.title else "",
        # an inferred summary repeats the body's first lines: searching it would count them twice
        SUMMARY[lang]: text(doc.summary) if doc.summary and not doc.summary_inferred else "",
        BODY[lang]: text(doc.body) if doc.body else "",
        TRANSLATION_OF: doc.translation_of,
    }
    for spec in FACETS:  # a facet's values, comma-separated in a keyword field
        fields[spec.field] = ",".join(spec.values_of(getattr(doc, spec.attribute)))
    return {name: value for name, value in fields.items() if value != ""}  # no empty facet terms


def from_stored(stored: dict[str, Any], with_body: bool = False) -> Document:
    """Rebuild a Document from a hit's stored fields (with_body: its text and blocks too)."""
    meta = dict(stored[STORED_META])
    meta.pop("year", None)
    meta["topics"] = tuple(meta["topics"])
    meta["audiences"] = tuple(meta["audiences"])
    meta["authors"] = tuple(meta.get("authors", ()))
    if not with_body:
        return Document(**meta)
    blocks = tuple((str(kind), str(text)) for kind, text in stored.get(STORED_BLOCKS) or ())
    pages = tuple(stored.get(STORED_PAGES) or ())
    body = stored.get(STORED_BODY, "")
    return Document(**meta, body=body, blocks=blocks, page_starts=pages)
