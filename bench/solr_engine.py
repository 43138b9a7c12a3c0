"""`python -m bench.solr_engine`: the solr engine beside the whoosh one, on the bundled corpus.

parity: the bundled corpus is ingested twice through the production pipeline, with whoosh and
into a 2x2 collection of the SolrCloud harness (`--engine solr`), and the judged queries (tests/relevance/
queries.toml) run on both engines: top-3 success, MRR and nDCG@10 of each, and how many queries
agree on their total, their full matches and every facet count.
failover: 8 clients search the Solr generation for 30 s through the engine (no result cache);
node 1 is stopped at 10 s and started again at 20 s; every failed search is counted and the
latencies are reported overall and while the node was down or recovering.
May import: ingest, library, tests.solr.harness (the SolrCloud harness of the Solr tests).
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ingest import pipeline
from library.index import LibraryIndex, open_index
from library.models import SearchRequest, SearchResult
from library.query import parse_query
from library.ranking import DEFAULT
from library.search import search
from library.settings import load_settings
from tests.solr.harness import Harness, build_launcher

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
QUERIES = REPO / "tests" / "relevance" / "queries.toml"


def judged() -> list[dict[str, object]]:
    """The judged queries: q, expected ids."""
    return list(tomllib.loads(QUERIES.read_text(encoding="utf-8"))["query"])


def _ndcg(ranking: list[str], expected: list[str]) -> float:
    """Binary-relevance nDCG@10."""
    dcg = sum(1 / math.log2(i + 2) for i, doc in enumerate(ranking[:10]) if doc in expected)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(expected))))
    return dcg / ideal if ideal else 0.0


def _rr(ranking: list[str], expected: list[str]) -> float:
    """Reciprocal rank of the first expected id in the top 10."""
    return next((1 / (i + 1) for i, doc in enumerate(ranking[:10]) if doc in expected), 0.0)


def _facts(result: SearchResult) -> tuple[object, ...]:
    """What the two engines should agree on: total, fallback, facet counts, full matches."""
    counts = {f.name: {v.value: v.count for v in f.values} for f in result.facets}
    full = sorted(hit.id for hit in result.hits if not hit.partial)
    return result.total, result.fallback, counts, full


def parity(whoosh: LibraryIndex, solr: LibraryIndex) -> list[str]:
    """The judged queries on both engines: a table of the metrics and the queries that differ."""
    scores: dict[str, dict[str, list[float]]] = {
        name: {"top3": [], "mrr": [], "ndcg": []} for name in ("whoosh", "solr")
    }
    agree = {"total": 0, "facets": 0, "full": 0}
    differ = []
    queries = judged()
    for query in queries:
        q, expected = str(query["q"]), list(query["expected"])  # type: ignore[call-overload]
        request = SearchRequest(q=q, per_page=100)
        results = {"whoosh": search(whoosh, request), "solr": search(solr, request)}
        for name, result in results.items():
            ranking = [hit.id for hit in result.hits]
            scores[name]["top3"].append(float(all(e in ranking[:3] for e in expected)))
            scores[name]["mrr"].append(_rr(ranking, expected))
            scores[name]["ndcg"].append(_ndcg(ranking, expected))
        w, s = _facts(results["whoosh"]), _facts(results["solr"])
        agree["total"] += w[:2] == s[:2]
        agree["facets"] += w[2] == s[2]
        agree["full"] += w[3] == s[3]
        if w != s:
            differ.append(f"- `{q}`: whoosh {w[0]} ({'fallback' if w[1] else 'full'}), "
                          f"solr {s[0]} ({'fallback' if s[1] else 'full'})")  # fmt: skip
    lines = [
        f"Judged queries: {len(queries)}",
        "",
        "| engine | top-3 success | MRR | nDCG@10 |",
        "|---|---|---|---|",
    ]
    for name, values in scores.items():
        lines.append(
            f"| {name} | {statistics.mean(values['top3']):.3f} | "
            f"{statistics.mean(values['mrr']):.3f} | {statistics.mean(values['ndcg']):.3f} |"
        )
    lines += [
        "",
        f"Same total and fallback: {agree['total']}/{len(queries)}; same facet counts: "
        f"{agree['facets']}/{len(queries)}; same set of full matches: {agree['full']}/{len(queries)}",
        "",
        "Queries that differ:",
        *differ,
    ]
    return lines


@dataclass
class _Load:
    """What the clients measured: (start time, seconds, ok) of every search."""

    samples: list[tuple[float, float, bool]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _client(lib: LibraryIndex, queries: list[str], until: float, load: _Load, n: int) -> None:
    """Search queries in turn (starting at the n-th) until the deadline."""
    i = n
    while (now := time.monotonic()) < until:
        q = queries[i % len(queries)]
        i += 1
        try:
            parsed = parse_query(q, lib.vocabulary, lib.engine.analyse)
            lib.engine.search(parsed, SearchRequest(q=q), DEFAULT)
            ok = True
        except Exception as exc:
            ok = False
            with load.lock:
                load.errors.append(f"{type(exc).__name__}: {exc}")
        with load.lock:
            load.samples.append((now, time.monotonic() - now, ok))


def _percentile(values: list[float], share: float) -> float:
    """The share-th quantile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def failover(
    lib: LibraryIndex, harness: Harness, clients: int = 8, seconds: float = 30.0
) -> list[str]:
    """Searches under load while node 1 stops (at a third) and starts again (at two thirds)."""
    queries = [str(query["q"]) for query in judged()]
    load = _Load()
    begin = time.monotonic()
    until = begin + seconds
    threads = [
        threading.Thread(target=_client, args=(lib, queries, until, load, n))
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, begin + seconds / 3 - time.monotonic()))
    stopped_at = time.monotonic()
    harness.command("stop 1")
    time.sleep(max(0.0, begin + 2 * seconds / 3 - time.monotonic()))
    harness.command("start 1")  # answers once the node's replicas are active again
    back_at = time.monotonic()
    for thread in threads:
        thread.join()
    latencies = [s for _, s, _ in load.samples]
    window = [s for t, s, _ in load.samples if stopped_at <= t <= back_at]
    failed = sum(1 for *_, ok in load.samples if not ok)
    lines = [
        f"{clients} clients, {seconds:.0f} s; node 1 stopped at {stopped_at - begin:.1f} s, "
        f"back (replicas active) at {back_at - begin:.1f} s",
        "",
        "| searches | failed | per s | p50 ms | p99 ms | failover p50 ms | failover p99 ms | max ms |",
        "|---|---|---|---|---|---|---|---|",
        f"| {len(latencies)} | {failed} | {len(latencies) / seconds:.0f} | "
        f"{1000 * _percentile(latencies, 0.5):.0f} | {1000 * _percentile(latencies, 0.99):.0f} | "
        f"{1000 * _percentile(window, 0.5):.0f} | {1000 * _percentile(window, 0.99):.0f} | "
        f"{1000 * max(latencies):.0f} |",
    ]
    lines += [f"- {error}" for error in sorted(set(load.errors))[:10]]
    return lines


def main() -> None:
    """Start the harness, build both generations, measure, print markdown."""
    parser = argparse.ArgumentParser(prog="python -m bench.solr_engine", description=__doc__)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the failover load")
    parser.add_argument("--clients", type=int, default=8, help="searching threads")
    args = parser.parse_args()
    build_launcher()
    with tempfile.TemporaryDirectory(prefix="mecp-solr-bench-") as work:
        base = Path(work)
        whoosh_dir = base / "whoosh"
        pipeline.run(load_settings({}, corpus_dir=CORPUS, index_dir=whoosh_dir))
        whoosh = open_index(whoosh_dir)
        harness = Harness(base / "cluster")
        try:
            report = pipeline.run(
                load_settings(
                    {},
                    corpus_dir=CORPUS,
                    index_dir=base / "solr",
                    engine="solr",
                    solr_url=",".join(harness.nodes),
                    solr_alias="library-bench",
                )
            )
            assert report.exit_code == 0, list(report.lines())
            solr = open_index(base / "solr")
            print("\n".join(parity(whoosh, solr)))
            print()
            print("\n".join(failover(solr, harness, args.clients, args.seconds)))
            solr.close()
        finally:
            harness.close()
            whoosh.close()


if __name__ == "__main__":
    main()
