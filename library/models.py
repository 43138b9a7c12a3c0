"""Plain data shared by ingest, search and the web app: no whoosh, no Flask.

May import: stdlib, text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import quote

from library.text import CONTROL

MAX_QUERY_CHARS = 500
MAX_ID_CHARS = 500
MAX_TITLE_CHARS = 300
MAX_PER_PAGE = 100
MAX_PAGE = 1000
DEFAULT_PER_PAGE = 10


# A text's structure for reading: (kind, text) pairs; kind is h2, h3, h4, p, or ul / ol for one
# item of a list (consecutive items of one kind form one list). Plain text: escaped when shown.
Blocks = tuple[tuple[str, str], ...]


class Sort(StrEnum):
    """The orders a search can be sorted in."""

    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"
    TITLE = "title"


@dataclass(frozen=True, slots=True)
class Document:
    """One publication as indexed: metadata plus its extracted text."""

    id: str
    title: str
    path: str  # the original file, relative to the corpus root
    format: str  # pdf, html, txt or md
    body: str = ""
    summary: str = ""
    summary_inferred: bool = False  # taken from the text's first lines, not written for it
    date: str = ""  # YYYY-MM-DD, YYYY-MM or YYYY
    type: str = ""
    topics: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    language: str = "en"
    source_url: str = ""
    authors: tuple[str, ...] = ()  # named authors; none means the program itself
    page_count: int | None = None
    file_size: int = 0
    has_text: bool = True  # False for a metadata-only record (e.g. a scanned PDF)
    translation_of: str = ""  # id of the publication this one is another language's edition of
    blocks: Blocks = ()  # the text's headings, paragraphs and lists (web, text and Markdown files)
    page_starts: tuple[int, ...] = ()  # where each PDF page begins in body (kept with the body)

    @property
    def year(self) -> int | None:
        """The year of the publication date, if it has one."""
        return int(self.date[:4]) if self.date[:4].isdigit() else None

    def metadata(self) -> dict[str, Any]:
        """Everything but the body, its blocks and page starts, as JSON-ready values."""
        data = asdict(dataclasses.replace(self, body="", blocks=(), page_starts=()))
        del data["body"], data["blocks"], data["page_starts"]
        data["topics"] = list(self.topics)
        data["audiences"] = list(self.audiences)
        data["authors"] = list(self.authors)
        data["year"] = self.year
        return data


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A parsed, validated search: what the user asked for.

    facets holds the values picked of each value facet, by facet name (library.facets.FACETS:
    build it with library.facets.selected); the year facet is a range.
    """

    q: str = ""
    facets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    year_min: int | None = None
    year_max: int | None = None
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    exact: bool = False  # search for exactly the words typed, never a correction of them

    def values(self, facet: str) -> tuple[str, ...]:
        """The values picked of one facet."""
        return dict(self.facets).get(facet, ())

    def selections(self) -> dict[str, tuple[str, ...]]:
        """Values picked of each value facet, by facet name."""
        return dict(self.facets)

    @property
    def has_filters(self) -> bool:
        """True when any facet value or year bound is selected."""
        return bool(self.facets) or self.year_bounded

    @property
    def year_bounded(self) -> bool:
        """True when a year range is set."""
        return self.year_min is not None or self.year_max is not None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result row; snippet is HTML-safe (escaped text with <mark> around matches)."""

    id: str
    title: str
    type: str
    date: str
    year: int | None
    language: str
    topics: tuple[str, ...]
    audiences: tuple[str, ...]
    summary: str
    snippet: str
    score: float | None
    format: str = ""  # pdf, html, txt or md
    page_count: int | None = None
    page: int | None = None  # the PDF page the snippet's words are on
    partial: bool = False  # holds only some of the words typed (listed after the full matches)


@dataclass(frozen=True, slots=True)
class FacetValue:
    """One value of a facet with its count over all matching documents."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True, slots=True)
class Facet:
    """A facet (topic, audience, type, year, language) and its values."""

    name: str
    label: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Everything a search page or the JSON API shows."""

    request: SearchRequest
    total: int  # the documents the facets count: full matches (partial ones when fallback)
    hits: tuple[SearchHit, ...]
    facets: tuple[Facet, ...]
    suggestion: str | None = None  # "did you mean": a likelier query, not searched
    expansions: tuple[str, ...] = field(default=())
    partial: int = 0  # documents holding only some of the words, listed after the total
    fallback: bool = False  # no document holds enough of the words: these hold some of them
    corrected: str | None = None  # nothing matched what was typed: these are this query's

    @property
    def listed(self) -> int:
        """How many documents the pages list (full matches, then partial ones)."""
        return self.total + self.partial

    @property
    def pages(self) -> int:
        """How many pages the results fill."""
        return max(1, -(-self.listed // self.request.per_page))

    def facet(self, name: str) -> Facet:
        """The facet called name."""
        return next(f for f in self.facets if f.name == name)

    def to_dict(self, url_for: Callable[[str], str]) -> dict[str, Any]:
        """The /api/search JSON shape; url_for maps a document id to its URL."""
        req = self.request
        return {
            "query": req.q,
            "total": self.total,
            "page": req.page,
            "per_page": req.per_page,
            "results": [_hit_dict(hit, url_for) for hit in self.hits],
            "facets": {
                f.name: [
                    {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                    for v in f.values
                ]
                for f in self.facets
            },
            "suggestion": self.suggestion,
            "partial": self.partial,
            "fallback": self.fallback,
            "corrected": self.corrected,
        }


def _hit_dict(hit: SearchHit, url_for: Callable[[str], str]) -> dict[str, Any]:
    """One API result row."""
    return {
        "id": hit.id,
        "title": hit.title,
        "url": url_for(hit.id),
        "type": hit.type,
        "year": hit.year,
        "date": hit.date,
        "language": hit.language,
        "topics": list(hit.topics),
        "audiences": list(hit.audiences),
        "summary": hit.summary,
        "snippet": hit.snippet,
        "score": None if hit.score is None else round(hit.score, 4),
        "page": hit.page,
        "partial": hit.partial,
    }


def id_problem(doc_id: str) -> str | None:
    """Why no web address could serve a document id (its path without extension), or None."""
    if "\n" in doc_id or "\r" in doc_id:
        return "its name holds a line break"
    if CONTROL.search(doc_id):
        return "its name holds a control character"
    if "\\" in doc_id:
        return "its name holds a backslash"
    if any(not part or part.startswith(".") for part in doc_id.split("/")):
        return "a part of its path is empty or starts with a dot"
    if len(doc_id) > MAX_ID_CHARS:
        return f"its path is longer than {MAX_ID_CHARS} characters"
    return None


def document_url(doc_id: str) -> str:
    """The site-relative URL of a document's page (the API and the CLI print the same)."""
    return "/documents/" + quote(doc_id, safe="/")
