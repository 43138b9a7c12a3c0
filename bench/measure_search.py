"""In-process search latency of our library and the baselines over the same queries, and the
first query after process start (`python -m bench.measure_search INDEX QUERY` in a fresh process).

May import: bench, library.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.procs import run_measured
from bench.queries import Query
from bench.stats import summarize_ms

Engine = Callable[[Query], int]  # runs one full search, returns the number of matches
WARMUP = 5


def our_engine(index_dir: Path) -> Engine:
    """library.search over our index: top 10 with snippets, all five facets, spelling hint."""
    from library.facets import selected
    from library.index import open_index
    from library.models import SearchRequest
    from library.search import search

    lib = open_index(index_dir)

    def run(query: Query) -> int:
        request = SearchRequest(
            q=query.text, facets=selected(topic=query.topics, audience=query.audiences)
        )
        return search(lib, request).total

    return run


def time_engine(
    engine: Engine, queries: dict[str, list[Query]], warmup: list[Query], prefix: int = 0
) -> dict[str, Any]:
    """Latency percentiles (wall, and CPU p50) and match counts per query kind, after warm-up
    queries that are not among those timed (our engine keeps recent results: a timed query must
    be computed); with prefix, also the percentiles of the first prefix queries of each kind."""
    for query in warmup:
        engine(query)
    results: dict[str, Any] = {}
    for kind, batch in queries.items():
        walls, cpus, totals = [], [], []
        for query in batch:
            wall, cpu = time.perf_counter(), time.process_time()
            totals.append(engine(query))
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        results[kind] = {
            **summarize_ms(walls),
            "cpu_p50": round(statistics.median(cpus) * 1000, 2),
            "mean_matches": round(statistics.fmean(totals), 1),
            "zero_match_share": round(sum(t == 0 for t in totals) / len(totals), 3),
        }
        if prefix and prefix < len(batch):
            results[kind]["prefix"] = summarize_ms(walls[:prefix])
    return results


def first_query(index_dir: Path, queries: list[Query], runs: int = 3) -> dict[str, Any]:
    """Median over fresh processes of: imports, open_index, first search, second search, and the
    whole process's wall time (interpreter start included)."""
    samples = []
    for query in queries[:runs]:
        run = run_measured(["-m", "bench.measure_search", str(index_dir), query.text])
        if run.returncode != 0:
            return {"error": run.stderr[-2000:]}
        inner = json.loads(run.stdout.strip().splitlines()[-1])
        samples.append({**inner, "process_ms": round(run.wall_s * 1000, 1)})
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def _child(index_dir: Path, text: str) -> None:
    """In a fresh process: time imports, opening the index and the first two searches."""
    started = time.perf_counter()
    from library.index import open_index
    from library.models import SearchRequest
    from library.search import search

    imported = time.perf_counter()
    lib = open_index(index_dir)
    opened = time.perf_counter()
    search(lib, SearchRequest(q=text))
    first = time.perf_counter()
    search(lib, SearchRequest(q=text + " program"))
    second = time.perf_counter()
    print(
        json.dumps(
            {
                "import_ms": round((imported - started) * 1000, 1),
                "open_ms": round((opened - imported) * 1000, 1),
                "first_search_ms": round((first - opened) * 1000, 1),
                "open_and_first_ms": round((first - imported) * 1000, 1),
                "second_search_ms": round((second - first) * 1000, 1),
            }
        )
    )


if __name__ == "__main__":
    _child(Path(sys.argv[1]), sys.argv[2])
