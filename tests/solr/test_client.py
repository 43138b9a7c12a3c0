"""The HTTP client: URLs, failing over between nodes, and errors that name what failed."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from library.errors import IndexUnavailable
from library.solr.client import SolrClient, SolrRequestError, parse_urls
from mecp import cli
from tests.solr.harness import Harness


@pytest.fixture
def dead_url() -> Iterator[str]:
    """The URL of a port that refuses connections (bound, never listening, while the test runs)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/solr"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://127.0.0.1:8983/solr", ("http://127.0.0.1:8983/solr",)),
        ("http://solr.example.org:8983/", ("http://solr.example.org:8983/solr",)),
        ("http://a:1/solr, http://b:2/solr/", ("http://a:1/solr", "http://b:2/solr")),
        (["https://a/solr"], ("https://a/solr",)),
    ],
)
def test_urls_are_read_from_a_list_or_commas(
    given: str | list[str], expected: tuple[str, ...]
) -> None:
    assert parse_urls(given) == expected


@pytest.mark.parametrize("given", ["", " , ", "127.0.0.1:8983/solr", "ftp://a/solr"])
def test_a_malformed_url_is_a_usage_error(given: str) -> None:
    with pytest.raises(ValueError, match="Solr URL"):
        parse_urls(given)


def test_an_unreachable_solr_is_unavailable_and_the_message_names_it(dead_url: str) -> None:
    with SolrClient(dead_url) as client, pytest.raises(IndexUnavailable) as raised:
        client.get("admin/info/system")
    assert dead_url in str(raised.value)
    assert "unreachable" in str(raised.value)


def test_credentials_in_a_url_are_never_shown(dead_url: str) -> None:
    secret = dead_url.replace("http://", "http://librarian:s3cret@")
    with SolrClient(secret) as client, pytest.raises(IndexUnavailable) as raised:
        client.get("admin/info/system")
    assert dead_url in str(raised.value)
    assert "s3cret" not in str(raised.value)
    assert client.url == dead_url


def test_mecp_solr_status_on_an_unreachable_solr_exits_2_with_the_url(
    dead_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["solr", "status", "--solr-url", dead_url]) == 2
    assert dead_url in capsys.readouterr().err


def test_a_node_that_cannot_be_reached_is_passed_over(dead_url: str, solr_harness: Harness) -> None:
    with SolrClient([dead_url, solr_harness.nodes[0]]) as client:
        assert client.get("admin/info/system")["mode"] == "solrcloud"
        assert client.url == solr_harness.nodes[0]  # and it stays there


def test_a_request_solr_refuses_carries_solrs_message(solr_client: SolrClient) -> None:
    with pytest.raises(SolrRequestError, match="no-such-collection"):
        solr_client.get(
            "admin/collections", {"action": "CLUSTERSTATUS", "collection": "no-such-collection"}
        )


def test_a_search_too_long_for_a_url_goes_as_a_form(
    solr_client: SolrClient, collection: str
) -> None:
    params = [("q", "*:*"), ("rows", 0), ("unused", "words " * 2000)]  # 12 KB of parameters
    with pytest.raises(SolrRequestError, match="414"):
        solr_client.get(f"{collection}/select", params)  # Jetty refuses such a request line
    answer = solr_client.search(f"{collection}/select", params)
    assert answer["response"]["numFound"] > 0
