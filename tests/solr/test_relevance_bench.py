"""bench.relevance with the solr engine on the session's harness: a judged collection is ingested
by `mecp ingest --engine solr` into its own Solr collection, and the harness's search finds its
judged documents through the Solr index (the figures are measured by the bench, not asserted)."""

from __future__ import annotations

from pathlib import Path

from bench.relevance import collection as collections
from bench.relevance.run import Solr, ingest, library_search
from library.generations import current_generation, read_meta
from library.index import open_index
from library.solr.admin import SolrAdmin
from tests.solr.harness import Harness

ALIAS = "mecp-relevance-test"


def test_the_relevance_harness_ingests_and_searches_with_the_solr_engine(
    solr_harness: Harness, solr_admin: SolrAdmin, tmp_path: Path
) -> None:
    judged = collections.load("mecp-everyday")
    alias = f"{ALIAS}-{judged.name}"
    try:
        index = ingest(judged, tmp_path, Solr(solr_harness.nodes, ALIAS))
        assert read_meta(current_generation(index))["engine"] == "solr"
        assert alias in solr_admin.aliases()
        query_id, text = next(iter(judged.queries.items()))
        found = library_search(open_index(index), text)
    finally:
        solr_admin.client.get("admin/collections", {"action": "DELETEALIAS", "name": alias})
        for collection in solr_admin.collections():
            if collection.startswith(alias + "-"):
                solr_admin.delete_collection(collection)
    assert set(found) & {d for d, grade in judged.qrels[query_id].items() if grade > 0}
