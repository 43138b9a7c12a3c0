"""The reading view: a web page's, text file's or Markdown file's text shown on its own page."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

from ingest import pipeline
from tests.conftest import VOCABULARY, settings_for
from tests.factories import html_page, write
from webapp import create_app


def reading_of(html: str) -> str:
    """The reading view's section of a document page."""
    match = re.search(r'<section class="reading".*?</section>', html, re.S)
    assert match, "no reading view"
    return match.group()


def test_a_web_page_is_read_on_its_page_with_its_structure(client: FlaskClient) -> None:
    html = client.get("/documents/newsletters/spring-2011").get_data(as_text=True)
    view = reading_of(html)
    assert '<h2 id="reading-title">The full text</h2>' in view
    assert (
        "<p>In this issue: AMBER Alert in Indian Country, runaway youth and trafficking.</p>"
        in view
    )
    assert "<p>AMBER · Alert</p>" in view  # a table row
    assert "<h3>MECP News, Spring 2011</h3>" not in view  # the title is the page's h1 already
    assert "Sign In" not in view
    # the original is offered as a download only, never as a live page link
    assert 'href="/files/newsletters/spring-2011" download>Download the original (web page' in html
    assert "Open the web page" not in html


def test_text_and_markdown_files_are_read_on_their_page(client: FlaskClient) -> None:
    md = reading_of(client.get("/documents/families/guia-regreso").get_data(as_text=True))
    assert '<section class="reading" aria-labelledby="reading-title" lang="es">' in md
    assert "<p>Publicado el 12 de noviembre de 2019.</p>" in md
    assert "<h3>Cuando su hijo regresa a casa</h3>" not in md
    txt = reading_of(
        client.get("/documents/training/forensic-interviewing-course").get_data(as_text=True)
    )
    assert "<p>Posted: January 6, 2025</p>" in txt


def test_a_pdf_has_no_reading_view_but_opens_and_downloads(client: FlaskClient) -> None:
    html = client.get("/documents/reports/cart-report").get_data(as_text=True)
    assert '<section class="reading"' not in html
    assert re.search(r">Open the PDF, 2 pages", html)


def test_arriving_from_a_search_marks_its_words(client: FlaskClient) -> None:
    results = client.get("/search?q=runaway+youth").get_data(as_text=True)
    assert 'href="/documents/newsletters/spring-2011?q=runaway+youth"' in results
    html = client.get("/documents/newsletters/spring-2011?q=runaway+youth").get_data(as_text=True)
    view = reading_of(html)
    assert "<mark>runaway</mark> <mark>youth</mark>" in view
    assert "The words you searched for are marked." in view
    assert '<meta name="robots" content="noindex, follow">' in html
    assert (
        '<link rel="canonical" href="http://localhost/documents/newsletters/spring-2011">' in html
    )
    assert "<mark>" not in reading_of(
        client.get("/documents/newsletters/spring-2011").get_data(as_text=True)
    )


def test_the_reading_view_escapes_what_the_file_says(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, "vocabulary.toml", VOCABULARY.read_text(encoding="utf-8"))
    write(corpus, "pages/hostile.html", html_page(
        "A hostile page",
        "<h2>&lt;img src=x onerror=alert(1)&gt;</h2><p>Text &amp;lt;b&amp;gt; and "
        "<script>alert(2)</script><b onclick='x()'>bold</b></p><ul><li>&lt;script&gt;</li></ul>",
    ))  # fmt: skip
    write(corpus, "pages/notes.md", "# Notes\n\n## <b>not bold</b>\n\n- <script>x</script>\n")
    assert pipeline.run(settings_for(corpus, tmp_path / "index")).exit_code == 0
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
    view = reading_of(client.get("/documents/pages/hostile?q=text").get_data(as_text=True))
    assert "<h3>&lt;img src=x onerror=alert(1)&gt;</h3>" in view
    assert "<p><mark>Text</mark> &amp;lt;b&amp;gt; and bold</p>" in view
    assert "<li>&lt;script&gt;</li>" in view
    assert "onclick" not in view
    notes = reading_of(client.get("/documents/pages/notes").get_data(as_text=True))
    assert "<h3>&lt;b&gt;not bold&lt;/b&gt;</h3>" in notes
    assert "<li>&lt;script&gt;x&lt;/script&gt;</li>" in notes


def test_the_html_original_is_never_a_live_page(client: FlaskClient) -> None:
    with client.get("/files/newsletters/spring-2011") as response:
        assert response.status_code == 200
        assert response.headers["Content-Security-Policy"].startswith("sandbox;")
