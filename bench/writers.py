"""Writing one drawn document as a .txt, .html or .pdf file, with its .toml sidecar.

May import: bench.lexicon, reportlab.
"""

from __future__ import annotations

import json
import textwrap
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from bench import lexicon

if TYPE_CHECKING:
    from bench.generate import Spec

HEADING = "## "
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip
MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
             "octubre", "noviembre", "diciembre")  # fmt: skip
PDF_LINES, PDF_CHARS = 56, 100


def write(root: Path, spec: Spec, paragraphs: list[str]) -> int:
    """Write the publication and its sidecar; the bytes written."""
    path = root / spec.path
    path.parent.mkdir(parents=True, exist_ok=True)
    if spec.fmt == "pdf":
        _pdf(path, spec, paragraphs)
    else:
        text = _html(spec, paragraphs) if spec.fmt == "html" else _txt(spec, paragraphs)
        path.write_text(text, encoding="utf-8")
    size = path.stat().st_size
    sidecar = _sidecar(spec)
    if sidecar:
        side = path.with_suffix(".toml")
        side.write_text(sidecar, encoding="utf-8")
        size += side.stat().st_size
    return size


def _sidecar(spec: Spec) -> str:
    """TOML with all, some or none of the metadata (JSON strings are valid TOML strings)."""
    full = {
        "title": spec.title,
        "summary": spec.summary,
        "date": spec.date,
        "type": spec.type,
        "topics": list(spec.topics),
        "audiences": list(spec.audiences),
        "language": spec.lang,
    }
    keys = {
        "full": tuple(full),
        "partial": ("title", "date", "topics", "language"),
        "facets": ("type", "audiences", "summary"),
        "none": (),
    }[spec.sidecar]
    return "".join(f"{key} = {json.dumps(full[key], ensure_ascii=False)}\n" for key in keys)


def _dateline(spec: Spec) -> str:
    """'Published March 5, 2014' (or in Spanish), which date inference can read."""
    year, month, day = (int(x) for x in spec.date.split("-"))
    if spec.lang == "es":
        return f"Publicado el {day} de {_month_es(month)} de {year}"
    return f"Published {MONTHS[month - 1]} {day}, {year}"


def _month_es(month: int) -> str:
    """Spanish month name."""
    return MONTHS_ES[month - 1]


def _txt(spec: Spec, paragraphs: list[str]) -> str:
    """Title line, date line, then paragraphs and headings separated by blank lines."""
    body = [p.removeprefix(HEADING) for p in paragraphs]
    return "\n\n".join([spec.title, _dateline(spec), *body]) + "\n"


def _html(spec: Spec, paragraphs: list[str]) -> str:
    """A page with site chrome (header, navigation, breadcrumbs, sidebar, footer) around <main>."""
    links = "".join(
        f'<li><a href="/{i}">{escape(t)}</a></li>' for i, t in enumerate(lexicon.SITE_LINKS)
    )
    body = "\n".join(
        f"<h2>{escape(p.removeprefix(HEADING))}</h2>"
        if p.startswith(HEADING)
        else f"<p>{escape(p)}</p>"
        for p in paragraphs
    )
    title = escape(spec.title)
    return f"""<!doctype html>
<html lang="{spec.lang}">
<head><meta charset="utf-8"><title>{title} | MECP Resource Library</title>
<meta name="description" content="{escape(spec.summary)}">
<meta name="article:published_time" content="{spec.date}">
<style>body {{ font-family: sans-serif; }}</style><script>window.dataLayer = [];</script></head>
<body>
<a class="skip-link" href="#content">Skip to content</a>
<header class="site-header"><div class="masthead">Missing and Exploited Children's Program</div>
<nav class="navbar"><ul>{links}</ul></nav></header>
<div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/publications">Publications</a></div>
<main id="content"><article><h1>{title}</h1>
<p class="byline"><time datetime="{spec.date}">{spec.date}</time></p>
{body}
</article>
<aside class="sidebar"><h2>Related</h2><ul>{links}</ul></aside></main>
<footer class="site-footer"><ul>{links}</ul><p>An official site of the program.</p></footer>
</body></html>
"""


def _pdf(path: Path, spec: Spec, paragraphs: list[str]) -> None:
    """A letter-size PDF with a text layer, a running header and page numbers."""
    pdf = canvas.Canvas(str(path), pagesize=letter, invariant=1, pageCompression=1)
    if spec.number % 4:  # some PDFs carry only a junk metadata title, as real ones do
        pdf.setTitle(spec.title)
    else:
        pdf.setTitle(f"Microsoft Word - draft{spec.number}.docx")
    lines = [spec.title, _dateline(spec), ""]
    for para in paragraphs:
        lines += textwrap.wrap(para.removeprefix(HEADING), PDF_CHARS) + [""]
    for page, start in enumerate(range(0, len(lines), PDF_LINES), 1):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(72, 760, f"MECP Resource Library \u2014 {spec.title[:80]}")
        pdf.drawString(500, 30, f"Page {page}")
        text = pdf.beginText(72, 740)
        text.setFont("Helvetica", 9.5)
        text.setLeading(12.4)
        for line in lines[start : start + PDF_LINES]:
            text.textLine(line)
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()
