"""A search a node fails (a 5xx) is sent once more; a second failure, or a refusal (a 4xx), is not.

In front of a real node stands a real HTTP server that fails the first searches it is sent, as a
node does while another leaves the cluster, and passes everything else on to the node.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from library.caches import GenerationCaches
from library.errors import IndexUnavailable
from library.solr.client import SolrClient
from library.solr.engine import SolrEngine
from tests.solr.harness import Harness


@dataclass
class Front:
    """The server's address, how many searches it has still to fail, and what it was sent."""

    url: str
    failures: int = 0
    searches: int = 0


@pytest.fixture
def front(solr_harness: Harness) -> Iterator[Front]:
    """A server that answers a search with a 500 while it has failures left, else asks node 0."""
    node = solr_harness.nodes[0]
    state = Front("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if "/select" in self.path:
                state.searches += 1
                if state.failures > 0:
                    state.failures -= 1
                    body = {"error": {"code": 500, "msg": "a shard's node went away"}}
                    self._send(500, json.dumps(body).encode())
                    return
            answer = httpx.get(node.rsplit("/solr", 1)[0] + self.path, timeout=10)
            self._send(answer.status_code, answer.content)

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/solr"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _engine(url: str, collection: str, tmp_path: Path) -> SolrEngine:
    return SolrEngine(tmp_path, SolrClient(url), collection, GenerationCaches())


def test_a_search_a_node_fails_once_is_answered_by_the_next_attempt(
    front: Front, collection: str, solr_client: SolrClient, tmp_path: Path
) -> None:
    params = [("q", "*:*"), ("rows", 0)]
    expected = solr_client.get(f"{collection}/select", params)["response"]["numFound"]
    front.failures = 1
    answer = _engine(front.url, collection, tmp_path).select(params)
    assert answer["response"]["numFound"] == expected > 0
    assert front.searches == 2


def test_a_search_failed_twice_is_unavailable_with_solr_s_message(
    front: Front, collection: str, tmp_path: Path
) -> None:
    front.failures = 2
    with pytest.raises(IndexUnavailable, match="a shard's node went away"):
        _engine(front.url, collection, tmp_path).select([("q", "*:*"), ("rows", 0)])
    assert front.searches == 2


def test_a_search_solr_refuses_is_not_sent_again(
    front: Front, collection: str, tmp_path: Path
) -> None:
    with pytest.raises(IndexUnavailable, match="cannot search"):
        _engine(front.url, collection, tmp_path).select(
            [("q", "*:*"), ("sort", "no_such_field asc")]
        )
    assert front.searches == 1
