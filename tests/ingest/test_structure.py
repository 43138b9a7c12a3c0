"""The reading structure kept by extraction: headings, paragraphs and lists, for the reading view."""

from __future__ import annotations

import pytest

from ingest.extract import Limits, extract_html, extract_pdf, extract_plain
from tests.factories import html_page, pdf_bytes


def test_a_web_page_keeps_its_headings_paragraphs_and_lists_apart() -> None:
    page = html_page(
        "MECP News, Spring 2011",
        "<h2>In this issue</h2><ul><li>AMBER Alerts arrive on <b>cell</b> phones</li>"
        "<li>Case study: a CART</li></ul><h2>Case study: a CART</h2>"
        "<p>The team met at <a href='/x'>6:40</a>. Then it searched.</p>"
        "<ol><li><p>First step</p><p>with details</p></li><li>Second step</li></ol>"
        "<div>Loose text in a div<br>on two lines<h3>A subheading</h3>after it</div>"
        "<table><tr><th>Age</th><th>Rule</th></tr><tr><td>3-5</td><td>Know your name</td></tr></table>"
        "<!-- a comment --><img src='x.png' alt='not text'>",
    )
    extracted = extract_html(page.encode())
    assert extracted.blocks == (
        ("h2", "MECP News, Spring 2011"),
        ("h2", "In this issue"),
        ("ul", "AMBER Alerts arrive on cell phones"),
        ("ul", "Case study: a CART"),
        ("h2", "Case study: a CART"),
        ("p", "The team met at 6:40. Then it searched."),
        ("ol", "First step with details"),
        ("ol", "Second step"),
        ("p", "Loose text in a div on two lines"),
        ("h3", "A subheading"),
        ("p", "after it"),
        ("p", "Age · Rule"),
        ("p", "3-5 · Know your name"),
    )
    assert "Sign In" not in str(extracted.blocks)  # the page's chrome stays out, as in the text
    assert "In this issue\n\nAMBER Alerts arrive" in extracted.text  # the search body as before


def test_plain_text_headings_lists_and_wrapped_items() -> None:
    text = (
        "CHECKLIST: PAPERS TO GATHER\n\nFor parents\nOctober 2008\n\nWHAT IS IT?\n\n"
        "PART 1. ABOUT YOUR CHILD\n\n[ ] Full legal name\n[ ] What your child was wearing,\n"
        "    jewelry (colors)\n- A photo\n1. Call 911\n2. Call 1-800-THE-LOST\n\n"
        "A paragraph that wraps\nonto a second line.\n"
    )
    assert extract_plain(text.encode()).blocks == (
        ("h2", "CHECKLIST: PAPERS TO GATHER"),
        ("p", "For parents October 2008"),
        ("h2", "WHAT IS IT?"),
        ("h2", "PART 1. ABOUT YOUR CHILD"),
        ("ul", "Full legal name"),
        ("ul", "What your child was wearing, jewelry (colors)"),
        ("ul", "A photo"),
        ("ol", "Call 911"),
        ("ol", "Call 1-800-THE-LOST"),
        ("p", "A paragraph that wraps onto a second line."),
    )


def test_markdown_headings_lists_and_inline_marks() -> None:
    text = (
        "# Cuando su hijo regresa a casa\n\nNoviembre de 2019\n\n## Antes del reencuentro\n\n"
        "- **Es un proceso.** Lea [la guía](https://example.org/x).\n- Lleve algo conocido\n"
        "  y tranquilo.\n\n### Los hermanos\n\n> Una cita.\n\n1. Uno\n2. Dos\n"
    )
    extracted = extract_plain(text.encode(), markdown=True)
    assert extracted.blocks == (
        ("h2", "Cuando su hijo regresa a casa"),
        ("p", "Noviembre de 2019"),
        ("h2", "Antes del reencuentro"),
        ("ul", "Es un proceso. Lea la guía."),
        ("ul", "Lleve algo conocido y tranquilo."),
        ("h3", "Los hermanos"),
        ("p", "Una cita."),
        ("ol", "Uno"),
        ("ol", "Dos"),
    )
    assert extracted.title == "Cuando su hijo regresa a casa"


def test_the_blocks_stop_at_the_character_limit() -> None:
    text = "\n\n".join(f"Paragraph number {n} of a long file." for n in range(1000))
    blocks = extract_plain(text.encode(), limits=Limits(max_chars=2000)).blocks
    assert 0 < sum(len(t) for _, t in blocks) <= 2000


def test_a_pdf_keeps_no_blocks() -> None:
    assert extract_pdf(pdf_bytes(["A title\n\nSome text."])).blocks == ()


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "&lt;b&gt;bold&lt;/b&gt;"])
def test_blocks_are_plain_text(hostile: str) -> None:
    page = html_page("A page", f"<p>Before {hostile} after</p>")
    blocks = extract_html(page.encode()).blocks
    assert all("<script>" not in text for _, text in blocks)
