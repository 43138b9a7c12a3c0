"""One collection end to end: ingest it with `mecp ingest`, run its queries, score both rankings.

With the solr engine the collection is ingested by `mecp ingest --engine solr` into a 2 shards x
2 replicas collection of a running SolrCloud (`solr_nodes` starts bench.measure_solr's harness);
the queries go through the same search core, which reads the engine from the generation.
May import: stdlib, library, bench.relevance, bench.measure_solr.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.measure_solr import start_harness, stop_harness
from bench.relevance import collection as collections
from bench.relevance.metrics import Scores, evaluate
from bench.relevance.reference import bm25_run
from library.index import LibraryIndex, open_index
from library.models import MAX_PER_PAGE, SearchRequest
from library.search import get_document, search

WORK = collections.REPO / "bench" / "work" / "relevance"
ENGINES = ("whoosh", "solr")
ALIAS = "mecp-relevance"  # each collection's Solr alias is ALIAS-<collection name>
Searcher = Callable[[LibraryIndex, str], list[str]]


@dataclass(frozen=True, slots=True)
class Outcome:
    """The library's scores and the reference's on one collection."""

    name: str
    queries: int
    library: Scores
    reference: Scores
    seconds: float


@dataclass(frozen=True, slots=True)
class Solr:
    """Where a collection goes with the solr engine: the nodes' base URLs and an alias prefix."""

    nodes: list[str]
    alias: str = ALIAS


@contextlib.contextmanager
def solr_nodes(work: Path = WORK) -> Iterator[Solr]:
    """A SolrCloud harness for the run (its data under work/solr, wiped at start), stopped after."""
    proc, nodes = start_harness(work / "solr")
    try:
        yield Solr(nodes)
    finally:
        stop_harness(proc)


def ingest(collection: collections.Collection, work: Path = WORK, solr: Solr | None = None) -> Path:
    """Write the collection as a corpus and index it through the production command (into its
    own Solr collection and index folder when solr is given, built afresh)."""
    corpus = collections.write_corpus(collection, work / collection.name / "corpus")
    index = work / collection.name / ("index-solr" if solr else "index")
    command = [sys.executable, "-m", "mecp", "ingest", "-q", "--corpus", str(corpus), "--index",
               str(index)]  # fmt: skip
    if solr:
        shutil.rmtree(index, ignore_errors=True)  # its generations name another run's collection
        command += ["--engine", "solr", "--solr-url", ",".join(solr.nodes)]
        command += ["--solr-alias", f"{solr.alias}-{collection.name}", "--shards", "2"]
        command += ["--replicas", "2"]
    done = subprocess.run(
        command, cwd=collections.REPO, capture_output=True, text=True, check=False
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"mecp ingest failed on {collection.name}: {done.stderr.strip()}")
    return index


def library_search(lib: LibraryIndex, text: str) -> list[str]:
    """The ids of the library's top 100, as /api/search with per_page=100 returns them."""
    result = search(lib, SearchRequest(q=text, per_page=MAX_PER_PAGE))
    return [hit.id for hit in result.hits]


def measure(
    name: str,
    work: Path = WORK,
    searcher: Searcher = library_search,
    reference: bool = True,
    solr: Solr | None = None,
) -> Outcome:
    """Ingest, search and score one collection (the reference too, unless told not to), with
    the whoosh engine, or the solr engine on the given nodes."""
    started = time.monotonic()
    collection = collections.load(name)
    lib = open_index(ingest(collection, work, solr))
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
