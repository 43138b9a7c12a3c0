"""A node of the harness stops and comes back: the other node's replicas keep every search answered."""

from __future__ import annotations

from library.solr.admin import SolrAdmin
from library.solr.client import SolrClient
from tests.solr.conftest import DOCUMENTS
from tests.solr.harness import Harness


def _total(client: SolrClient, collection: str) -> int:
    """How many documents a search of everything finds."""
    answer = client.get(f"{collection}/select", {"q": "*:*", "defType": "lucene", "rows": 0})
    total: int = answer["response"]["numFound"]
    return total


def test_searches_are_answered_while_a_node_is_down_and_after_it_returns(
    solr_harness: Harness, solr_admin: SolrAdmin, collection: str
) -> None:
    down, up = solr_harness.nodes[1], solr_harness.nodes[0]
    stopped = solr_harness.command("stop 1")
    try:
        assert stopped == stopped | {"ok": True, "command": "stop", "node": 1, "url": down}
        assert solr_harness.command("status")["running"] == [True, False]
        # the stopped node is listed first: the client passes over it
        with SolrClient([down, up]) as client:
            for _ in range(5):
                assert _total(client, collection) == len(DOCUMENTS)
            assert client.url == up
        assert len(solr_admin.live_nodes()) == 1
    finally:
        started = solr_harness.command("start 1")
    assert started["ok"], started
    assert {r.state for r in solr_admin.replicas(collection)} == {"active"}
    with SolrClient(down) as client:  # back on its port, answering for the whole collection
        assert _total(client, collection) == len(DOCUMENTS)


def test_the_launcher_answers_a_bad_command_and_keeps_running(solr_harness: Harness) -> None:
    assert solr_harness.command("stop 7") == {
        "ok": False,
        "command": "stop",
        "error": "no node 7; the nodes are 0 to 1",
    }
    assert solr_harness.command("start 0")["error"] == "node 0 is already running"
    assert solr_harness.command("frobnicate")["ok"] is False
    assert solr_harness.command("status")["running"] == [True, True]
