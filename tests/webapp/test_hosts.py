"""Host headers, canonical URLs, number parameters and slow clients: what a proxy or cache sees."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from library.settings import load_settings
from tests.servers import running_server
from tests.webapp.conftest import json_ld
from webapp import create_app


def test_a_forged_host_header_is_refused(client: FlaskClient) -> None:
    response = client.get("/documents/reports/cart-report", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response.get_data(as_text=True)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "localhost:8000"])
def test_the_listening_host_is_answered(client: FlaskClient, host: str) -> None:
    assert client.get("/", headers={"Host": host}).status_code == 200


def test_canonical_urls_come_from_the_base_url_not_the_request(index_dir: Path) -> None:
    settings = load_settings({"MECP_BASE_URL": "https://library.example.org/"})
    app = create_app({
        "TESTING": True, "INDEX_DIR": str(index_dir), "BASE_URL": settings.base_url,
        "TRUSTED_HOSTS": list(settings.allowed_hosts()),
    })  # fmt: skip
    client = app.test_client()
    page = client.get("/documents/reports/cart-report", headers={"Host": "localhost"})
    assert json_ld(page.get_data(as_text=True))["url"] == (
        "https://library.example.org/documents/reports/cart-report"
    )
    assert client.get("/", headers={"Host": "library.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "other.example.org"}).status_code == 400


@pytest.mark.parametrize(
    ("environ", "hosts"),
    [
        ({}, ("localhost", "127.0.0.1", "::1")),
        ({"MECP_HOST": "0.0.0.0"}, ("localhost", "127.0.0.1", "::1")),
        ({"MECP_HOST": "10.0.0.5"}, ("10.0.0.5",)),
        (
            {"MECP_HOST": "0.0.0.0", "MECP_BASE_URL": "https://lib.example.org",
             "MECP_TRUSTED_HOSTS": "www.lib.example.org, lib.internal"},
            ("lib.example.org", "localhost", "127.0.0.1", "::1", "www.lib.example.org",
             "lib.internal"),
        ),
    ],
)  # fmt: skip
def test_allowed_hosts_follow_the_settings(environ: dict[str, str], hosts: tuple[str, ...]) -> None:
    assert load_settings(environ).allowed_hosts() == hosts


@pytest.mark.parametrize(
    "value", ["library.example.org", "ftp://x.org", "https://x.org/library", "javascript:x"]
)
def test_a_base_url_that_is_not_scheme_and_host_is_a_clear_error(value: str) -> None:
    with pytest.raises(ValueError, match="MECP_BASE_URL"):
        load_settings({"MECP_BASE_URL": value})


@pytest.mark.parametrize("value", ["\u0663", "\uff11", "\u00b2", "+2", "-1", " 2x"])
def test_numbers_in_parameters_are_ascii_digits_only(client: FlaskClient, value: str) -> None:
    assert client.get("/api/search", query_string={"page": value}).status_code == 400
    assert client.get("/search", query_string={"year_min": value}).status_code == 400


def test_a_silent_client_is_disconnected(index_dir: Path) -> None:
    with running_server(index_dir, "--processes", "1", env={"MECP_CLIENT_TIMEOUT": "2"}) as (
        url,
        _proc,
    ):
        host, port = url.removeprefix("http://").rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=20) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")  # and then nothing more
            started = time.monotonic()
            assert sock.recv(1024) == b""  # closed by the server, not by our timeout
            assert time.monotonic() - started < 15
