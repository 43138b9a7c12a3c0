"""Hostile input, escaping, security headers, caching and robots.txt: nothing answers 500."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient

from ingest import pipeline
from tests.conftest import VOCABULARY, settings_for
from tests.factories import html_page, write
from tests.webapp.conftest import json_ld
from webapp import create_app

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

RESPONSES = [
    "/",
    "/families",
    "/search?q=amber",
    "/documents/reports/cart-report",
    "/files/reports/cart-report",
    "/api/search",
    "/api/documents/reports/cart-report",
    "/robots.txt",
    "/static/style.css",
    "/no-such-page",
    "/api/no-such-thing",
    "/search?page=abc",
]


@pytest.mark.parametrize("url", RESPONSES)
def test_every_response_carries_the_security_headers(client: FlaskClient, url: str) -> None:
    with client.get(url) as response:
        headers = response.headers
        assert response.status_code < 500
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "Cache-Control" in headers


def test_the_page_policy_allows_only_our_own_scripts_and_styles(client: FlaskClient) -> None:
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy


@pytest.mark.parametrize(
    "url", ["/", "/families", "/search?q=amber&topic=amber-alert", "/documents/guides/first-hours"]
)
def test_pages_hold_no_inline_script_or_style_the_policy_would_block(
    client: FlaskClient, url: str
) -> None:
    html = client.get(url).get_data(as_text=True)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert " src=" in tag or 'type="application/ld+json"' in tag, tag
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


@pytest.mark.parametrize(
    ("url", "cache"),
    [
        ("/", "public, max-age=60"),
        ("/documents/reports/cart-report", "public, max-age=60"),
        ("/api/search", "public, max-age=60"),
        ("/search?q=abduction", "private, max-age=60"),
        ("/api/search?q=abduction", "private, max-age=60"),
        ("/search?topic=exploitation", "private, max-age=60"),
        ("/no-such-page", "no-store"),
        ("/api/search?page=0", "no-store"),
    ],
)
def test_responses_are_cached_sensibly(client: FlaskClient, url: str, cache: str) -> None:
    assert client.get(url).headers["Cache-Control"] == cache


HOSTILE_QUERIES = [
    'title:(foo OR "',
    "*",
    "?",
    "AND OR NOT",
    '"',
    "((((((",
    "body:secret path:/etc/passwd",
    "amber~2 alert^10",
    "a" * 5000,
    "missing " * 700,
    "amber\x00alert",
    "\x00\x01\x02\x1b",
    "\u202eevil\u202c",
    "emoji \U0001f600 ñandú",
    "%00%2e%2e",
    "' OR 1=1 --",
    "{{ 7*7 }} {% raw %}",
]


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
@pytest.mark.parametrize("base", ["/search", "/api/search"])
def test_hostile_queries_never_break_a_search(client: FlaskClient, base: str, q: str) -> None:
    response = client.get(base + "?" + urlencode({"q": q}))
    assert response.status_code == 200
    assert "\x00" not in response.get_data(as_text=True)


def test_template_syntax_in_the_query_is_shown_not_evaluated(client: FlaskClient) -> None:
    html = client.get("/search?" + urlencode({"q": "{{ 7*7 }}"})).get_data(as_text=True)
    assert "Results for <q>{{ 7*7 }}</q>" in html


@pytest.mark.parametrize("base", ["/search?q=", "/search?sort=title&q=x+"])
def test_markup_in_the_query_is_escaped_everywhere_on_the_page(
    client: FlaskClient, base: str
) -> None:
    html = client.get(base + SCRIPT).get_data(as_text=True)
    assert SCRIPT not in html
    assert ESCAPED in html


@pytest.mark.parametrize("name", ["topic", "audience", "type", "language"])
def test_markup_in_a_facet_parameter_is_dropped_with_an_escaped_notice_or_a_json_400(
    client: FlaskClient, name: str
) -> None:
    response = client.get("/search?" + urlencode({"q": "amber", name: SCRIPT}))
    assert response.status_code == 200  # pages forgive an unknown value; the API refuses it
    html = response.get_data(as_text=True)
    assert "no longer exists, so it was left out" in html
    assert SCRIPT not in html
    assert ESCAPED in html
    api = client.get("/api/search?" + urlencode({name: SCRIPT}))
    assert api.status_code == 400
    assert api.get_json()["error"] == "bad_request"


def test_markup_in_a_suggestion_link_is_escaped(client: FlaskClient) -> None:
    html = client.get(
        "/search?" + urlencode({"q": 'sextortoin "><img src=x onerror=alert(1)>'})
    ).get_data(as_text=True)
    assert "<img src=x" not in html
    assert "onerror=alert(1)>" not in html


ABSURD_PAGING = [
    "page=-1", "page=0", "page=10" + "0" * 19, "page=1e3", "page=", "page=%00", "page=1&page=2",
    "per_page=100000", "per_page=abc", "per_page=-5", "per_page=", "per_page=100", "page=1000",
    "page=999999999999999999999999999999", "year_min=-1", "year_min=99999", "year_max=abc",
    "sort=", "sort=%3Cscript%3E", "page=" + "9" * 5000,
]  # fmt: skip


@pytest.mark.parametrize("query", ABSURD_PAGING)
@pytest.mark.parametrize("base", ["/search", "/api/search"])
def test_absurd_paging_is_a_400_or_a_normal_page(
    client: FlaskClient, base: str, query: str
) -> None:
    response = client.get(f"{base}?{query}")
    assert response.status_code in (200, 400)
    if base.startswith("/api") and response.status_code == 400:
        assert response.get_json()["error"] == "bad_request"


def test_random_parameter_soup_never_answers_500(client: FlaskClient) -> None:
    rng = random.Random(4)
    names = ["q", "topic", "audience", "type", "language", "year_min", "year_max", "sort",
             "page", "per_page", "x", ""]  # fmt: skip
    values = ["", "0", "-1", "2019", "abduction", "families", "guide", "es", "title", "<b>",
              "\x00", "%", "9" * 30, "..", "ñ", '"', "relevance", "100"]  # fmt: skip
    for _ in range(150):
        pairs = [(rng.choice(names), rng.choice(values)) for _ in range(rng.randint(0, 6))]
        for base in ("/search", "/api/search"):
            response = client.get(base + "?" + urlencode(pairs))
            assert response.status_code in (200, 400), (base, pairs)


@pytest.mark.parametrize(
    "path",
    ["/documents/%ff%fe", "/search?q=%ff%fe", "/api/search?topic=%ff", "/%00", "/documents/%00"],
)
def test_broken_encodings_are_handled(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code in (200, 400, 404)


def test_robots_keep_crawlers_off_filters_files_and_the_api(client: FlaskClient) -> None:
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    for rule in ("/api/", "/files/", "/*?*topic=", "/*?*audience=", "/*?*type=", "/*?*language=",
                 "/*?*year_min=", "/*?*year_max=", "/*?*sort=", "/*?*page=", "/*?*per_page="):  # fmt: skip
        assert f"Disallow: {rule}" in lines
    assert not any(line.endswith("q=") for line in lines)


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """An app over a corpus whose own metadata and files are hostile."""
    corpus = tmp_path_factory.mktemp("hostile-corpus")
    shutil.copy(VOCABULARY, corpus / "vocabulary.toml")
    write(corpus, "evil/page.html", html_page(
        "Evil page", f"<p>Missing children {SCRIPT}</p><script>document.cookie</script>"
    ))  # fmt: skip
    write(corpus, "evil/page.toml", (
        f'title = "</script>{SCRIPT}"\nsummary = "<img src=x onerror=alert(2)> missing"\n'
        'source_url = "javascript:alert(3)"\ntype = "guide"\n'
    ))  # fmt: skip
    index = tmp_path_factory.mktemp("hostile-index")
    assert pipeline.run(settings_for(corpus, index)).exit_code == 0
    return create_app({"TESTING": True, "INDEX_DIR": str(index)}).test_client()


@pytest.mark.parametrize("url", ["/", "/search?q=missing", "/documents/evil/page", "/families"])
def test_markup_in_the_corpus_metadata_is_never_rendered(
    hostile_client: FlaskClient, url: str
) -> None:
    html = hostile_client.get(url).get_data(as_text=True)
    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert "javascript:" not in html


def test_a_hostile_title_cannot_close_the_json_ld_block(hostile_client: FlaskClient) -> None:
    html = hostile_client.get("/documents/evil/page").get_data(as_text=True)
    assert html.count("</script>") == html.count("<script")  # nothing closes a block early
    assert json_ld(html)["name"] == f"</script>{SCRIPT}"


def test_a_hostile_corpus_page_is_served_sandboxed(hostile_client: FlaskClient) -> None:
    with hostile_client.get("/files/evil/page") as response:
        assert response.status_code == 200
        assert response.headers["Content-Security-Policy"].startswith("sandbox;")


@pytest.mark.parametrize(("url", "json"), [("/boom", False), ("/api/boom", True)])
def test_a_bug_shows_a_calm_500_without_a_traceback(
    index_dir: Path, url: str, json: bool, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})

    def boom() -> str:
        """A view with a bug in it."""
        raise RuntimeError("secret detail /srv/path")

    app.add_url_rule(url, "boom", boom)
    response = app.test_client().get(url)
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret detail" not in body
    assert "Traceback" not in body
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    if json:
        assert response.get_json()["error"] == "internal_error"
    else:
        assert "Something went wrong on our side" in body
    assert "secret detail" in caplog.text  # but the log has it, for whoever fixes the bug
