"""Text and metadata out of PDF, HTML, plain-text and Markdown bytes.

Extractors are pure: bytes in, Extracted out, ExtractionError for anything unusable; the bytes are
read by ingest.files, never here. May import: library.text,
library.formats, library.models, structure, pypdf, bs4.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections import Counter
from dataclasses import dataclass

from bs4 import BeautifulSoup
from bs4.element import Tag
from pypdf import PdfReader

from ingest.structure import html_blocks, plain_blocks
from library.formats import sniff
from library.models import Blocks
from library.text import normalize_text

logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # problems surface as ExtractionError


class ExtractionError(Exception):
    """A file that cannot be turned into text; the message is the reason shown to staff."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps that keep one hostile file from costing the run."""

    max_bytes: int = 100 * 2**20
    max_pages: int = 2000
    max_chars: int = 2_000_000


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a file says about itself; empty strings where it says nothing."""

    text: str
    title: str = ""
    summary: str = ""
    date: str = ""
    language: str = ""
    page_count: int | None = None
    notes: tuple[str, ...] = ()  # non-fatal remarks for the ingest report
    blocks: Blocks = ()  # headings, paragraphs and lists, for the reading view (not PDFs)
    page_starts: tuple[int, ...] = ()  # a PDF's page n begins at text[page_starts[n - 1]]


def extract_bytes(kind: str, data: bytes, limits: Limits = Limits()) -> Extracted:
    """Extract a file's bytes by its format (pdf, html, txt or md)."""
    if kind == "pdf":
        return extract_pdf(data, limits)
    if kind == "html":
        return extract_html(data, limits)
    if kind in ("txt", "md"):
        return extract_plain(data, markdown=kind == "md", limits=limits)
    raise ExtractionError(f"unsupported format {kind!r}")


# --- PDF ---------------------------------------------------------------------------------------

_JUNK_TITLE = re.compile(
    r"^(microsoft\s+\w+\s+-\s+.*|untitled.*|document\s*\d*|doc\d*|title|new document|slide \d+|"
    r"presentation\d*|.*\.(docx?|pdf|rtf|indd|pptx?|txt|odt|pub|qxd|ps)|[\w\-.()]+_[\w\-.()]*|\W*|\d+)$",
    re.IGNORECASE,
)


