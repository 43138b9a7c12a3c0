"""The ablation table: the chosen ranking, then each component changed on its own.

`python -m bench.relevance --ablation` prints it; bench/README.md keeps the figures. Each row is
the default RankingPolicy with one replace(): a component that does not improve at least one
collection without hurting the other has no place in the default. May import: bench.relevance,
library.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from bench.relevance import collection
from bench.relevance.metrics import evaluate
from bench.relevance.run import WORK, ingest
from library.index import open_index
from library.models import MAX_PER_PAGE, SearchRequest
from library.ranking import DEFAULT, RankingPolicy
from library.search import search

NO_SUMMARY = (("title", 2.0), ("summary", 0.0), ("body", 1.0))
TITLE_ONCE = (("title", 1.0), ("summary", 1.0), ("body", 1.0))
VARIANTS: tuple[tuple[str, dict[str, object]], ...] = (
    ("chosen (k1 1.8, b 0.55, title x2)", {}),
    ("textbook k1 1.2, b 0.75", {"k1": 1.2, "b": 0.75}),
    ("title counted once", {"weights": TITLE_ONCE}),
    ("no summary field", {"weights": NO_SUMMARY}),
    ("synonyms and translations at 0 (none)", {"expansion_weight": 0.0}),
    ("synonyms and translations at 0.6", {"expansion_weight": 0.6}),
    ("no same-language bonus", {"language_bonus": 1.0}),
    ("same-language bonus 1.5", {"language_bonus": 1.5}),
    ("translations not kept after the rest", {"translations_after": False}),
    ("one list (no full/partial split)", {"partial_after": False}),
    ("mm: all words up to 2 (not 3)", {"mm_all_up_to": 2}),
    ("mm: 75% of the weight (not 50%)", {"mm_share": 0.75}),
)


def rows(names: list[str]) -> Iterator[tuple[str, dict[str, float]]]:
    """(label, collection name -> nDCG@10) for each variant, the chosen ranking first."""
    libraries = {name: _open(name) for name in names}
    for label, change in VARIANTS:
        policy = dataclasses.replace(DEFAULT, **change)  # type: ignore[arg-type]
        yield label, {name: _ndcg(name, lib, policy) for name, lib in libraries.items()}


def _open(name: str):  # type: ignore[no-untyped-def]
    """A collection and its index (ingested through mecp ingest if needed)."""
    found = collection.load(name)
    return found, open_index(ingest(found, WORK))


def _ndcg(name: str, opened, policy: RankingPolicy) -> float:  # type: ignore[no-untyped-def]
    """nDCG@10 of one collection under one policy."""
    found, lib = opened
    run = {
        q: [
            found.doc_id(h.id)
            for h in search(lib, SearchRequest(q=text, per_page=MAX_PER_PAGE), policy).hits
        ]
        for q, text in found.queries.items()
    }
    return evaluate(run, found.qrels).means["nDCG@10"]


def table(names: list[str]) -> list[str]:
    """The ablation as a markdown table."""
    lines = ["| ranking | " + " | ".join(f"{n} nDCG@10" for n in names) + " |"]
    lines.append("|---|" + "---|" * len(names))
    chosen: dict[str, float] = {}
    for label, scores in rows(names):
        chosen = chosen or scores
        cells = [
            f"{scores[n]:.3f}" + ("" if scores is chosen else f" ({scores[n] - chosen[n]:+.3f})")
            for n in names
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines
