"""The one Whoosh schema: the only module that names index fields.

Bump SCHEMA_VERSION whenever a field or analyzer changes; open_index then asks for a rebuild.
May import: models, whoosh.
"""

from __future__ import annotations

from typing import Any

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from library.models import Document

SCHEMA_VERSION = 1

# Text fields per language: a Spanish document is analysed with Spanish stemming and stop words.
LANGS = ("en", "es")
TITLE = {"en": "title", "es": "title_es"}
SUMMARY = {"en": "summary", "es": "summary_es"}
BODY = {"en": "body", "es": "body_es"}
TEXT_FIELDS = (*TITLE.values(), *SUMMARY.values(), *BODY.values())

ID_FIELD = "id"
STORED_META = "meta"
STORED_BODY = "text"
DATE_SORT = "date_sort"
TITLE_SORT = "title_sort"

# Facets in display order: facet name -> (index field, label).
FACETS: dict[str, tuple[str, str]] = {
    "topic": ("topic", "Topic"),
    "audience": ("audience", "Audience"),
    "type": ("type", "Type"),
    "year": ("year", "Year"),
    "language": ("language", "Language"),
}
NO_YEAR = "none"


def analyzer(lang: str) -> Analyzer:
    """Tokenise, lowercase, drop stop words, stem in lang, then fold accents."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | StopFilter(lang=lang)
        | StemFilter(lang=lang, cachesize=100_000)
        | CharsetFilter(accent_map)
    )


def build_schema() -> Schema:
    """The schema every index is created with."""
    fields: dict[str, Any] = {
        ID_FIELD: ID(unique=True, stored=True),
        STORED_META: STORED,
        STORED_BODY: STORED,
        DATE_SORT: ID(sortable=True),
        TITLE_SORT: ID(sortable=True),
    }
    for lang in LANGS:
        ana = analyzer(lang)
        fields[TITLE[lang]] = TEXT(analyzer=ana, spelling=True)
        fields[SUMMARY[lang]] = TEXT(analyzer=ana)
        fields[BODY[lang]] = TEXT(analyzer=ana, spelling=True)
    for name, (field, _label) in FACETS.items():
        multi = name in ("topic", "audience")
        fields[field] = KEYWORD(commas=True) if multi else ID()
    return Schema(**fields)


def index_language(lang: str) -> str:
    """The analysed language used for a document language (English for anything not analysed)."""
    return lang if lang in LANGS else "en"


def to_fields(doc: Document) -> dict[str, Any]:
    """The whoosh field values of a document."""
    lang = index_language(doc.language)
    year = doc.year
    fields = {
        ID_FIELD: doc.id,
        STORED_META: doc.metadata(),
        STORED_BODY: doc.body,
        DATE_SORT: doc.date or "0000",
        TITLE_SORT: doc.title.casefold(),
        TITLE[lang]: doc.title,
        SUMMARY[lang]: doc.summary,
        BODY[lang]: doc.body,
        "topic": ",".join(doc.topics),
        "audience": ",".join(doc.audiences),
        "type": doc.type,
        "year": str(year) if year else NO_YEAR,
        "language": doc.language,
    }
    return {name: value for name, value in fields.items() if value != ""}  # no empty facet terms


def from_stored(stored: dict[str, Any], with_body: bool = False) -> Document:
    """Rebuild a Document from a hit's stored fields."""
    meta = dict(stored[STORED_META])
    meta.pop("year", None)
    meta["topics"] = tuple(meta["topics"])
    meta["audiences"] = tuple(meta["audiences"])
    return Document(**meta, body=stored.get(STORED_BODY, "") if with_body else "")