def extract_pdf(data: bytes, limits: Limits = Limits()) -> Extracted:
    """Text of every page, the metadata title unless junk, creation date and page count."""
    _check_size(data, limits)
    if b"%PDF-" not in data[:1024]:
        raise ExtractionError(f"not a PDF: the file is {sniff(data)}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            _decrypt(reader)
            count = len(reader.pages)
            if count > limits.max_pages:
                raise ExtractionError(f"{count} pages, over the {limits.max_pages}-page limit")
            pages, notes = _pdf_pages(reader, limits)
            info: dict[str, object] = dict(reader.metadata or {})
            title = str(info.get("/Title") or "")
            created = str(info.get("/CreationDate") or "")
        except ExtractionError:
            raise
        except Exception as exc:  # pypdf raises many types for damaged files
            raise ExtractionError(
                f"damaged or unreadable PDF ({type(exc).__name__}: {exc})"
            ) from exc
    text, starts = join_pages(_drop_running_lines(pages))
    return Extracted(
        text=text,
        title=clean_title(title),
        date=_pdf_date(created),
        page_count=count,
        notes=tuple(notes),
        page_starts=starts,
    )


def join_pages(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """The normalised text of the pages, separated by blank lines, and where each page starts.

    Each page is normalised alone (no word is joined across pages, as the blank line between
    them already prevented); an empty page starts where the next one does.
    """
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    for page in pages:
        normal = normalize_text(page)
        starts.append(length + 2 if parts and normal else length)
        if normal:
            length += (2 if parts else 0) + len(normal)
            parts.append(normal)
    return "\n\n".join(parts), tuple(starts)


def _decrypt(reader: PdfReader) -> None:
    """Open an encrypted PDF with the empty user password, or explain why it cannot be read."""
    if not reader.is_encrypted:
        return
    try:
        ok = reader.decrypt("")
    except Exception as exc:
        raise ExtractionError(f"encrypted PDF that cannot be opened ({exc})") from exc
    if not ok:
        raise ExtractionError("password-protected PDF: save an unprotected copy")


def _pdf_pages(reader: PdfReader, limits: Limits) -> tuple[list[str], list[str]]:
    """Page texts, stopping at the character cap."""
    pages: list[str] = []
    total = 0
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text() or ""
        total += len(text)
        if total > limits.max_chars:
            pages.append(text[: max(0, len(text) - (total - limits.max_chars))])
            return pages, [f"text cut at {limits.max_chars:,} characters (page {number})"]
        pages.append(text)
    return pages, []


def _drop_running_lines(pages: list[str]) -> list[str]:
    """Remove header and footer lines that repeat on most pages (digits ignored)."""
    if len(pages) < 3:
        return pages

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip().lower())

    seen = Counter(k for page in pages for k in {key(x) for x in page.splitlines() if x.strip()})
    running = {k for k, n in seen.items() if n >= max(3, len(pages) * 0.6) and len(k) < 120}
    return ["\n".join(x for x in p.splitlines() if key(x) not in running) for p in pages]


def _pdf_date(value: str) -> str:
    """'D:20150525...' as '2015-05-25'; empty when absent or nonsense."""
    match = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", value.strip())
    if not match or not 1900 < int(match.group(1)) < 2100:
        return ""
    year, month, day = match.groups()
    if month and day and 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
        return f"{year}-{month}-{day}"
    return year


def clean_title(title: str) -> str:
    """A metadata title, or '' when it is junk ('Microsoft Word - x.docx', a file name, ...)."""
    title = " ".join(normalize_text(title).split())
    if len(title) < 4 or _JUNK_TITLE.match(title):
        return ""
    return title


def _check_size(data: bytes, limits: Limits) -> None:
    """Refuse empty and oversized input."""
    if not data.strip():
        raise ExtractionError("empty file")
    if len(data) > limits.max_bytes:
        raise ExtractionError(f"over the {limits.max_bytes // 2**20} MB limit")


# --- HTML --------------------------------------------------------------------------------------

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w\-:.]+)""", re.IGNORECASE)
_DROP = ["script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "form",
         "iframe", "button", "select", "input", "dialog", "object", "embed", "canvas"]  # fmt: skip
_CHROME = re.compile(
    r"(^|[\s_-])(breadcrumbs?|skip(-?link|-to-content)?|cookies?|ribbon|site-?alert|alert-?bar|"
    r"banner|navbar|menu|sidebar|social|share|sign-?in|login|utility|masthead|site-?(header|footer)|"
    r"visually-hidden|sr-only|print-only)($|[\s_-])",
    re.IGNORECASE,
)
_BLOCKS = ["p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
           "ul", "ol", "table", "tr", "blockquote", "pre", "dl", "dt", "dd", "figure",
           "figcaption", "address", "hr", "br", "header", "caption", "tbody", "thead"]  # fmt: skip
_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014\u00b7:-]{1,2}\s+")
_ROLES_DROPPED = ("navigation", "banner", "contentinfo", "complementary", "search")


def decode_html(data: bytes) -> str:
    """Decode a page: BOM, declared charset, then UTF-8, then cp1252 (never replacement chars)."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    match = _CHARSET.search(data[:4096])
    declared = match.group(1).decode("ascii", "ignore").lower() if match else ""
    if declared in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252"):
        declared = "cp1252"  # what browsers do, and cp1252 is a superset
    for codec in (declared, "utf-8", "cp1252"):
        if not codec:
            continue
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def extract_html(data: bytes, limits: Limits = Limits()) -> Extracted:
    """Main content only, with blocks and cells separated; title, description, date, lang."""
    _check_size(data, limits)
    if sniff(data) in ("PDF", "binary data", "an image", "a ZIP or Office file"):
        raise ExtractionError(f"not HTML: the file is {sniff(data)}")
    soup = BeautifulSoup(decode_html(data), "html.parser")
    html = soup.find("html")
    language = str(html.get("lang", "")) if isinstance(html, Tag) else ""
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    summary = _meta(soup, "description") or _meta(soup, "og:description")
    date = (
        _meta(soup, "article:published_time") or _meta(soup, "date") or _meta(soup, "dcterms.date")
    )
    main = _main_content(soup)
    _strip_chrome(main)
    heading = main.find("h1")
    time_tag = main.find("time", attrs={"datetime": True})
    if not date and isinstance(time_tag, Tag):
        date = str(time_tag["datetime"])
    blocks = html_blocks(main, limits.max_chars)  # before the text's line breaks are added
    for tag in main.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    for cell in main.find_all(["td", "th"]):
        cell.insert_after("\t")
    text = normalize_text(main.get_text())
    notes: tuple[str, ...] = ()
    if len(text) > limits.max_chars:
        text, notes = text[: limits.max_chars], (f"text cut at {limits.max_chars:,} characters",)
    title = heading.get_text(" ", strip=True) if isinstance(heading, Tag) else ""
    return Extracted(
        text=text,
        title=" ".join(title.split()) or _strip_site_suffix(page_title),
        summary=" ".join(summary.split()),
        date=date[:10],
        language=language.split("-")[0].lower(),
        notes=notes,
        blocks=blocks,
    )


