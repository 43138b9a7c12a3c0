"""Citations on document pages and the RIS, BibTeX and CSL-JSON downloads, over HTTP."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from flask.testing import FlaskClient

from ingest import pipeline
from library.citation import PROGRAM
from tests.conftest import VOCABULARY, settings_for
from tests.factories import pdf_bytes, write
from webapp import create_app

BASE = "https://library.example.org"
TRICKY = 'Guía "rápida" {para} familias & <b>niños</b> 100%'


@pytest.fixture(scope="module")
def cite_client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """An app over a corpus whose titles hold accents, quotes, braces and markup."""
    corpus = tmp_path_factory.mktemp("cite-corpus")
    shutil.copy(VOCABULARY, corpus / "vocabulary.toml")
    write(corpus, "guias/rapida.pdf", pdf_bytes(["Qué hacer si su hijo desaparece.", "Llame."]))
    write(corpus, "guias/rapida.toml", (
        f"title = '{TRICKY}'\nlanguage = \"es\"\ndate = \"2020-06-01\"\ntype = \"guide\"\n"
        'authors = ["Núñez, José", "Fox Valley Technical College"]\n'
        'topics = ["reunification"]\n'
    ))  # fmt: skip
    write(corpus, "sheets/amber.txt", "AMBER Alert criteria\n\nThe criteria for an AMBER Alert.")
    write(corpus, "sheets/amber.toml", 'type = "fact-sheet"\ndate = "2011"\n')
    index = tmp_path_factory.mktemp("cite-index")
    assert pipeline.run(settings_for(corpus, index)).exit_code == 0
    app = create_app({"TESTING": True, "INDEX_DIR": str(index), "BASE_URL": BASE})
    return app.test_client()


def test_a_document_page_has_a_cite_block_in_three_styles(client: FlaskClient) -> None:
    """APA 7, MLA 9 and Chicago, each as selectable text, and the three export links."""
    html = client.get("/documents/reports/cart-report").get_data(as_text=True)
    block = html[html.index('<section class="cite"') :]
    for label in ("APA 7", "MLA 9", "Chicago (author-date)"):
        assert f">{label}</dt>" in block
    assert block.count('class="reference"') == 3
    assert f"{PROGRAM}. (2016). <i>Child Abduction Response Teams" in block
    for fmt in ("ris", "bib", "json"):
        assert f'href="/documents/reports/cart-report/export.{fmt}"' in block


def test_highwire_tags_and_the_canonical_link_use_the_base_url(cite_client: FlaskClient) -> None:
    """citation_* tags for Scholar and Zotero; the PDF URL and the canonical link are absolute."""
    html = cite_client.get("/documents/guias/rapida").get_data(as_text=True)
    found = re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', html)
    tags = [(name, unescape(value)) for name, value in found]
    assert ("citation_title", TRICKY) in tags
    assert [v for n, v in tags if n == "citation_author"] == [
        "Núñez, José",
        "Fox Valley Technical College",
    ]
    assert ("citation_publication_date", "2020/06/01") in tags
    assert ("citation_pdf_url", f"{BASE}/files/guias/rapida") in tags
    assert ("citation_language", "es") in tags
    assert ("citation_publisher", PROGRAM) in tags
    assert f'<link rel="canonical" href="{BASE}/documents/guias/rapida">' in html
    assert "<b>niños</b>" not in html


def test_the_cite_block_escapes_markup_in_a_title(cite_client: FlaskClient) -> None:
    """A title holding <b> is shown as text in every style."""
    html = cite_client.get("/documents/guias/rapida").get_data(as_text=True)
    start = html.index('<section class="cite"')
    block = html[start : html.index("</section>", start)]
    assert "<b>" not in block
    assert block.count("&lt;b&gt;niños&lt;/b&gt;") == 3
    assert "Núñez, J., &amp; Fox Valley Technical College. (2020)." in block


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("ris", "application/x-research-info-systems"),
        ("bib", "application/x-bibtex"),
        ("json", "application/vnd.citationstyles.csl+json"),
    ],
)
def test_document_exports_are_downloads_of_the_right_type(
    cite_client: FlaskClient, fmt: str, media_type: str
) -> None:
    """Content-Type with UTF-8 and a file name named after the document."""
    response = cite_client.get(f"/documents/guias/rapida/export.{fmt}")
    assert response.status_code == 200
    assert response.content_type == f"{media_type}; charset=utf-8"
    assert response.headers["Content-Disposition"] == f"attachment; filename=rapida.{fmt}"


def test_the_ris_export_round_trips(cite_client: FlaskClient) -> None:
    """rispy reads back the tricky title, both authors, the canonical URL and the PDF."""
    text = cite_client.get("/documents/guias/rapida/export.ris").get_data(as_text=True)
    [record] = rispy.loads(text)
    assert record["title"] == TRICKY
    assert record["authors"] == ["Núñez, José", "Fox Valley Technical College"]
    assert record["urls"] == [f"{BASE}/documents/guias/rapida"]
    assert record["file_attachments1"] == f"{BASE}/files/guias/rapida"
    assert record["language"] == "es"


def test_the_bibtex_export_round_trips(cite_client: FlaskClient) -> None:
    """bibtexparser reads back the tricky title and the program as institution."""
    text = cite_client.get("/documents/guias/rapida/export.bib").get_data(as_text=True)
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    [entry] = library.entries
    assert entry.fields_dict["title"].value == TRICKY
    assert entry.fields_dict["institution"].value == PROGRAM
    assert entry.fields_dict["author"].value == "Núñez, José and Fox Valley Technical College"


def test_the_csl_json_export_round_trips(cite_client: FlaskClient) -> None:
    """One CSL-JSON item with people and an organisation as authors."""
    [item] = json.loads(cite_client.get("/documents/guias/rapida/export.json").data)
    assert item["title"] == TRICKY
    assert item["author"][0] == {"family": "Núñez", "given": "José"}
    assert item["URL"] == f"{BASE}/documents/guias/rapida"
    assert item["issued"] == {"date-parts": [[2020, 6, 1]]}


def test_an_unknown_document_export_is_404(client: FlaskClient) -> None:
    """The same not-found page as the document itself."""
    assert client.get("/documents/no/such/export.ris").status_code == 404
    assert client.get("/documents/reports/cart-report/export.pdf").status_code == 404


def test_search_exports_take_the_parameters_of_search(client: FlaskClient) -> None:
    """The requested page of results, in result order, with a search file name."""
    page = client.get("/api/search?q=child&per_page=3").get_json()
    ids = [hit["id"] for hit in page["results"]]
    response = client.get("/search.ris?q=child&per_page=3")
    assert response.headers["Content-Disposition"] == "attachment; filename=mecp-search.ris"
    records = rispy.loads(response.get_data(as_text=True))
    assert [r["id"] for r in records] == ids
    bib = client.get("/search.bib?q=child&per_page=3").get_data(as_text=True)
    assert len(bibtexparser.parse_string(bib).entries) == len(ids)
    assert response.headers["Cache-Control"].startswith("private")


def test_per_page_100_exports_every_result_up_to_100(client: FlaskClient) -> None:
    """per_page=100 exports the whole (small) sample index."""
    total = client.get("/api/search").get_json()["total"]
    records = rispy.loads(client.get("/search.ris?per_page=100").get_data(as_text=True))
    assert len(records) == total


@pytest.mark.parametrize("query", ["per_page=500", "topic=nonsense", "sort=sideways"])
def test_bad_search_export_parameters_are_400(client: FlaskClient, query: str) -> None:
    """The same validation as /search."""
    assert client.get(f"/search.bib?{query}").status_code == 400


def test_a_spanish_page_cites_in_spanish(client: FlaskClient) -> None:
    """The block's words and the references' conventions follow the page's language."""
    html = client.get("/documents/reports/cart-report?lang=es").get_data(as_text=True)
    block = html[html.index('<section class="cite"') :]
    assert ">Citar</h2>" in block
    assert ">Chicago (autor-fecha)</dt>" in block
    assert "de junio de 2016" in block or "(2016)" in block
