"""Being found: /opensearch.xml, /sitemap.xml (and its index form), robots.txt naming it."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from flask.testing import FlaskClient

from webapp import create_app

BASE = "https://library.example.org"
OS = "{http://a9.com/-/spec/opensearch/1.1/}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
LASTMOD = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def based(index_dir: Path, **config: object) -> FlaskClient:
    """A client of an app on MECP_BASE_URL, with config overrides."""
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "BASE_URL": BASE, **config})
    return app.test_client()


def xml(client: FlaskClient, url: str, content_type: str) -> ET.Element:
    """Fetch and parse an XML document of the given type."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.content_type == content_type
    return ET.fromstring(response.data)


def test_opensearch_describes_html_json_and_atom_searches(index_dir: Path) -> None:
    """URL templates on the canonical host, a short name of at most 16 characters, the icon."""
    root = xml(
        based(index_dir), "/opensearch.xml", "application/opensearchdescription+xml; charset=utf-8"
    )
    assert root.tag == f"{OS}OpenSearchDescription"
    short = root.findtext(f"{OS}ShortName")
    assert short
    assert len(short) <= 16
    templates = {u.get("type"): u.get("template") for u in root.iter(f"{OS}Url")}
    assert templates["text/html"] == f"{BASE}/search?q={{searchTerms}}"
    assert (
        templates["application/json"] == f"{BASE}/api/search?q={{searchTerms}}&page={{startPage?}}"
    )
    assert templates["application/atom+xml"] == f"{BASE}/search.atom?q={{searchTerms}}"
    assert templates["application/opensearchdescription+xml"] == f"{BASE}/opensearch.xml"
    image = root.find(f"{OS}Image")
    assert image is not None
    assert image.text
    assert image.text.startswith(f"{BASE}/static/favicon.svg")
    assert root.findtext(f"{OS}InputEncoding") == "UTF-8"


def test_opensearch_in_spanish_keeps_the_language_in_its_templates(index_dir: Path) -> None:
    """Asked for with lang=es, searches from the browser open in Spanish."""
    root = xml(
        based(index_dir),
        "/opensearch.xml?lang=es",
        "application/opensearchdescription+xml; charset=utf-8",
    )
    templates = {u.get("type"): u.get("template") for u in root.iter(f"{OS}Url")}
    assert templates["text/html"] == f"{BASE}/search?q={{searchTerms}}&lang=es"


@pytest.mark.parametrize(
    "url", ["/", "/search?q=amber", "/families", "/documents/reports/cart-report"]
)
def test_every_page_announces_the_opensearch_description(client: FlaskClient, url: str) -> None:
    """<link rel="search"> in the head, so browsers offer the library as a search engine."""
    head = client.get(url).get_data(as_text=True).split("</head>")[0]
    assert '<link rel="search" type="application/opensearchdescription+xml"' in head
    assert 'href="/opensearch.xml"' in head


def test_the_sitemap_lists_every_document_page_and_the_fixed_pages(index_dir: Path) -> None:
    """Canonical URLs with a lastmod each; documents as many as the index holds."""
    client = based(index_dir)
    root = xml(client, "/sitemap.xml", "application/xml; charset=utf-8")
    assert root.tag == f"{SM}urlset"
    entries = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root.iter(f"{SM}url")}
    ids = [hit["id"] for hit in client.get("/api/search?per_page=100").get_json()["results"]]
    for doc_id in ids:
        assert f"{BASE}/documents/{doc_id}" in entries
    assert f"{BASE}/" in entries
    assert f"{BASE}/families" in entries
    assert f"{BASE}/about" in entries
    audiences = [a for a in client.get("/api/vocabularies").get_json()["audiences"]]
    for audience in audiences:
        if audience["id"] != "families":
            assert f"{BASE}/for/{audience['id']}" in entries
    assert f"{BASE}/for/families" not in entries
    assert len(entries) == len(ids) + 3 + len(audiences) - 1
    assert all(LASTMOD.match(value or "") for value in entries.values())


def test_over_the_limit_the_sitemap_becomes_an_index_of_parts(index_dir: Path) -> None:
    """With 3 URLs a file, /sitemap.xml lists /sitemap-1.xml ...; the parts hold every URL once."""
    client = based(index_dir, SITEMAP_MAX_URLS=3)
    whole = xml(based(index_dir), "/sitemap.xml", "application/xml; charset=utf-8")
    expected = [u.findtext(f"{SM}loc") for u in whole.iter(f"{SM}url")]
    root = xml(client, "/sitemap.xml", "application/xml; charset=utf-8")
    assert root.tag == f"{SM}sitemapindex"
    parts = [s.findtext(f"{SM}loc") for s in root.iter(f"{SM}sitemap")]
    assert len(parts) == -(-len(expected) // 3)
    found = []
    for number, loc in enumerate(parts, 1):
        assert loc == f"{BASE}/sitemap-{number}.xml"
        part = xml(client, f"/sitemap-{number}.xml", "application/xml; charset=utf-8")
        found += [u.findtext(f"{SM}loc") for u in part.iter(f"{SM}url")]
    assert found == expected
    assert client.get(f"/sitemap-{len(parts) + 1}.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404


def test_sitemap_parts_are_404_while_one_file_holds_everything(client: FlaskClient) -> None:
    """No /sitemap-1.xml duplicating /sitemap.xml."""
    assert client.get("/sitemap-1.xml").status_code == 404


def test_robots_txt_names_the_sitemap(index_dir: Path) -> None:
    """An absolute Sitemap: line on the canonical host."""
    text = based(index_dir).get("/robots.txt").get_data(as_text=True)
    assert f"Sitemap: {BASE}/sitemap.xml" in text.splitlines()
    assert "Disallow: /documents/*/export." in text.splitlines()
    assert "Disallow: /search.ris" in text.splitlines()


def test_the_sitemap_lastmod_is_when_a_document_was_indexed(index_dir: Path) -> None:
    """The manifest records each document's indexing time; the sitemap shows it."""
    import json

    from library.index import current_generation

    generation = current_generation(index_dir)
    assert generation is not None
    records = json.loads((generation / "manifest.json").read_text())["documents"]
    root = xml(based(index_dir), "/sitemap.xml", "application/xml; charset=utf-8")
    entries = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root.iter(f"{SM}url")}
    for doc_id, record in records.items():
        if not record.get("failed"):
            assert entries[f"{BASE}/documents/{doc_id}"] == record["indexed"]


def test_favicon_ico_is_the_site_icon(client: FlaskClient) -> None:
    """Browsers ask /favicon.ico over a PDF or a feed: the SVG icon, not a 404."""
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        assert response.data.lstrip().startswith(b"<svg")
