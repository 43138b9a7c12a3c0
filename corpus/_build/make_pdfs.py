"""Regenerate the PDF publications of the sample corpus from plain-text sources.

Usage (from the repository root):

    .venv/bin/python corpus/_build/make_pdfs.py                 # rebuild every PDF
    .venv/bin/python corpus/_build/make_pdfs.py reports/cart-assessment-2016 ...

Each source is corpus/_build/sources/<id>.txt and becomes corpus/<id>.pdf.
A source starts with a header of ``key: value`` lines, ended by a blank line:

    pdf_title: <text for the PDF Title metadata, or the literal "none" to omit it>
    author:    <PDF Author metadata>
    created:   YYYY-MM-DD   (PDF CreationDate/ModDate)
    creator:   <optional PDF Creator metadata>

The body uses a tiny markup, one construct per line or block:

    # Title          document title (large)
    ## Heading       section heading
    ### Subheading   subsection heading
    - item           bullet (consecutive items form one list)
    [ ] item         checklist item
    ---pagebreak---  page break
    other lines      paragraph text; blank lines separate paragraphs

Output is reproducible byte for byte (reportlab invariant mode, with the
timestamp taken from ``created``). After writing, every PDF is read back with
pypdf to check that its text extracts cleanly and its page count is right.
"""

import datetime
import os
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfdoc
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph

BUILD = Path(__file__).resolve().parent
SOURCES = BUILD / "sources"
CORPUS = BUILD.parent
PROGRAM = "Missing and Exploited Children's Program (MECP)"

STYLES = {
    "title": ParagraphStyle(
        "title", fontName="Helvetica-Bold", fontSize=20, leading=25, spaceBefore=6, spaceAfter=14
    ),
    "h2": ParagraphStyle(
        "h2", fontName="Helvetica-Bold", fontSize=14, leading=18, spaceBefore=12, spaceAfter=6
    ),
    "h3": ParagraphStyle(
        "h3", fontName="Helvetica-Bold", fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4
    ),
    "body": ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14.5, spaceAfter=7),
    "bullet": ParagraphStyle(
        "bullet",
        fontName="Helvetica",
        fontSize=10.5,
        leading=14.5,
        spaceAfter=3,
        leftIndent=22,
        bulletIndent=9,
        bulletFontName="ZapfDingbats",
        bulletFontSize=5.5,
        bulletOffsetY=-1.5,
    ),
    "check": ParagraphStyle(
        "check",
        fontName="Helvetica",
        fontSize=10.5,
        leading=14.5,
        spaceAfter=5,
        leftIndent=30,
        bulletIndent=8,
        bulletFontName="ZapfDingbats",
        bulletFontSize=11,
    ),
}


class _Info(pdfdoc.PDFInfo):
    """Document info dictionary that leaves out empty entries (e.g. no Title)."""

    def format(self, document):
        ts = pdfdoc.PDFDate(ts=document._timeStamp)
        d = {"CreationDate": ts, "ModDate": ts, "Producer": pdfdoc.PDFString(self.producer)}
        for key, value in (
            ("Title", self.title),
            ("Author", self.author),
            ("Creator", self.creator),
        ):
            if value:
                d[key] = pdfdoc.PDFString(value)
        return pdfdoc.PDFDictionary(d).format(document)


def parse(path):
    """Return (header dict, list of body lines) for one source file."""
    header_text, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    header = {}
    for line in header_text.splitlines():
        key, _, value = line.partition(":")
        header[key.strip()] = value.strip()
    return header, body.splitlines()


