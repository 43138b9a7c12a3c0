"""The Solr fields of a document: the only Python module that names fields of solr/configset/conf/schema.xml.

to_solr is the one way a Document becomes a Solr document, from_solr the way back from a hit's
stored fields. A document's text goes into the fields of its language (English for anything but
Spanish), as in the whoosh index. May import: models, ranking.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from library.models import Document
from library.ranking import DEFAULT, FIELD_KINDS

LANGS = ("en", "es")
TITLE = {lang: f"title_{lang}" for lang in LANGS}
SUMMARY = {lang: f"summary_{lang}" for lang in LANGS}
BODY = {lang: f"body_{lang}" for lang in LANGS}
TEXT_FIELDS = (*TITLE.values(), *SUMMARY.values(), *BODY.values())
# The title, summary and body as one field that ranks (BM25F): each part repeated as many times
# as the ranking policy weighs it, so its words count that many times and the field's length is
# their weighted sum, as in BM25F with one length normalisation. Lucene's CombinedFieldQuery does
# this at query time, but no Solr query parser offers it without a plugin.
RANKED = {lang: f"ranked_{lang}" for lang in LANGS}
REPEATS = {kind: round(DEFAULT.weight(kind)) for kind in FIELD_KINDS}

ID = "id"
DATE = "date"
DATE_SORT = "date_sort"
TITLE_SORT = "title_sort"
SPELL = "spell"
TOPIC_MATCH = "topic_match"  # matches the ids of the topics a query names (see schema.xml)
TRANSLATION_OF = "translation_of"  # finds the editions that name a publication as their original
BLOCKS = "blocks"  # the text's blocks as JSON, for the reading view
PAGE_STARTS = "page_starts"  # where each PDF page begins in the body
NO_DATE = "0000"  # sorts an undated document after every dated one, newest first

# Facet name (as in library.schema.FACETS) -> Solr field.
FACET_FIELDS = {
    "topic": "topic",
    "audience": "audience",
    "type": "type",
    "year": "year",
    "language": "language",
}
_META = (
    "path",
    "format",
    "source_url",
    "page_count",
    "file_size",
    "has_text",
    "summary_inferred",
    "authors",
    TRANSLATION_OF,
)
# What a hit must return to rebuild its Document (WHOLE adds the text and its structure).
STORED = (ID, DATE, *FACET_FIELDS.values(), *_META, *TITLE.values(), *SUMMARY.values())
WHOLE = (*STORED, *BODY.values(), BLOCKS, PAGE_STARTS)


def index_language(lang: str) -> str:
    """The analysed language of a document language (English for anything not analysed)."""
    return lang if lang in LANGS else "en"


def to_solr(doc: Document) -> dict[str, Any]:
    """The Solr document of a Document; empty values are left out (no empty facet values)."""
    lang = index_language(doc.language)
    fields: dict[str, Any] = {
        ID: doc.id,
        TITLE[lang]: doc.title,
        SUMMARY[lang]: doc.summary,
        BODY[lang]: doc.body,
        RANKED[lang]: [
            text
            for kind, text in (("title", doc.title), ("summary", doc.summary), ("body", doc.body))
            if text
            for _ in range(REPEATS[kind])
        ],
        DATE: doc.date,
        DATE_SORT: doc.date or NO_DATE,
        "topic": list(doc.topics),
        "audience": list(doc.audiences),
        "type": doc.type,
        "year": doc.year,
        "language": doc.language,
        "path": doc.path,
        "format": doc.format,
        "source_url": doc.source_url,
        "page_count": doc.page_count,
        "file_size": doc.file_size,
        "has_text": doc.has_text,
        "summary_inferred": doc.summary_inferred or None,
        "authors": list(doc.authors),
        TRANSLATION_OF: doc.translation_of,
        BLOCKS: json.dumps(doc.blocks, ensure_ascii=False) if doc.blocks else None,
        PAGE_STARTS: list(doc.page_starts),
    }
    return {name: value for name, value in fields.items() if value not in ("", [], None)}


def from_solr(stored: Mapping[str, Any]) -> Document:
    """Rebuild a Document from a hit's stored fields (its body and blocks when the hit carries
    them)."""
    lang = index_language(str(stored.get("language", "en")))
    return Document(
        id=str(stored[ID]),
        title=str(stored.get(TITLE[lang], "")),
        path=str(stored.get("path", "")),
        format=str(stored.get("format", "")),
        body=str(stored.get(BODY[lang], "")),
        summary=str(stored.get(SUMMARY[lang], "")),
        date=str(stored.get(DATE, "")),
        type=str(stored.get("type", "")),
        topics=tuple(stored.get("topic", ())),
        audiences=tuple(stored.get("audience", ())),
        language=str(stored.get("language", "en")),
        source_url=str(stored.get("source_url", "")),
        page_count=stored.get("page_count"),
        file_size=int(stored.get("file_size", 0)),
        has_text=bool(stored.get("has_text", True)),
        summary_inferred=bool(stored.get("summary_inferred", False)),
        authors=tuple(stored.get("authors", ())),
        translation_of=str(stored.get(TRANSLATION_OF, "")),
        blocks=tuple((str(kind), str(text)) for kind, text in json.loads(stored.get(BLOCKS, "[]"))),
        page_starts=tuple(int(start) for start in stored.get(PAGE_STARTS, ())),
    )
