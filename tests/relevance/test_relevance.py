"""The judged query set against the real corpus: a floor on top-3 success, MRR and nDCG@10."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pytest

from library.index import LibraryIndex
from library.models import SearchRequest
from library.search import search

QUERIES = tomllib.loads((Path(__file__).parent / "queries.toml").read_text(encoding="utf-8"))[
    "query"
]
FLOOR = 0.90

pytestmark = pytest.mark.corpus


def _ranking(lib: LibraryIndex, q: str) -> list[str]:
    """The ids of the top 10 for a query."""
    return [hit.id for hit in search(lib, SearchRequest(q=q, per_page=10)).hits]


def _ndcg(ranking: list[str], expected: list[str]) -> float:
    """Binary-relevance nDCG@10."""
    dcg = sum(1 / math.log2(i + 2) for i, doc in enumerate(ranking[:10]) if doc in expected)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(expected))))
    return dcg / ideal


def test_the_judged_query_set_has_forty_queries_whose_documents_exist(
    corpus_lib: LibraryIndex,
) -> None:
    """Every expected id is a real indexed document."""
    assert len(QUERIES) >= 40
    browse = search(corpus_lib, SearchRequest(per_page=100))
    indexed = {hit.id for hit in browse.hits}
    missing = {doc for q in QUERIES for doc in q["expected"] if doc not in indexed}
    assert not missing


def test_expected_documents_rank_in_the_top_three_for_ninety_percent_of_queries(
    corpus_lib: LibraryIndex,
) -> None:
    """The relevance floor; prints MRR, nDCG@10 and every miss."""
    passed, reciprocal, ndcg, misses = 0, 0.0, 0.0, []
    for case in QUERIES:
        ranking = _ranking(corpus_lib, case["q"])
        expected = case["expected"]
        ranks = [ranking.index(d) + 1 for d in expected if d in ranking]
        ok = len(ranks) == len(expected) and max(ranks) <= 3
        passed += ok
        reciprocal += 1 / min(ranks) if ranks else 0.0
        ndcg += _ndcg(ranking, expected)
        if not ok:
            misses.append(f"  {case['q']!r}: expected {expected}, got {ranking[:5]}")
    n = len(QUERIES)
    print(f"\nrelevance: top-3 success {passed}/{n} = {passed / n:.0%}, "
          f"MRR {reciprocal / n:.3f}, nDCG@10 {ndcg / n:.3f}")  # fmt: skip
    print("\n".join(misses))
    assert passed / n >= FLOOR, "\n".join(misses)
