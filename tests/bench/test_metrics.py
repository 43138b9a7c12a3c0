"""The relevance harness's evaluator, checked against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from bench.relevance.metrics import average_precision, evaluate, ndcg, recall, reciprocal_rank

GRADES = {"a": 2, "b": 1, "c": 0, "d": 1}


def test_ndcg_uses_linear_gains_and_the_ideal_order_of_all_judged_documents() -> None:
    dcg = 1 / math.log2(2) + 2 / math.log2(3) + 0 + 1 / math.log2(5)  # b, a, c, d
    ideal = 2 / math.log2(2) + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg(["b", "a", "c", "d"], GRADES) == pytest.approx(dcg / ideal)
    assert ndcg(["a", "b", "d"], GRADES) == pytest.approx(1.0)
    assert ndcg([], GRADES) == 0.0


def test_ndcg_counts_only_the_first_ten() -> None:
    ranked = [f"x{n}" for n in range(10)] + ["a"]
    assert ndcg(ranked, GRADES) == 0.0


def test_average_precision_recall_and_reciprocal_rank() -> None:
    ranked = ["c", "a", "x", "b"]  # relevant: a (rank 2), b (rank 4); d never found
    assert average_precision(ranked, GRADES) == pytest.approx((1 / 2 + 2 / 4) / 3)
    assert recall(ranked, GRADES) == pytest.approx(2 / 3)
    assert reciprocal_rank(ranked, GRADES) == pytest.approx(1 / 2)


def test_queries_without_a_relevant_document_are_left_out_and_missing_runs_score_zero() -> None:
    qrels = {"1": {"a": 1}, "2": {"b": 0}, "3": {"c": 2}}
    scores = evaluate({"1": ["a"]}, qrels)
    assert set(scores.per_query) == {"1", "3"}
    assert scores.means["nDCG@10"] == pytest.approx(0.5)
    assert scores.means["MRR"] == pytest.approx(0.5)
