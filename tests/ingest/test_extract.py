"""Extraction from real PDF, HTML, text and Markdown bytes."""

from __future__ import annotations

import zlib

import pytest

from ingest.extract import (
    ExtractionError,
    Limits,
    clean_title,
    extract_html,
    extract_pdf,
    extract_plain,
)
from tests.factories import encrypted_pdf, html_page, image_only_pdf, pdf_bytes


def test_pdf_text_of_every_page_is_extracted_with_page_count_and_metadata() -> None:
    """Both pages' words come out, the title and creation date from the metadata."""
    data = pdf_bytes(["First page about abduction", "Second page about recovery"],
                     title="A Field Guide to Recovery", created="20150525000000")  # fmt: skip
    extracted = extract_pdf(data)
    assert "abduction" in extracted.text
    assert "recovery" in extracted.text
    assert extracted.page_count == 2
    assert extracted.title == "A Field Guide to Recovery"
    assert extracted.date == "2015-05-25"


def test_pdf_ligatures_and_hyphenated_line_breaks_are_normalised() -> None:
    """'ﬁ' becomes 'fi' and a word broken across lines is joined."""
    extracted = extract_pdf(pdf_bytes(["The ﬁrst responder must veri-\nfy the report."]))
    assert "first responder" in extracted.text
    assert "verify" in extracted.text
    assert "\ufb01" not in extracted.text


@pytest.mark.parametrize(
    "junk",
    ["Microsoft Word - final_v3.docx", "untitled", "Document1", "report_FINAL(2).pdf", "", "   "],
)
def test_junk_pdf_titles_are_ignored(junk: str) -> None:
    """Titles that are file names or tool defaults are not titles."""
    assert clean_title(junk) == ""


def test_a_real_title_is_kept() -> None:
    """A sentence-like title survives the junk filter."""
    assert clean_title("AMBER Alert Criteria: A Fact Sheet") == "AMBER Alert Criteria: A Fact Sheet"


def test_running_headers_and_footers_are_dropped_from_long_pdfs() -> None:
    """A line on every page (a running header) is not body text."""
    bodies = ["Abduction basics", "Recovery steps", "Runaway youth", "Trafficking signs"]
    pages = [f"Missing and Exploited Children's Program\n{body}\nPage {n} of 4"
             for n, body in enumerate(bodies, 1)]  # fmt: skip
    text = extract_pdf(pdf_bytes(pages)).text
    assert "Missing and Exploited" not in text
    assert "Page 2 of 4" not in text
    assert "Runaway youth" in text


def test_pdf_encrypted_with_an_empty_user_password_is_read() -> None:
    """Owner-only protection (empty user password) does not stop reading."""
    assert "NCIC" in extract_pdf(encrypted_pdf(["NCIC entry without delay"], "")).text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (encrypted_pdf(["secret"], "hunter2"), "password-protected"),
        (b"", "empty file"),
        (b"<!DOCTYPE html><html><body>Not a PDF</body></html>", "not a PDF: the file is HTML"),
        (b"%PDF-1.4\n" + bytes(range(256)) * 40, "damaged or unreadable PDF"),
        (pdf_bytes(["Truncated text"] * 3)[:300], "damaged or unreadable PDF"),
    ],
    ids=["password", "empty", "mislabelled-html", "corrupt", "truncated"],
)
def test_unusable_pdfs_raise_an_error_with_a_reason(data: bytes, reason: str) -> None:
    """Each bad-input class is named in the error message."""
    with pytest.raises(ExtractionError, match=reason):
        extract_pdf(data)


def test_a_pdf_without_a_text_layer_yields_no_text() -> None:
    """A scan has pages but no words; the pipeline decides what to do with it."""
    extracted = extract_pdf(image_only_pdf())
    assert extracted.text == ""
    assert extracted.page_count == 1


def test_a_decompression_bomb_is_stopped() -> None:
    """A small PDF whose content stream inflates to 300 MB is refused, not expanded."""
    stream = zlib.compress(b"0" * 300_000_000, 9)
    data = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
        + f"4 0 obj<</Length {len(stream)}/Filter/FlateDecode>>stream\n".encode()
        + stream
        + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
    )
    with pytest.raises(ExtractionError, match="unreadable PDF"):
        extract_pdf(data)


def test_oversized_input_is_refused() -> None:
    """The byte cap applies before parsing."""
    with pytest.raises(ExtractionError, match="limit"):
        extract_plain(b"word " * 1000, limits=Limits(max_bytes=1000))