def _meta(soup: BeautifulSoup, name: str) -> str:
    """Content of <meta name=...> or <meta property=...>."""
    tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
    return str(tag.get("content", "")) if isinstance(tag, Tag) else ""


def _main_content(soup: BeautifulSoup) -> Tag:
    """The page's main content: <main>, role=main, a lone <article>, #content, else <body>."""
    for candidate in (
        soup.find("main"),
        soup.find(role="main"),
        _single(soup.find_all("article")),
        soup.find(id=re.compile(r"^(main-?)?content$", re.I)),
        soup.find(class_=re.compile(r"^(main-?)?content$", re.I)),
        soup.body,
    ):
        if isinstance(candidate, Tag):
            return candidate
    return soup


def _single(tags: list[Tag]) -> Tag | None:
    """The one tag in a list of exactly one."""
    return tags[0] if len(tags) == 1 else None


def _strip_chrome(root: Tag) -> None:
    """Remove navigation, site furniture and hidden helpers inside the main content."""
    for tag in root.find_all(_DROP):
        tag.decompose()
    for tag in root.find_all(True):
        if tag.decomposed or tag.attrs is None:
            continue
        role = str(tag.get("role", ""))
        marks = " ".join([*tag.get_attribute_list("class"), str(tag.get("id", ""))])
        site_header = tag.name == "header" and tag.find_parent(["article", "main"]) is None
        chrome = role in _ROLES_DROPPED or (marks and _CHROME.search(marks)) or site_header
        if chrome and tag is not root:
            tag.decompose()


def _strip_site_suffix(title: str) -> str:
    """'Page Title | Site Name' -> 'Page Title'."""
    title = " ".join(title.split())
    parts = _TITLE_SEPARATORS.split(title)
    return parts[0] if len(parts) > 1 and len(parts[0]) >= 4 else title


# --- Plain text and Markdown -------------------------------------------------------------------

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)|`+)")
_MD_PREFIX = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+\[[ xX]\]\s+|[-*+]\s+|\d+[.)]\s+)", re.M)


def extract_plain(data: bytes, markdown: bool = False, limits: Limits = Limits()) -> Extracted:
    """Decode text (UTF-8, else cp1252); for Markdown take the first '# ' heading as title."""
    _check_size(data, limits)
    kind = sniff(data)
    if kind != "text":
        raise ExtractionError(f"not plain text: the file is {kind}")
    raw = decode_text(data)
    title = ""
    blocks = plain_blocks(raw, limits.max_chars)
    if markdown:
        heading = re.search(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", raw, re.M)
        title = _MD_MARKS.sub("", heading.group(1)) if heading else ""
        blocks = plain_blocks(_MD_MARKS.sub("", _MD_LINK.sub(r"\1", raw)), limits.max_chars, True)
        raw = _MD_MARKS.sub("", _MD_PREFIX.sub("", _MD_LINK.sub(r"\1", raw)))
    text = normalize_text(raw)[: limits.max_chars]
    return Extracted(text=text, title=title.strip(), blocks=blocks)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), falling back to cp1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
