"""Help on every page: the emergency numbers, the quick exit, families by situation, "I am a ...",
the audience pages and About."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask.testing import FlaskClient

from tests.webapp.conftest import text_of

FULL_BOX = '<aside class="emergency" aria-labelledby="emergency-title">'
COMPACT = '<aside class="emergency-bar"'
QUICK_EXIT = (
    '<a class="quick-exit" href="https://www.google.com/" rel="noreferrer" data-quick-exit-link>'
)


def html_of(client: FlaskClient, url: str, status: int = 200) -> str:
    """GET a page, check its status, return its HTML."""
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "status", "full", "family"),
    [
        ("/", 200, True, False),
        ("/families", 200, True, True),
        ("/documents/guides/first-hours", 200, True, True),  # a guide for families
        ("/documents/reports/cart-report", 200, False, False),
        ("/search?q=missing", 200, False, False),
        ("/search?q=zzzzqqq", 200, False, False),
        ("/about", 200, False, False),
        ("/for/law-enforcement", 200, False, False),
        ("/no/such/page", 404, True, False),
        ("/search?page=0", 400, True, False),
    ],
)
def test_every_page_has_the_emergency_numbers_and_family_pages_a_quick_exit(
    client: FlaskClient, url: str, status: int, full: bool, family: bool
) -> None:
    html = html_of(client, url, status)
    assert (FULL_BOX in html) is full
    assert (COMPACT in html) is not full  # one or the other, never both
    assert '<a class="tel" href="tel:911">911</a>' in html
    assert re.search(r'<a class="(phone )?tel" href="tel:\+18008435678">', html)
    assert "1-800-THE-LOST" in html
    assert (QUICK_EXIT in html) is family
    assert ('data-quick-exit="https://www.google.com/"' in html) is family


def test_the_compact_line_comes_before_the_page_content(client: FlaskClient) -> None:
    html = html_of(client, "/search?q=missing")
    assert html.index(COMPACT) < html.index('<main id="main"') < html.index("<h1")
    bar = html[html.index(COMPACT) : html.index("</aside>", html.index(COMPACT))]
    line = unescape(re.sub(r"\s+([,.])", r"\1", text_of(bar)))
    assert line == (
        "If a child is missing right now: call 911, then the National Center for Missing & "
        "Exploited Children, 1-800-THE-LOST (1-800-843-5678)"
    )


def test_the_emergency_line_speaks_spanish_on_spanish_pages(client: FlaskClient) -> None:
    html = html_of(client, "/search?q=missing&lang=es")
    assert "Si un niño está desaparecido ahora mismo:" in html
    assert "Salir de este sitio" in html_of(client, "/families?lang=es")


def test_no_page_sets_a_cookie(client: FlaskClient) -> None:
    for url in ("/", "/families", "/documents/guides/first-hours", "/search?q=x", "/about"):
        assert "Set-Cookie" not in client.get(url).headers


def test_the_families_page_is_organised_by_situation(client: FlaskClient) -> None:
    html = html_of(client, "/families")
    anchors = re.findall(r'<section class="situation" aria-labelledby="([a-z-]+)">', html)
    assert anchors == [
        "missing-now", "came-home", "ran-away", "taken-by-parent", "threatened-online",
        "sibling-missing",
    ]  # fmt: skip
    for anchor in anchors:
        assert f'<a href="#{anchor}">' in html
    missing = html[html.index('aria-labelledby="missing-now"') :]
    first = re.search(r'class="doc-title"><a href="([^"]+)"', missing)
    assert first
    assert first.group(1) == "/documents/guides/first-hours"
    assert html.index('href="#espanol"') < html.index("<h2")  # the jump link is at the top
    assert 'id="espanol"' in html


def test_the_home_page_leads_each_audience_to_its_page(client: FlaskClient) -> None:
    html = html_of(client, "/")
    who = re.search(r'<nav class="who".*?</nav>', html, re.S)
    assert who
    links = re.findall(r'href="([^"]+)">([^<]+)</a>', who.group())
    assert [href for href, _ in links] == [
        "/families", "/for/law-enforcement", "/for/prosecutors", "/for/child-welfare",
        "/for/medical", "/for/advocacy-centers", "/for/educators",
    ]  # fmt: skip
    assert links[0][1] == "I am a parent or family member"
    assert 'id="browse-type"' in html


def test_an_audience_page_lists_its_publications_and_searches_within_them(
    client: FlaskClient,
) -> None:
    html = html_of(client, "/for/law-enforcement")
    assert "<h1>For law enforcement</h1>" in html
    assert "/documents/newsletters/spring-2011" in html  # the sample's law-enforcement newsletter
    assert '<input type="hidden" name="audience" value="law-enforcement">' in html
    assert 'href="/search?audience=law-enforcement"' in html
    spanish = html_of(client, "/for/law-enforcement?lang=es")
    assert "<h1>Para la policía</h1>" in spanish
    assert '<input type="hidden" name="lang" value="es">' in spanish


def test_unknown_audiences_are_404_and_families_go_to_their_page(client: FlaskClient) -> None:
    html_of(client, "/for/astronauts", 404)
    response = client.get("/for/families?lang=es")
    assert response.status_code == 302
    assert response.headers["Location"] == "/families?lang=es"


def test_about_says_what_the_program_is_and_how_to_reach_it(client: FlaskClient) -> None:
    words = text_of(html_of(client, "/about"))
    for fact in (
        "1-888-347-5610", "training and technical assistance", "third Wednesday",
        "Newsletters", "National Missing Children's Day", "poster contest",
    ):  # fmt: skip
        assert fact.lower() in words.lower(), fact
    assert 'href="tel:+18883475610"' in html_of(client, "/about")
    spanish = text_of(html_of(client, "/about?lang=es"))
    assert "tercer miércoles" in spanish
    assert "1-888-347-5610" in spanish


@pytest.mark.parametrize("url", ["/", "/search?q=x", "/documents/reports/cart-report", "/nope"])
def test_every_footer_links_to_about(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    footer = response.get_data(as_text=True).split('<footer class="site-footer">')[1]
    assert 'href="/about"' in footer
