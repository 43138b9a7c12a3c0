"""`python -m bench.relevance [NAME ...]` (`make relevance`): score every collection, print tables.

`--engine solr` starts the SolrCloud harness once (needs Java and `make solr-launcher`) and
ingests each collection into its own 2x2 Solr collection; the default is whoosh.

May import: bench.relevance.
"""

from __future__ import annotations

import argparse
import contextlib

from bench.relevance import ablation, collection
from bench.relevance.metrics import METRICS
from bench.relevance.run import ENGINES, Outcome, measure, solr_nodes


def table(outcome: Outcome) -> list[str]:
    """A markdown table: each metric for the library, the BM25 reference and their ratio."""
    lines = [
        f"{outcome.name}: {outcome.queries} queries ({outcome.seconds:.0f} s)",
        "",
        "| metric | library | BM25 | library / BM25 |",
        "|---|---|---|---|",
    ]
    for metric in METRICS:
        ours, theirs = outcome.library.means[metric], outcome.reference.means[metric]
        ratio = f"{ours / theirs:.3f}" if theirs else "-"
        lines.append(f"| {metric} | {ours:.3f} | {theirs:.3f} | {ratio} |")
    return lines


def main() -> None:
    """Measure the named collections (all of them by default) and print a table for each."""
    parser = argparse.ArgumentParser(prog="python -m bench.relevance", description=__doc__)
    parser.add_argument("names", nargs="*", help="collections (default: all found)")
    parser.add_argument(
        "--ablation", action="store_true", help="the ranking with each component changed alone"
    )
    parser.add_argument(
        "--engine", choices=ENGINES, default="whoosh", help="the index's engine (default whoosh)"
    )
    args = parser.parse_args()
    names = args.names or collection.available()
    if args.ablation:
        if args.engine != "whoosh":
            parser.error("--ablation changes the whoosh engine's ranking: it takes no --engine")
        print("\n".join(ablation.table(names)))
        return
    with contextlib.ExitStack() as stack:
        solr = stack.enter_context(solr_nodes()) if args.engine == "solr" else None
        for name in names:
            outcome = measure(name, solr=solr)
            print(
                f"engine: {args.engine}",
                "\n".join(table(outcome)),
                sep="\n",
                end="\n\n",
                flush=True,
            )


if __name__ == "__main__":
    main()
