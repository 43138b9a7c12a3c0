"""Scoring ranked lists against graded judgements: nDCG@10, MAP@100, Recall@100, MRR.

As trec_eval: linear gains (the grade), the discount 1 / log2(rank + 1), the ideal ranking of all
judged documents; a grade of 1 or more is relevant; a query with no results scores 0.
May import: stdlib.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Qrels = Mapping[str, Mapping[str, int]]  # query id -> document id -> grade
Run = Mapping[str, Sequence[str]]  # query id -> ranked document ids
METRICS = ("nDCG@10", "MAP@100", "Recall@100", "MRR")


@dataclass(frozen=True, slots=True)
class Scores:
    """The mean of each metric over the judged queries, and the per-query nDCG@10."""

    means: dict[str, float]
    per_query: dict[str, float]


def ndcg(ranked: Sequence[str], grades: Mapping[str, int], depth: int = 10) -> float:
    """Normalised discounted cumulative gain of the first depth results."""
    gain = sum(grades.get(doc, 0) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:depth]))
    ideal = sorted((g for g in grades.values() if g > 0), reverse=True)[:depth]
    best = sum(g / math.log2(rank + 2) for rank, g in enumerate(ideal))
    return gain / best if best else 0.0


def average_precision(ranked: Sequence[str], grades: Mapping[str, int], depth: int = 100) -> float:
    """Mean of the precision at each relevant result, over all relevant documents."""
    relevant = {doc for doc, g in grades.items() if g > 0}
    found, total = 0, 0.0
    for rank, doc in enumerate(ranked[:depth], 1):
        if doc in relevant:
            found += 1
            total += found / rank
    return total / len(relevant) if relevant else 0.0


def recall(ranked: Sequence[str], grades: Mapping[str, int], depth: int = 100) -> float:
    """Share of the relevant documents among the first depth results."""
    relevant = {doc for doc, g in grades.items() if g > 0}
    return len(relevant.intersection(ranked[:depth])) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[str], grades: Mapping[str, int]) -> float:
    """1 / the rank of the first relevant result (0 when none is found)."""
    return next((1 / rank for rank, doc in enumerate(ranked, 1) if grades.get(doc, 0) > 0), 0.0)


def evaluate(run: Run, qrels: Qrels) -> Scores:
    """Mean scores over the queries that have at least one relevant document."""
    judged = [q for q, grades in qrels.items() if any(g > 0 for g in grades.values())]
    per_query = {q: ndcg(run.get(q, ()), qrels[q]) for q in judged}
    functions = (average_precision, recall, reciprocal_rank)
    means = {"nDCG@10": _mean(per_query.values())}
    for name, function in zip(METRICS[1:], functions, strict=True):
        means[name] = _mean(function(run.get(q, ()), qrels[q]) for q in judged)
    return Scores(means, per_query)


def _mean(values: object) -> float:
    """The mean of some numbers (0 for none)."""
    found = list(values)  # type: ignore[call-overload]
    return sum(found) / len(found) if found else 0.0
