"""Real test files: PDFs written with reportlab, HTML pages with site chrome, sidecars."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import letter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# Vera ships with reportlab and has real ligature glyphs ('ﬁ'), as typeset PDFs do.
pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))


def pdf_bytes(pages: list[str], title: str | None = None, created: str | None = None) -> bytes:
    """A real PDF with a text layer: one string per page, lines split on newlines."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    if title is not None:
        pdf.setTitle(title)
    for page in pages:
        text = pdf.beginText(72, 720)
        text.setFont("Vera", 11)
        for line in page.split("\n"):
            text.textLine(line)
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return _with_metadata(buffer.getvalue(), title, created)


def _with_metadata(data: bytes, title: str | None, created: str | None) -> bytes:
    """Rewrite the PDF with exactly this metadata (reportlab's own dates are fixed)."""
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages:
        writer.add_page(page)
    meta = {"/Producer": "tests"}
    if title is not None:
        meta["/Title"] = title
    if created is not None:
        meta["/CreationDate"] = f"D:{created}"
    writer.add_metadata(meta)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf() -> bytes:
    """A PDF whose only page is a drawing: no text layer, like a scan."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    pdf.rect(100, 100, 300, 400, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypted_pdf(pages: list[str], user_password: str, algorithm: str = "AES-256") -> bytes:
    """The same PDF encrypted; an empty user password opens without asking."""
    reader = PdfReader(io.BytesIO(pdf_bytes(pages)))
    writer = PdfWriter(clone_from=reader)
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def html_page(
    title: str, body: str, lang: str = "en", description: str = "", charset: str = "utf-8"
) -> str:
    """A page with the chrome real sites wrap their content in."""
    meta = f'<meta name="description" content="{description}">' if description else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="{charset}"><title>{title} | MECP Resource Library</title>{meta}
<style>body {{ color: #222 }}</style><script>var tracking = "do not index me";</script></head>
<body><a class="skip-link" href="#main">Skip to main content</a>
<div class="site-ribbon">An official-looking ribbon of site chrome</div>
<header class="site-header"><span class="logo">MECP</span><a href="/login">Sign In</a>
<nav><ul><li><a href="/">Home</a></li><li><a href="/topics">Topics menu</a></li></ul></nav></header>
<div class="breadcrumb"><a href="/">Home</a> &gt; Resources</div>
<main id="main"><h1>{title}</h1>{body}</main>
<aside><h2>Related links</h2><a href="/x">Sidebar link text</a></aside>
<footer>Copyright footer text. <a href="/privacy">Privacy</a></footer></body></html>"""


def write(root: Path, relpath: str, content: str | bytes) -> Path:
    """Write a file under root, creating folders."""
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path
