"""The embedded whoosh index as the library's engine (library.engine.Engine): one open generation.

Searchers are opened once per thread (opening one costs tens of milliseconds; they are not safe
to share between threads) and closed when the engine is collected: a request holds its
LibraryIndex (and so this engine) while it uses one, and nothing points back at the engine, so it
goes the moment the last request using it ends. When the engine is collected with a reference
cycle around it (a Flask app holding it), a weakref finalizer closes the searchers before the
collector finalizes their files, in whatever order. May import: generations, caches, engine, errors, models, query, ranking, spelling
terms of whoosh.schema, whoosh.analysis, whoosh.searching, whoosh.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Or, Term

from library import generations
from library.caches import GenerationCaches
from library.engine import EngineResult
from library.errors import IndexUnavailable
from library.models import Document, SearchRequest
from library.query import ParsedQuery
from library.ranking import RankingPolicy
from library.whoosh.analysis import analyse_word
from library.whoosh.schema import (
    BODY,
    ID_FIELD,
    LANGS,
    SCHEMA_VERSION,
    TITLE,
    TRANSLATION_OF,
    from_stored,
    index_language,
)

RELATED_TEXT_CHARS = 20_000
RELATED_TERMS = 12


class WhooshEngine:
    """One open, read-only whoosh generation."""

    analyse = staticmethod(analyse_word)

    def __init__(self, path: Path, ix: Any, caches: GenerationCaches) -> None:
        """Keep the opened index; searchers open on first use in each thread."""
        self.path = path
        self.ix = ix
        self.caches = caches
        self._local = threading.local()
        self._searchers: list[Any] = []
        self._damage: list[str] | None = None
        # Not __del__: the garbage collector finalizes a cycle's objects in no set order, and may
        # reach the searchers' open files first; weakref callbacks all run before any of that.
        weakref.finalize(self, _close_searchers, self._searchers)

    def close(self) -> None:
        """Close every searcher now (no thread may use this engine afterwards)."""
        _close_searchers(self._searchers)

    def searcher(self) -> Any:
        """This thread's searcher, opened once: a generation never changes once published."""
        found = getattr(self._local, "searcher", None)
        if found is None:
            found = self._local.searcher = self.ix.searcher(weighting=scoring.BM25F())
            self._searchers.append(found)
        return found

    def search(
        self, parsed: ParsedQuery, request: SearchRequest, policy: RankingPolicy
    ) -> EngineResult:
        """Matches, disjunctive facet counts and one page of ranked hits."""
        from library.whoosh.searching import search

        return search(self, parsed, request, policy)

    def document(self, doc_id: str, with_body: bool = False) -> Document | None:
        """One document by id, or None."""
        stored = self.searcher().document(**{ID_FIELD: doc_id})
        return from_stored(stored, with_body=with_body) if stored is not None else None

    def documents(self) -> Iterator[Document]:
        """Every live document's metadata (no text)."""
        reader = self.searcher().reader()
        for docnum in reader.all_doc_ids():
            yield from_stored(reader.stored_fields(docnum))

    def editions(self, doc: Document, limit: int) -> tuple[Document, ...]:
        """The documents naming doc as their translation_of."""
        hits = self.searcher().search(Term(TRANSLATION_OF, doc.id), limit=limit)
        return tuple(from_stored(hit.fields()) for hit in hits)

    def related(self, doc_id: str, limit: int) -> tuple[Document, ...] | None:
        """Publications most like one: its key terms (whoosh's Bo1 model) and its topics."""
        searcher = self.searcher()
        docnum = searcher.document_number(**{ID_FIELD: doc_id})
        if docnum is None:
            return None
        doc = from_stored(searcher.stored_fields(docnum), with_body=True)
        field = BODY[index_language(doc.language)]
        text = f"{doc.title}\n{doc.summary}\n{doc.body[:RELATED_TEXT_CHARS]}"
        terms = searcher.key_terms_from_text(field, text, numterms=RELATED_TERMS)
        clauses = [Term(field, term, boost=weight) for term, weight in terms]
        clauses += [Term("topic", topic, boost=0.5) for topic in doc.topics]
        if not clauses:
            return ()
        results = searcher.search(Or(clauses), limit=limit + 1, mask={docnum})
        return tuple(from_stored(hit.fields()) for hit in results[:limit])

    def frequency(self, word: str) -> int:
        """How many documents hold a word (any form of it) in a title or body, any language."""
        reader = self.searcher().reader()
        return self.caches.frequencies.get(
            word,
            lambda: max(
                (
                    int(reader.doc_frequency(fields[lang], stem))
                    for lang in LANGS
                    for stem in analyse_word(lang, word)[:1]
                    for fields in (TITLE, BODY)
                ),
                default=0,
            ),
        )

    def spelling_candidates(self, language: str) -> Callable[[str, int], Iterable[str]]:
        """The indexed words of a language (titles and bodies) within some edits of a word."""
        reader = self.searcher().reader()
        fields = [f"spell_{TITLE[language]}", f"spell_{BODY[language]}"]

        def candidates(word: str, edits: int) -> Iterable[str]:
            for field in fields:
                yield from reader.terms_within(field, word, edits, prefix=1)

        return candidates

    def damage(self) -> list[str]:
        """What is wrong with this generation's files (checked once, checksums included)."""
        if self._damage is None:
            self._damage = generations.damage(self.path)
        return self._damage


