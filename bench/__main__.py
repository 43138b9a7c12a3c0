"""`python -m bench --docs N --name NAME`: generate (or reuse) the corpus, measure, write
bench/results/NAME.json and print the markdown table.

May import: bench, library.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from bench import fts5, report
from bench.generate import ensure_corpus
from bench.lexicon import build_lexicon
from bench.measure_http import measure_http
from bench.measure_ingest import measure_builds, measure_ingest
from bench.measure_search import WARMUP, first_query, our_engine, time_engine
from bench.measure_snippets import measure_snippets
from bench.measure_suggest import measure_suggest
from bench.plain_whoosh import PlainWhoosh
from bench.procs import REPO, machine
from bench.queries import build_queries, warmup_queries
from library.vocab import load_vocabulary

VOCABULARY = REPO / "corpus" / "vocabulary.toml"
_STARTED = time.monotonic()


def _parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--docs", type=int, default=1000, help="documents in the corpus (default 1000)"
    )
    parser.add_argument("--name", default="quick", help="results go to bench/results/NAME.json")
    parser.add_argument("--seed", type=int, default=5, help="corpus and query seed (default 5)")
    parser.add_argument("--queries", type=int, help="queries per kind (default docs/10, 20 to 100)")
    parser.add_argument("--work", type=Path, default=REPO / "bench" / "work", help="scratch folder")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "results")
    parser.add_argument(
        "--workers", type=int, help="ingest extraction processes (default: the library's)"
    )
    parser.add_argument(
        "--baseline-queries",
        type=int,
        help="queries per kind for plain Whoosh, whose default highlighting takes "
        "seconds per query (default 20; 10 from 2,000 documents; 5 from 5,000)",
    )
    parser.add_argument("--skip-http", action="store_true", help="do not start `mecp serve`")
    parser.add_argument("--skip-baselines", action="store_true", help="measure ours only")
    parser.add_argument(
        "--duration", type=float, help="seconds of load per endpoint (20; 30 from 5,000 docs)"
    )
    parser.add_argument(
        "--clients", type=int, default=8, help="concurrent HTTP clients (default 8)"
    )
    return parser


def log(message: str) -> None:
    """A progress line on stderr with the time since start."""
    print(f"[{time.monotonic() - _STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement, in order, into one results dict."""
    results: dict[str, Any] = {
        "name": args.name,
        "docs": args.docs,
        "seed": args.seed,
        "queries_per_kind": args.queries,
        "machine": machine(),
    }
    log(f"corpus of {args.docs} documents (seed {args.seed})")
    corpus, results["corpus"] = ensure_corpus(args.work, args.docs, args.seed, VOCABULARY)
    work = args.work / f"run-{args.name}"
    work.mkdir(parents=True, exist_ok=True)
    log("ingest: full build, unchanged re-run, PDF extraction")
    results["ingest"] = measure_ingest(corpus, work, args.workers)
    index_dir = Path(results["ingest"]["index_dir"])
    if not args.skip_baselines:
        log("builds over the same text: ours index-only, plain Whoosh, FTS5")
        results["builds"] = measure_builds(work, corpus / "vocabulary.toml")
    lexicon = build_lexicon(load_vocabulary(corpus / "vocabulary.toml"), args.seed)
    queries = build_queries(lexicon, args.seed, args.queries)
    warmup = warmup_queries(lexicon, args.seed, queries, WARMUP)
    few = min(args.queries, args.baseline_queries)
    subset = {kind: batch[:few] for kind, batch in queries.items()}
    results["search"] = {"baseline_queries_per_kind": few}
    log("search in-process: ours")
    results["search"]["ours"] = time_engine(our_engine(index_dir), queries, warmup, prefix=few)
    if not args.skip_baselines:
        for grouping in ("or", "and"):
            log(f"search in-process: plain Whoosh, {grouping.upper()} grouping ({few} per kind)")
            engine = PlainWhoosh(work / "whoosh", grouping).search
            results["search"][f"whoosh_{grouping}"] = time_engine(engine, subset, warmup)
        if fts5.available():
            log("search in-process: FTS5")
            results["search"]["fts5"] = time_engine(
                fts5.Fts5(work / "fts5.db").search, queries, warmup
            )
    log("suggestions: prefixes of titles and vocabulary labels")
    results["suggest"] = measure_suggest(index_dir, seed=args.seed)
    log("snippets: alone and with their PDF page")
    results["snippets"] = measure_snippets(index_dir, queries)
    log("first query after process start")
    results["first_query"] = first_query(index_dir, queries["short"])
    if args.skip_http:
        results["http"] = {"skipped": True}
    else:
        duration = args.duration or (30.0 if args.docs >= 5000 else 20.0)
        log(f"HTTP: {args.clients} clients, {duration:g} s per endpoint")
        results["http"] = measure_http(
            index_dir, queries, duration, args.clients, work / "serve.log"
        )
    results["ratios"] = report.ratios(results)
    results["targets"] = report.targets(results)
    results["bench_seconds"] = round(time.monotonic() - _STARTED, 1)
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the suite, write the JSON and print the table."""
    args = _parser().parse_args(argv)
    args.work = args.work.resolve()
    args.queries = args.queries or min(100, max(20, args.docs // 10))
    if not args.baseline_queries:
        args.baseline_queries = 20 if args.docs < 2000 else 10 if args.docs < 5000 else 5
    results = run(args)
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"{args.name}.json"
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"wrote {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    print(report.markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
