"""bench.measure_solr on a tiny corpus and the session's harness: the Solr ingest benchmark runs
on the current code (its figures are measured, not asserted)."""

from __future__ import annotations

from pathlib import Path

from bench.generate import ensure_corpus
from bench.measure_solr import ALIAS, Searching, markdown, measure
from library.solr.admin import SolrAdmin
from tests.conftest import VOCABULARY
from tests.solr.harness import Harness


def test_the_solr_ingest_benchmark_runs_on_a_tiny_corpus(
    solr_harness: Harness, solr_admin: SolrAdmin, tmp_path: Path
) -> None:
    corpus, _ = ensure_corpus(tmp_path / "work", 20, 5, VOCABULARY)
    try:
        searching = Searching(corpus, seed=5, per_kind=3, duration=1.0, clients=2)
        results = measure(
            corpus, tmp_path / "run", 2, nodes=solr_harness.nodes, searching=searching
        )
    finally:
        solr_admin.client.get("admin/collections", {"action": "DELETEALIAS", "name": ALIAS})
        for collection in solr_admin.collections():
            if collection.startswith(ALIAS + "-"):
                solr_admin.delete_collection(collection)
    assert results["solr"]["documents"] == results["whoosh"]["documents"] > 0
    table = markdown(results)
    assert "| solr | " in table
    for engine in ("solr", "whoosh"):
        assert results[engine]["search"]["short"]["n"] == 3
        http = results[engine]["http"]
        assert http["api"]["requests"] > 0, http
        assert http["api"]["errors"] == http["html"]["errors"] == 0, http
        assert f"| api | {engine} | " in table