def test_html_keeps_the_main_content_without_site_chrome() -> None:
    """Navigation, header, footer, aside, ribbons, scripts and styles are dropped."""
    page = html_page("When Your Teen Runs Away", "<p>Call the National Runaway Safeline.</p>",
                     description="Help for parents of runaway teens.")  # fmt: skip
    extracted = extract_html(page.encode())
    assert "National Runaway Safeline" in extracted.text
    for chrome in ("Skip to main content", "Sign In", "Topics menu", "Sidebar link", "Copyright",
                   "do not index me", "color:", "ribbon", "Resources"):  # fmt: skip
        assert chrome not in extracted.text
    assert extracted.title == "When Your Teen Runs Away"
    assert extracted.summary == "Help for parents of runaway teens."


def test_html_title_falls_back_to_the_title_tag_without_the_site_suffix() -> None:
    """No <h1>: the <title> minus ' | Site' is the title."""
    page = b"<html><head><title>Poster Contest Rules | MECP</title></head><body><p>Rules.</p></body></html>"
    assert extract_html(page).title == "Poster Contest Rules"


def test_html_blocks_and_table_cells_are_separated() -> None:
    """Words in adjacent cells or blocks never run together."""
    page = b"<main><table><tr><td>Time</td><td>Session</td></tr></table><p>One</p><p>Two</p></main>"
    text = extract_html(page).text
    assert "TimeSession" not in text
    assert "OneTwo" not in text
    assert "Time" in text
    assert "Session" in text


def test_html_declared_utf8_but_really_cp1252_is_decoded_without_replacement_characters() -> None:
    """Curly quotes and accents in cp1252 bytes survive a wrong UTF-8 declaration."""
    body = "<main><p>\u201cReunificaci\u00f3n\u201d \u2014 Ren\u00e9e\u2019s guide</p></main>"
    data = ('<html><head><meta charset="utf-8"></head><body>' + body + "</body></html>").encode(
        "cp1252"
    )
    text = extract_html(data).text
    assert "\ufffd" not in text
    assert "\u201cReunificaci\u00f3n\u201d" in text
    assert "Ren\u00e9e\u2019s" in text


def test_html_language_and_dates_come_from_the_markup() -> None:
    """<html lang> and <time datetime> are read."""
    page = b'<html lang="es-MX"><body><main><time datetime="2024-05-15">15 mayo</time><p>Hola</p></main></body></html>'
    extracted = extract_html(page)
    assert extracted.language == "es"
    assert extracted.date == "2024-05-15"


def test_a_pdf_saved_with_an_html_extension_is_refused_by_the_html_extractor() -> None:
    """Mislabelled the other way round."""
    with pytest.raises(ExtractionError, match="not HTML"):
        extract_html(pdf_bytes(["x"]))


def test_markdown_title_is_the_first_heading_and_markup_is_stripped() -> None:
    """'# Title' is the title; links keep their text; emphasis marks go."""
    data = (
        "# Guía para familias\n\nLlame al **911** y visite [NCMEC](https://example.org).\n".encode()
    )
    extracted = extract_plain(data, markdown=True)
    assert extracted.title == "Guía para familias"
    assert "Llame al 911 y visite NCMEC." in extracted.text


def test_plain_text_in_cp1252_is_decoded() -> None:
    """Text that is not UTF-8 falls back to cp1252."""
    assert (
        extract_plain("Ni\u00f1os \u2013 gu\u00eda".encode("cp1252")).text
        == "Ni\u00f1os \u2013 gu\u00eda"
    )


def test_binary_data_with_a_text_extension_is_refused() -> None:
    """A .txt that is really an image is not text."""
    with pytest.raises(ExtractionError, match="not plain text"):
        extract_plain(b"\x89PNG\r\n\x1a\n\x00\x00")


def test_a_pdf_keeps_where_each_of_its_pages_starts() -> None:
    """page_starts[n - 1] is where page n's text begins; an empty page starts at the next one."""
    from ingest.extract import extract_pdf
    from library.pages import page_at
    from tests.factories import pdf_bytes

    pages = [
        "First page words.",
        "Second page about runaway youth.",
        "",
        "Fourth page: reunifi-\ncation.",
    ]
    out = extract_pdf(pdf_bytes(pages))
    assert len(out.page_starts) == 4
    for number, first in [(1, "First page"), (2, "Second page"), (4, "Fourth page")]:
        assert out.text[out.page_starts[number - 1] :].startswith(first)
    assert page_at(out.page_starts, out.text.index("runaway")) == 2
    assert page_at(out.page_starts, out.text.index("reunification")) == 4


def test_joined_pages_read_as_the_whole_text_did() -> None:
    """Pages normalised one by one and joined by a blank line, as the whole text was."""
    from ingest.extract import join_pages
    from library.text import normalize_text

    pages = ["  Title\n\n\n\nfirst   page ", "", "\ufb01rst line of page three", "last"]
    text, starts = join_pages(pages)
    assert text == normalize_text("\n\n".join(pages))
    assert starts == (
        0,
        len("Title\n\nfirst page"),
        len("Title\n\nfirst page") + 2,
        text.index("last"),
    )
