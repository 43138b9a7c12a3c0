"""The interface in two languages: how the language is chosen, carried and formatted."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask.testing import FlaskClient

from tests.webapp.conftest import text_of

SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


def html_of(client: FlaskClient, url: str, headers: dict[str, str] | None = None) -> str:
    """GET a page and return its HTML."""
    response = client.get(url, headers=headers or {})
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def page_lang(html: str) -> str:
    """The language the page declares."""
    match = re.search(r'<html lang="([a-z]+)">', html)
    assert match
    return match.group(1)


@pytest.mark.parametrize(
    ("url", "headers", "expected"),
    [
        ("/", {}, "en"),
        ("/", SPANISH, "es"),
        ("/", {"Accept-Language": "fr-FR,fr;q=0.9"}, "en"),
        ("/", {"Accept-Language": "fr,es;q=0.8"}, "es"),
        ("/?lang=es", {}, "es"),
        ("/?lang=en", SPANISH, "en"),
        ("/?lang=fr", SPANISH, "es"),
        ("/?lang=ES", {}, "es"),
        ("/families?lang=es", ENGLISH, "es"),
        ("/search?q=missing&lang=es", {}, "es"),
        ("/documents/reports/cart-report", SPANISH, "es"),
        ("/no/such/page?lang=es", {}, "es"),
    ],
)
def test_lang_in_the_url_wins_then_accept_language_then_english(
    client: FlaskClient, url: str, headers: dict[str, str], expected: str
) -> None:
    html = html_of(client, url, headers)
    assert page_lang(html) == expected
    heading = "Si un niño está desaparecido" if expected == "es" else "If a child is missing"
    if "search" not in url and "cart-report" not in url:
        assert heading in html


def test_spanish_pages_speak_spanish_everywhere(client: FlaskClient) -> None:
    html = html_of(client, "/search?q=missing&lang=es")
    words = text_of(html)
    for spanish in ("Buscar", "Filtros", "Ordenar por", "Más relevantes", "Por página"):
        assert spanish in words
    assert re.search(r"Ver \d+ resultados", words)
    for english in ("Search words", "Sort by", "Show", "Best match", "Per page"):
        assert english not in words


def test_every_link_and_form_carries_an_explicit_lang(client: FlaskClient) -> None:
    for url in ("/?lang=es", "/search?q=missing&lang=es", "/documents/guides/first-hours?lang=es"):
        html = unescape(html_of(client, url))
        links = re.findall(r'<a [^>]*href="(/[^"#]*)"', html)
        assert links
        for link in links:
            if link.startswith("/static/"):
                continue
            assert re.search(r"[?&]lang=(es|en)(&|$)", link), f"{url}: {link} lost the language"
        for form in re.findall(r"<form .*?</form>", html, re.S):
            assert '<input type="hidden" name="lang" value="es">' in form, url


def test_without_an_explicit_lang_links_stay_neutral(client: FlaskClient) -> None:
    html = unescape(html_of(client, "/search?q=missing", SPANISH))
    assert page_lang(html) == "es"
    assert 'href="/families"' in html
    assert 'name="lang"' not in html


def test_every_page_names_its_alternates_and_shows_the_switch(client: FlaskClient) -> None:
    html = unescape(html_of(client, "/search?q=missing&topic=abduction&lang=es"))
    assert (
        '<link rel="alternate" hreflang="en" href="/search?q=missing&topic=abduction&lang=en">'
        in html
    )
    assert (
        '<link rel="alternate" hreflang="es" href="/search?q=missing&topic=abduction&lang=es">'
        in html
    )
    assert (
        '<link rel="alternate" hreflang="x-default" href="/search?q=missing&topic=abduction">'
        in html
    )
    switch = re.search(r'<nav class="lang-switch".*?</nav>', html, re.S)
    assert switch
    assert re.search(r'lang="es" hreflang="es" aria-current="true">Español</a>', switch.group())
    assert re.search(r'lang="en" hreflang="en">English</a>', switch.group())


def test_pages_vary_by_accept_language_and_set_no_cookie(client: FlaskClient) -> None:
    for url in ("/", "/search?q=missing", "/documents/reports/cart-report", "/nowhere"):
        response = client.get(url, headers=SPANISH)
        assert "Accept-Language" in response.headers.get("Vary", ""), url
        assert "Set-Cookie" not in response.headers, url


def test_dates_numbers_and_plurals_follow_the_language(client: FlaskClient) -> None:
    english = text_of(html_of(client, "/documents/guides/first-hours?lang=en"))
    spanish = text_of(html_of(client, "/documents/guides/first-hours?lang=es"))
    assert "March 4, 2019" in english
    assert "4 de marzo de 2019" in spanish
    assert "Publicado" in spanish
    assert "Descargar" in spanish
    one = text_of(html_of(client, "/search?q=sextortion+trusted+adult&type=fact-sheet&lang=es"))
    assert re.search(r"\b1 publicación\b", one)
    many = text_of(html_of(client, "/search?lang=es"))
    assert re.search(r"\b\d+ publicaciones\b", many)
    assert "de la más reciente a la más antigua" in many


def test_the_error_pages_speak_the_language_but_the_api_stays_english(
    client: FlaskClient,
) -> None:
    assert "No encontramos esta página" in html_of(client, "/documents/nope", SPANISH)
    bad = client.get("/search?page=0", headers=SPANISH)
    assert bad.status_code == 400
    assert "debe ser un número entero de 1 a 1000" in bad.get_data(as_text=True)
    api = client.get("/api/search?page=0", headers=SPANISH)
    assert api.status_code == 400
    assert api.get_json()["message"] == "page must be a whole number from 1 to 1000"


def test_a_query_in_the_spanish_title_is_escaped(client: FlaskClient) -> None:
    html = html_of(client, "/search?q=%3Cscript%3Ex&lang=es")
    assert "<script>x" not in html
    assert "&lt;script&gt;x" in html


def test_facets_chips_and_pages_use_the_vocabulary_in_spanish(client: FlaskClient) -> None:
    html = html_of(client, "/search?type=guide&topic=missing-investigations&lang=es")
    assert '<legend class="visually-hidden">Tema</legend>' in html
    assert '<legend class="visually-hidden">Público</legend>' in html
    assert re.search(r"Investigación de niños desaparecidos <span class=\"count\">", html)
    assert 'aria-label="Quitar el filtro Tipo: Guía"' in html
    document = text_of(html_of(client, "/documents/guides/first-hours?lang=es"))
    assert "Familias" in document
    assert "Investigación de niños desaparecidos" in document
    english = text_of(html_of(client, "/documents/guides/first-hours"))
    assert "Missing Child Investigations" in english
