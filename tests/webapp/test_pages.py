"""The HTML pages over the sample index: content, links, accessibility hooks, JSON-LD."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask.testing import FlaskClient

from tests.webapp.conftest import json_ld, text_of

PAGES = [
    "/",
    "/families",
    "/search",
    "/search?q=missing+child",
    "/search?q=zzzzqqq",
    "/documents/reports/cart-report",
    "/documents/families/guia-regreso",
]


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    """GET url, check the status, return the HTML."""
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_the_accessible_frame(client: FlaskClient, url: str) -> None:
    html = page(client, url)
    assert '<html lang="en">' in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert "<footer" in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert '<meta name="viewport"' in html


@pytest.mark.parametrize(("url", "current"), [("/", "Home"), ("/families", "For families")])
def test_the_navigation_marks_the_current_page(client: FlaskClient, url: str, current: str) -> None:
    assert re.search(rf'aria-current="page">{current}</a>', page(client, url))


def test_home_shows_the_emergency_box_with_phone_links(client: FlaskClient) -> None:
    html = page(client, "/")
    assert "If a child is missing right now" in html
    assert 'href="tel:911"' in html
    assert 'href="tel:+18008435678"' in html
    assert "1-800-THE-LOST" in html
    assert "1-800-843-5678" in html
    assert "no waiting period" in html


def test_home_browses_by_topic_and_audience_with_counts(client: FlaskClient) -> None:
    html = page(client, "/")
    assert re.search(r'href="/search\?topic=abduction" rel="nofollow">Child Abduction</a>', html)
    families = re.search(
        r'href="/search\?audience=families" rel="nofollow">Families</a>(.*?)</li>', html
    )
    assert families
    assert text_of(families.group(1)).startswith("2")


def test_home_lists_the_newest_publications_and_links_to_families(client: FlaskClient) -> None:
    html = page(client, "/")
    newest = html.split('id="newest"')[1]
    assert newest.index("Forensic Interviewing") < newest.index("Sextortion")
    assert 'href="/families"' in html
    assert '<label for="home-q">Search the library</label>' in html


def test_families_page_leads_to_guides_and_spanish_publications(client: FlaskClient) -> None:
    html = page(client, "/families")
    guides, spanish = html.split('id="espanol"')
    assert "The First Hours When Your Child Is Missing" in guides
    assert '<section lang="es"' in guides[-300:]  # the Spanish section is marked as Spanish
    assert '<li lang="es">' in spanish
    assert "Cuando su hijo regresa a casa" in spanish
    assert "If a child is missing right now" in html


def test_search_page_shows_count_facets_and_a_json_alternate(client: FlaskClient) -> None:
    html = page(client, "/search?sort=title&audience=families")
    count = re.search(
        r'<p class="result-count" id="result-count" role="status" aria-live="polite">(.*?)</p>',
        html,
        re.S,
    )
    assert count
    assert text_of(count.group(1)).startswith("2 publications")
    assert (
        '<input type="checkbox" id="f-audience-families" name="audience" value="families" checked>'
        in html
    )
    assert 'name="audience" value="law-enforcement">' in html
    alternate = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)"', html)
    assert alternate
    assert unescape(alternate.group(1)) == "/api/search?audience=families&sort=title"
    assert '<label for="q">Search words</label>' in html
    assert '<label for="sort">Sort by</label>' in html


def test_a_selected_filter_is_a_removable_chip(client: FlaskClient) -> None:
    html = page(client, "/search?q=missing&audience=families&topic=missing-investigations")
    chips = html.split('<div class="chips">')[1].split("</div>")[0]
    assert 'href="/search?q=missing&amp;topic=missing-investigations"' in chips  # drops families
    assert 'rel="nofollow"' in chips
    assert "Audience: Families" in text_of(chips)
    assert 'href="/search?q=missing"' in chips  # clear all keeps the words


def test_snippets_carry_marks_and_spanish_results_carry_lang(client: FlaskClient) -> None:
    html = page(client, "/search?q=hijo")
    assert '<li class="result" lang="es">' in html
    assert "<mark>" in html


def test_a_misspelling_matching_nothing_shows_the_correction_and_a_way_back(
    client: FlaskClient,
) -> None:
    html = page(client, "/search?q=sextortoin")
    assert (
        "No results for <q>sextortoin</q>. Showing results for <q><strong>sextortion</strong>"
        in html
    )
    assert 'href="/search?q=sextortoin&amp;exact=1" rel="nofollow">Search for exactly' in html
    exact = page(client, "/search?q=sextortoin&exact=1")
    assert re.search(r'Did you mean <a href="/search\?q=sextortion[^"]*">sextortion</a>\?', exact)


def test_no_results_suggest_dropping_filters_and_keep_the_words(client: FlaskClient) -> None:
    html = page(client, "/search?q=sextortion&language=es")
    assert "No publications found" in html
    assert 'href="/search?q=sextortion" rel="nofollow">Search for' in html


def test_pagination_marks_the_current_page(client: FlaskClient) -> None:
    html = page(client, "/search?per_page=2&page=2")
    nav = html.split('<nav class="pagination" aria-label="Result pages">')[1].split("</nav>")[0]
    assert re.search(r'href="/search\?page=2&amp;per_page=2" aria-current="page">', nav)
    assert 'rel="prev nofollow"' in nav
    assert 'rel="next nofollow"' in nav
    assert '<ol class="results" start="3">' in html


def test_a_page_past_the_end_links_back_to_the_first(client: FlaskClient) -> None:
    html = page(client, "/search?q=missing&page=40")
    assert "Go to the first page" in html


def test_a_cut_query_is_announced(client: FlaskClient) -> None:
    assert "only its first 500 characters were used" in page(client, "/search?q=" + "a" * 600)


def test_document_page_shows_metadata_links_and_the_original(client: FlaskClient) -> None:
    html = page(client, "/documents/reports/cart-report")
    assert "<h1>Child Abduction Response Teams: A Field Report</h1>" in html
    assert "June 2016" in html
    assert 'href="/search?topic=abduction" rel="nofollow">Child Abduction</a>' in html
    assert 'href="/search?audience=law-enforcement" rel="nofollow">Law Enforcement</a>' in html
    assert (
        '<a class="button" href="/files/reports/cart-report">Open the PDF, 2 pages, 21 KB</a>'
        in html
    )
    assert 'href="/files/reports/cart-report" download' in html


def test_document_page_lists_related_publications(client: FlaskClient) -> None:
    html = page(client, "/documents/guides/first-hours")
    related = html.split('id="related-title"')[1]
    assert related.count('<h3 class="doc-title">') >= 1
    assert "/documents/guides/first-hours" not in related


def test_document_page_describes_itself_in_json_ld(client: FlaskClient) -> None:
    data = json_ld(page(client, "/documents/guides/first-hours"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "DigitalDocument"
    assert data["name"] == "The First Hours When Your Child Is Missing"
    assert data["datePublished"] == "2019-03-04"
    assert data["inLanguage"] == "en"
    assert data["url"] == "http://localhost/documents/guides/first-hours"
    assert {"@type": "Thing", "name": "Missing Child Investigations"} in data["about"]
    assert data["audience"] == [{"@type": "Audience", "audienceType": "Families"}]


def test_a_spanish_document_is_marked_as_spanish(client: FlaskClient) -> None:
    html = page(client, "/documents/families/guia-regreso")
    assert '<h1 lang="es">Cuando su hijo regresa a casa</h1>' in html
    assert json_ld(html)["inLanguage"] == "es"


@pytest.mark.parametrize(
    "url", ["/documents/no/such/doc", "/documents/", "/documents/guides", "/no-such-page"]
)
def test_unknown_pages_and_ids_are_a_friendly_404(client: FlaskClient, url: str) -> None:
    html = page(client, url, status=404)
    assert "Page not found" in html
    assert 'action="/search"' in html


def test_a_bad_search_parameter_is_a_400_page_saying_why(client: FlaskClient) -> None:
    html = page(client, "/search?per_page=500", status=400)
    assert "per_page must be a whole number from 1 to 100" in html


def test_a_post_is_a_405_page(client: FlaskClient) -> None:
    response = client.post("/search")
    assert response.status_code == 405
    assert response.mimetype == "text/html"
