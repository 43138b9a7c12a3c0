"""/search.atom: an Atom 1.0 feed of a search's newest publications, read back with feedparser."""

from __future__ import annotations

import re

import feedparser
import pytest
from flask import Flask
from flask.testing import FlaskClient

from library.citation import PROGRAM
from webapp import create_app

BASE = "https://library.example.org"


@pytest.fixture
def based(index_dir: object) -> FlaskClient:
    """A client of an app with MECP_BASE_URL set."""
    app: Flask = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "BASE_URL": BASE})
    return app.test_client()


def parse(client: FlaskClient, url: str) -> feedparser.FeedParserDict:
    """Fetch a feed and parse it, failing on anything feedparser finds malformed."""
    response = client.get(url)
    assert response.status_code == 200
    assert response.content_type == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_with_no_parameters_it_is_the_feed_of_new_publications_newest_first(
    based: FlaskClient,
) -> None:
    """Every publication of the small index, newest first, with the program as author."""
    feed = parse(based, "/search.atom")
    assert feed.feed.title == "MECP Resource Library: new publications"
    assert feed.feed.author == PROGRAM
    dates = [entry.published_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)
    total = based.get("/api/search").get_json()["total"]
    assert len(feed.entries) == total
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link == f"{BASE}/search.atom"


def test_an_entry_has_title_summary_date_categories_and_links(based: FlaskClient) -> None:
    """Links to the canonical page and to the file (with its type and length)."""
    feed = parse(based, "/search.atom?q=sextortion")
    entry = next(e for e in feed.entries if e.id.endswith("/fact-sheets/sextortion"))
    assert entry.title == "Sextortion: What Young People Should Know"
    assert entry.summary
    assert entry.published.startswith("2023-06-12")
    terms = {tag.term for tag in entry.tags}
    assert {"exploitation", "technology", "youth"} <= terms
    labels = {tag.label for tag in entry.tags}
    assert "Youth" in labels or "Young people" in labels or len(labels) == len(terms)
    links = {link.rel: link for link in entry.links}
    assert links["alternate"].href == f"{BASE}/documents/fact-sheets/sextortion"
    assert links["enclosure"].href == f"{BASE}/files/fact-sheets/sextortion"
    assert links["enclosure"].type == "application/pdf"
    assert int(links["enclosure"].length) > 0


def test_a_feed_takes_the_parameters_of_search_and_names_them(based: FlaskClient) -> None:
    """Filters narrow the feed; its title says what it follows; sort and page do not matter."""
    feed = parse(based, "/search.atom?topic=amber-alert&sort=title&page=1&per_page=3")
    ids = [entry.id.rsplit("/documents/", 1)[1] for entry in feed.entries]
    expected = based.get("/api/search?topic=amber-alert&sort=newest").get_json()["results"]
    assert ids == [hit["id"] for hit in expected]
    assert feed.feed.title == "MECP Resource Library: AMBER Alert"
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link == f"{BASE}/search.atom?topic=amber-alert"


def test_a_feed_is_newest_first_whatever_sort_is_asked(based: FlaskClient) -> None:
    """sort=oldest still gives the newest publications first."""
    ids = [
        e.id.rsplit("/documents/", 1)[1] for e in parse(based, "/search.atom?sort=oldest").entries
    ]
    newest = based.get("/api/search?sort=newest&per_page=20").get_json()["results"]
    assert ids == [hit["id"] for hit in newest]


def test_a_feed_lists_at_most_20_entries(
    based: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """20 entries at most, whatever per_page asks."""
    from webapp import feeds

    monkeypatch.setattr(feeds, "FEED_ENTRIES", 2)
    assert len(parse(based, "/search.atom?per_page=50").entries) == 2


def test_markup_in_a_query_is_text_in_the_feed(based: FlaskClient) -> None:
    """A hostile query is escaped by the XML writer, never markup."""
    response = based.get("/search.atom?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert b"<script>" not in response.data
    assert parse(based, "/search.atom?q=%3Cscript%3E").feed.title.endswith("\u201c<script>\u201d")


@pytest.mark.parametrize("query", ["topic=nonsense", "year_min=abc", "per_page=0"])
def test_bad_parameters_are_400_as_on_search(client: FlaskClient, query: str) -> None:
    """The same validation as /search."""
    assert client.get(f"/search.atom?{query}").status_code == 400


def test_a_feed_depending_on_the_query_is_privately_cached(client: FlaskClient) -> None:
    """A feed of a search names what was searched: no shared cache keeps it."""
    assert client.get("/search.atom?q=abduction").headers["Cache-Control"].startswith("private")


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/", "/search.atom"),
        (
            "/search?q=amber+alert&topic=amber-alert&page=2",
            "/search.atom?q=amber+alert&topic=amber-alert",
        ),
    ],
)
def test_home_and_search_pages_announce_their_feed_and_show_subscribe(
    client: FlaskClient, url: str, feed: str
) -> None:
    """<link rel=alternate type=application/atom+xml> in the head and a visible Subscribe link."""
    html = client.get(url).get_data(as_text=True)
    head = html[: html.index("</head>")]
    announced = re.findall(
        r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"', head
    )
    assert [a.replace("&amp;", "&") for a in announced] == [feed]
    body = html[html.index("<body") :]
    assert re.search(rf'<a href="{re.escape(feed.replace("&", "&amp;"))}"[^>]*>Subscribe', body)


def test_a_search_page_links_its_exports(client: FlaskClient) -> None:
    """The same search as RIS and BibTeX."""
    html = client.get("/search?q=amber&page=1").get_data(as_text=True)
    assert 'href="/search.ris?q=amber&amp;page=1"' in html
    assert 'href="/search.bib?q=amber&amp;page=1"' in html


def test_a_spanish_feed_speaks_spanish(based: FlaskClient) -> None:
    """lang=es: the title and the category labels in Spanish, the feed's xml:lang es."""
    feed = parse(based, "/search.atom?lang=es")
    assert feed.feed.title.endswith(": publicaciones nuevas")
    assert feed.feed.language == "es"


def test_a_spanish_search_page_links_its_feed_and_json_once_with_lang(client: FlaskClient) -> None:
    """lang=es is carried once into the feed, the exports and the JSON alternate."""
    html = client.get("/search?q=amber&lang=es").get_data(as_text=True)
    head = html[: html.index("</head>")]
    assert 'href="/api/search?q=amber&amp;lang=es"' in head
    assert 'href="/search.atom?q=amber&amp;lang=es"' in head
    assert "?lang=es?" not in html
