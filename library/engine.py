"""The engine seam: what an index engine (the embedded whoosh index, SolrCloud) does for the
library, and the plain values that cross it.

The read side takes a parsed query, the request's filters, sort and page and the ranking policy,
and gives back totals, ranked hits with the text snippets are made from, and facet counts; the
write side (begin, add segments, remove, publish) is driven by the ingest's worker pool through
opaque segment handles. Everything else (query parsing, the ranking policy, snippets, facet
labels, spelling policy, models, vocabulary) is the library's own and engine-neutral. An engine
ranks, counts and matches by itself, following the policy as closely as it can. May import:
models, query, ranking, vocab, caches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from library.models import Document, SearchRequest
from library.query import Analyse, ParsedQuery
from library.ranking import RankingPolicy


@dataclass(frozen=True, slots=True)
class EngineHit:
    """One ranked result: the document (its text included, for the snippet), its score, and
    whether it holds only some of the words. snippet is set by an engine that highlights by
    itself (HTML-safe: escaped text with <mark>); otherwise the library makes one from the text."""

    document: Document
    score: float | None
    partial: bool = False
    snippet: str | None = None


@dataclass(frozen=True, slots=True)
class EngineResult:
    """What an engine found for one request (one page of hits)."""

    total: int  # documents the facet counts describe (full matches, or partial in a fallback)
    partial: int  # partial matches listed after them
    fallback: bool
    hits: tuple[EngineHit, ...]
    counts: dict[str, Counter[str]] = field(default_factory=dict)  # facet name -> value counts


class Engine(Protocol):
    """The read side of one open index generation."""

    analyse: Analyse  # a word's indexed terms in one language, as this engine analyses text

    def search(
        self, parsed: ParsedQuery, request: SearchRequest, policy: RankingPolicy
    ) -> EngineResult:
        """Matches, counts and one page of ranked hits (request.sort, page and filters)."""

    def document(self, doc_id: str, with_body: bool = False) -> Document | None:
        """One document, or None."""

    def documents(self) -> Iterator[Document]:
        """Every live document's metadata (no text)."""

    def editions(self, doc: Document, limit: int) -> tuple[Document, ...]:
        """The documents naming doc as their translation_of."""

    def related(self, doc_id: str, limit: int) -> tuple[Document, ...] | None:
        """Documents most like one (None when it is not indexed)."""

    def frequency(self, word: str) -> int:
        """How many documents hold a word (any form of it), in any language."""

    def spelling_candidates(self, language: str) -> Callable[[str, int], Iterable[str]]:
        """The indexed words of a language within some edits of a word."""

    def damage(self) -> list[str]:
        """What is wrong with the generation (checked once), or []."""

    def close(self) -> None:
        """Release what the engine holds open."""


class SegmentWriter(Protocol):
    """Writes documents into a segment of a generation being built (in an ingest worker)."""

    postings_count: int  # what it holds in memory, for the pool's segment size

    def add(self, doc: Document) -> None:
        """Add or replace one document."""

    @property
    def doc_ids(self) -> list[str]:
        """The ids added so far."""

    def finish(self) -> Any:
        """Close the segment; an opaque, picklable handle for Update.add_segment (None if empty)."""

    def discard(self) -> None:
        """Abandon the segment."""


class Update(Protocol):
    """A new generation being written (in the ingest's parent process)."""

    path: Path

    def add_segment(self, segment: Any, doc_ids: Iterable[str]) -> None:
        """Include a finished segment, replacing older versions of its documents."""

    def remove(self, doc_id: str) -> None:
        """Remove one document by id."""

    def publish(self, manifest: dict[str, Any], vocabulary: Any, corpus_dir: Path) -> None:
        """Commit and make the generation live atomically."""

    def abort(self) -> None:
        """Drop everything written."""
