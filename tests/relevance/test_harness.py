"""The relevance harness end to end: CACM (a collection nobody here wrote) and the project's own
judged set, each ingested through `mecp ingest`, against the BM25 reference computed in the same
run. These are floors on ranking quality, not timings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.relevance import collection
from bench.relevance.run import measure

pytestmark = pytest.mark.corpus

FLOORS = {"cacm": 1.05, "mecp": 1.03}  # nDCG@10 at least this many times BM25's


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_ndcg_beats_the_bm25_reference_by_the_floor(name: str, tmp_path: Path) -> None:
    if name not in collection.available():
        pytest.fail(
            f"the {name} collection is missing (../shared/relevance/ must be beside the repo)"
        )
    outcome = measure(name, work=tmp_path)
    ours, bm25 = outcome.library.means["nDCG@10"], outcome.reference.means["nDCG@10"]
    print(f"\n{name}: nDCG@10 {ours:.3f} against BM25 {bm25:.3f} ({ours / bm25:.3f}x)")
    assert ours >= FLOORS[name] * bm25
