"""Pages inside PDFs on the site: hits say "page N" and open the PDF there; a document page's
search-within box lists the pages that match."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def test_a_pdf_hit_links_its_page(client: FlaskClient) -> None:
    """The CART report's second page holds the words: the hit opens the PDF at #page=2."""
    html = client.get("/search?q=recommendations+deploying").get_data(as_text=True)
    assert '<a href="/files/reports/cart-report#page=2">Open the PDF at page 2</a>' in html


def test_the_api_gives_the_page(client: FlaskClient) -> None:
    """page is in every hit: a number inside a PDF, null elsewhere."""
    results = client.get("/api/search?q=recommendations+deploying").get_json()["results"]
    pages = {hit["id"]: hit["page"] for hit in results}
    assert pages["reports/cart-report"] == 2
    assert all(page is None for doc_id, page in pages.items() if doc_id != "reports/cart-report")


def test_the_document_page_lists_the_pages_that_match(client: FlaskClient) -> None:
    """?q= on a PDF's page: each matching page, its count and snippet, linking #page=N."""
    html = client.get("/documents/reports/cart-report?q=deploy").get_data(as_text=True)
    section = html[html.index('<section class="within"') :]
    section = section[: section.index("</section>")]
    assert 'value="deploy"' in section
    assert re.search(r'<a href="/files/reports/cart-report#page=2">Page 2</a>', section)
    assert "page=1" not in section
    assert "<mark>deploying</mark>" in section
    assert "Found on 1 page:" in section


def test_the_search_within_box_is_on_a_pdf_page_without_a_query(client: FlaskClient) -> None:
    """The box is there; nothing is listed until words are given; not on one-page documents."""
    html = client.get("/documents/reports/cart-report").get_data(as_text=True)
    assert "Search inside this PDF" in html
    assert "within-pages" not in html
    assert "Search inside this PDF" not in client.get("/documents/guides/first-hours").get_data(
        as_text=True
    )


def test_words_not_in_the_pdf_say_so_and_markup_is_escaped(client: FlaskClient) -> None:
    """A query found nowhere, even a hostile one, gives a calm sentence."""
    response = client.get("/documents/reports/cart-report?q=%3Cscript%3Exyzzy")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "These words are not in the text of this PDF." in html
    assert "<script>xyzzy" not in html


def test_search_within_in_spanish(client: FlaskClient) -> None:
    """The box and the list speak the page's language."""
    html = client.get("/documents/reports/cart-report?q=deploy&lang=es").get_data(as_text=True)
    assert "Buscar dentro de este PDF" in html
    assert "Página 2" in html