def flowables(lines):
    """Turn body lines into reportlab flowables."""
    out, para = [], []

    def flush():
        if para:
            out.append(Paragraph(escape(" ".join(para)), STYLES["body"]))
            para.clear()

    for raw in lines:
        line = raw.strip()
        if not line:
            flush()
        elif line == "---pagebreak---":
            flush()
            out.append(PageBreak())
        elif m := re.match(r"(#{1,3}) (.*)", line):
            flush()
            style = {1: "title", 2: "h2", 3: "h3"}[len(m.group(1))]
            out.append(Paragraph(escape(m.group(2)), STYLES[style]))
        elif line.startswith("- "):
            flush()
            # "l" and "o" are a dot and a box in ZapfDingbats.
            out.append(Paragraph(escape(line[2:]), STYLES["bullet"], bulletText="l"))
        elif line.startswith("[ ] "):
            flush()
            out.append(Paragraph(escape(line[4:]), STYLES["check"], bulletText="o"))
        else:
            para.append(line)
    flush()
    return out


def decorate(canvas, doc):
    """Running header with the program name, page number in the footer."""
    canvas.saveState()
    width, height = LETTER
    canvas.setFont("Helvetica", 8.5)
    canvas.setFillGray(0.35)
    canvas.drawString(inch, height - 0.6 * inch, PROGRAM)
    canvas.setLineWidth(0.4)
    canvas.line(inch, height - 0.66 * inch, width - inch, height - 0.66 * inch)
    canvas.drawCentredString(width / 2, 0.55 * inch, f"Page {doc.page}")
    canvas.restoreState()


def build(doc_id):
    """Write corpus/<doc_id>.pdf; return its page count."""
    header, body = parse(SOURCES / f"{doc_id}.txt")
    created = datetime.datetime.strptime(header["created"], "%Y-%m-%d")
    # Invariant mode takes its timestamp from SOURCE_DATE_EPOCH.
    saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(
        int(created.replace(hour=12, tzinfo=datetime.UTC).timestamp())
    )
    title = header.get("pdf_title", "none")
    out = CORPUS / f"{doc_id}.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = BaseDocTemplate(
        str(out),
        pagesize=LETTER,
        invariant=1,
        title="" if title == "none" else title,
        author=header.get("author", ""),
        creator=header.get("creator", ""),
        producer="ReportLab PDF Library",
        subject="",
        topMargin=inch,
        bottomMargin=inch,
        leftMargin=inch,
        rightMargin=inch,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height)
    # Decorate at the end of each page so extracted text starts with the body.
    doc.addPageTemplates([PageTemplate("page", [frame], onPageEnd=decorate)])
    original = pdfdoc.PDFInfo
    pdfdoc.PDFInfo = _Info
    try:
        doc.build(flowables(body))
    finally:
        pdfdoc.PDFInfo = original
        if saved_epoch is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved_epoch
    return doc.page


def check(doc_id, pages):
    """Read the PDF back: page count, metadata and text must be as written."""
    from pypdf import PdfReader

    header, body = parse(SOURCES / f"{doc_id}.txt")
    reader = PdfReader(CORPUS / f"{doc_id}.pdf")
    problems = []
    if len(reader.pages) != pages:
        problems.append(f"{len(reader.pages)} pages, expected {pages}")
    meta_title = (reader.metadata or {}).get("/Title")
    wanted = None if header.get("pdf_title", "none") == "none" else header["pdf_title"]
    if meta_title != wanted:
        problems.append(f"Title metadata {meta_title!r}, expected {wanted!r}")
    text = " ".join(page.extract_text() for page in reader.pages)
    got = set(re.findall(r"\w+", text.lower()))
    words = re.findall(r"\w+", " ".join(x for x in body if x.strip() != "---pagebreak---").lower())
    missing = sorted({w for w in words if w not in got})
    if missing:
        problems.append(f"words not found in extracted text: {missing[:10]}")
    return problems


def main(ids):
    ids = ids or sorted(
        str(p.relative_to(SOURCES).with_suffix("")).replace(os.sep, "/")
        for p in SOURCES.rglob("*.txt")
    )
    failed = False
    for doc_id in ids:
        pages = build(doc_id)
        problems = check(doc_id, pages)
        failed |= bool(problems)
        status = "; ".join(problems) if problems else "ok"
        print(f"{doc_id}.pdf: {pages} page(s), {status}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