def _close_searchers(searchers: list[Any]) -> None:
    """Close and forget the searchers opened so far."""
    while searchers:
        with contextlib.suppress(Exception):
            searchers.pop().close()


def open_engine(
    root: Path, path: Path, meta: dict[str, Any], caches: GenerationCaches
) -> WhooshEngine:
    """Open a generation read-only; refuse one with another schema version or damaged files."""
    version = meta.get("schema_version")
    if version != SCHEMA_VERSION:
        raise IndexUnavailable(
            f"the index at {root} has schema version {version}, this version of the library "
            f"needs {SCHEMA_VERSION}: run `mecp ingest --rebuild`"
        )
    problems = generations.damage(path, checksums=False)
    if problems:
        raise IndexUnavailable(
            f"the index at {root} is damaged ({'; '.join(problems[:3])}): "
            "run `mecp ingest` to rebuild it (`mecp check` tells what is wrong)"
        )
    try:
        # Read with file reads, not whoosh's default memory map of each segment: a map counts
        # every page a search touches (postings, stored text) in the server's resident memory,
        # once per open searcher, which grows with the index (measured: 80 vs 220 MB at 1,000
        # documents for one searcher) for at most a few per cent of search time.
        ix = FileStorage(str(path), supports_mmap=False, readonly=True).open_index()
    except (OSError, whoosh_index.IndexError) as exc:
        raise IndexUnavailable(f"cannot open the index at {root}: {exc}") from exc
    return WhooshEngine(path, ix, caches)


def check(path: Path, meta: dict[str, Any]) -> list[str]:
    """Verify a generation: files present and intact, readable by whoosh, count as recorded."""
    problems = generations.damage(path)
    if meta.get("schema_version") != SCHEMA_VERSION:
        problems.append(f"schema version {meta.get('schema_version')}, not {SCHEMA_VERSION}")
    if problems:
        return problems
    try:
        count = _read_everything(path)
    except Exception as exc:  # whoosh raises many kinds of error on damaged files
        return [f"whoosh cannot read it ({type(exc).__name__}: {exc})"]
    if count != meta.get("documents"):
        return [f"{count} documents, {meta.get('documents')} were recorded"]
    return []


def _read_everything(path: Path) -> int:
    """Open a generation with whoosh and read every stored document and term; the live count."""
    ix = FileStorage(str(path), supports_mmap=False, readonly=True).open_index()
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for _fields in reader.all_stored_fields():
            pass
        for _term in reader.all_terms():
            pass
        return int(searcher.doc_count())
