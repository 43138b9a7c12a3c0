"""One collection end to end: ingest it with `mecp ingest`, run its queries, score both rankings.

May import: stdlib, library, bench.relevance.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.relevance import collection as collections
from bench.relevance.metrics import Scores, evaluate
from bench.relevance.reference import bm25_run
from library.index import LibraryIndex, open_index
from library.models import MAX_PER_PAGE, SearchRequest
from library.search import get_document, search

WORK = collections.REPO / "bench" / "work" / "relevance"
Searcher = Callable[[LibraryIndex, str], list[str]]


@dataclass(frozen=True, slots=True)
class Outcome:
    """The library's scores and the reference's on one collection."""

    name: str
    queries: int
    library: Scores
    reference: Scores
    seconds: float


def ingest(collection: collections.Collection, work: Path = WORK) -> Path:
    """Write the collection as a corpus and index it through the production command."""
    corpus = collections.write_corpus(collection, work / collection.name / "corpus")
    index = work / collection.name / "index"
    done = subprocess.run(
        [sys.executable, "-m", "mecp", "ingest", "-q", "--corpus", str(corpus), "--index",
         str(index)],
        cwd=collections.REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode not in (0, 1):
        raise RuntimeError(f"mecp ingest failed on {collection.name}: {done.stderr.strip()}")
    return index


def library_search(lib: LibraryIndex, text: str) -> list[str]:
    """The ids of the library's top 100, as /api/search with per_page=100 returns them."""
    result = search(lib, SearchRequest(q=text, per_page=MAX_PER_PAGE))
    return [hit.id for hit in result.hits]


def measure(
    name: str, work: Path = WORK, searcher: Searcher = library_search, reference: bool = True
) -> Outcome:
    """Ingest, search and score one collection (the reference too, unless told not to)."""
    started = time.monotonic()
    collection = collections.load(name)
    lib = open_index(ingest(collection, work))
    run = {
        query_id: [collection.doc_id(d) for d in searcher(lib, text)]
        for query_id, text in collection.queries.items()
    }
    scores = evaluate(run, collection.qrels)
    baseline = evaluate(_reference_run(collection, lib), collection.qrels) if reference else scores
    return Outcome(name, len(run), scores, baseline, time.monotonic() - started)


def _reference_run(collection: collections.Collection, lib: LibraryIndex) -> dict[str, list[str]]:
    """BM25 over the same documents: the collection's own text, or what the ingest extracted."""
    if collection.bundled:
        ids = [hit.id for hit in search(lib, SearchRequest(per_page=MAX_PER_PAGE)).hits]
        docs = [(i, _text(lib, i)) for i in ids]
    else:
        docs = [(i, f"{t}\n{x}") for i, t, x in collections.documents(collection)]
    return bm25_run(docs, collection.queries)


def _text(lib: LibraryIndex, doc_id: str) -> str:
    """A bundled document's title and extracted text, as indexed."""
    doc = get_document(lib, doc_id, with_body=True)
    return f"{doc.title}\n{doc.body}"
