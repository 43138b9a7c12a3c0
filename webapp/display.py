"""How values look on the pages: dates, numbers, file sizes, formats, safe links, JSON-LD.

Dates and numbers use Babel's formats for the page's locale ('en' or 'es'); words go through
Flask-Babel's gettext, so they follow the request's language. Registered as Jinja filters by
create_app. May import: stdlib, babel, flask_babel, library.models.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from flask_babel import gettext, lazy_gettext

from library.models import Document, Facet

FORMATS = {
    "pdf": lazy_gettext("PDF"),
    "html": lazy_gettext("web page"),
    "htm": lazy_gettext("web page"),
    "txt": lazy_gettext("text file"),
    "md": lazy_gettext("text file"),
}


def human_date(date: str, locale: str = "en") -> str:
    """'2019-03-04' -> 'March 4, 2019' (es: '4 de marzo de 2019'), '2011-04' -> 'April 2011'."""
    try:
        numbers = [int(p) for p in date.split("-")]
    except ValueError:
        return date or gettext("Undated")
    if len(numbers) >= 2 and 1 <= numbers[1] <= 12:
        if len(numbers) == 3:
            try:
                day = datetime.date(numbers[0], numbers[1], numbers[2])
            except ValueError:
                pass
            else:
                return format_date(day, "long", locale=locale)
        month = datetime.date(numbers[0], numbers[1], 1)
        return format_skeleton("yMMMM", month, locale=locale)
    return str(numbers[0])


def number(value: int, locale: str = "en") -> str:
    """A count with the locale's grouping: 1,234 in English, 1234 or 12.345 in Spanish."""
    return format_decimal(value, locale=locale)


def filesize(size: int | None, locale: str = "en") -> str:
    """A byte count for people: '812 bytes', '34 KB', '2.4 MB' (es: '2,4 MB')."""
    if not size or size < 0:
        return ""
    if size < 1024:
        return str(gettext("%(n)s bytes", n=format_decimal(size, locale=locale)))
    if size < 1024 * 1024:
        return f"{format_decimal(round(size / 1024), locale=locale)} KB"
    return f"{format_decimal(round(size / (1024 * 1024), 1), '0.0', locale=locale)} MB"


def format_label(fmt: str, capital: bool = False) -> str:
    """'pdf' -> 'PDF', 'html' -> 'web page' (or 'Web page' with capital, to start a line)."""
    label = str(FORMATS.get(fmt.lower(), fmt.upper()))
    return label[:1].upper() + label[1:] if capital else label


def safe_link(url: str) -> str | None:
    """The URL when it is a plain http(s) address, else None (no javascript: or data: links)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def json_ld(doc: Document, page_url: str, labels: dict[str, list[str]]) -> dict[str, Any]:
    """schema.org description of a publication; labels holds the topic and audience labels."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DigitalDocument",
        "name": doc.title,
        "url": page_url,
        "inLanguage": doc.language,
        "about": [{"@type": "Thing", "name": name} for name in labels["topics"]],
        "audience": [{"@type": "Audience", "audienceType": name} for name in labels["audiences"]],
        "encodingFormat": _MIME.get(doc.format, "application/octet-stream"),
    }
    if doc.date:
        data["datePublished"] = doc.date
    if doc.summary:
        data["abstract"] = doc.summary
    if doc.type:
        data["genre"] = doc.type
    if doc.page_count:
        data["numberOfPages"] = doc.page_count
    return data


_MIME = {
    "pdf": "application/pdf",
    "html": "text/html",
    "htm": "text/html",
    "txt": "text/plain",
    "md": "text/markdown",
}


def mimetype(fmt: str) -> str:
    """The media type an original file is served as (Markdown as plain text, to be read inline)."""
    fmt = fmt.lower()
    return "text/plain" if fmt == "md" else _MIME.get(fmt, "application/octet-stream")


def page_window(current: int, last: int, radius: int = 2) -> list[int | None]:
    """Page numbers to link: the first, the last and those near current; None marks a gap."""
    shown = sorted({1, last, *range(max(1, current - radius), min(last, current + radius) + 1)})
    window: list[int | None] = []
    for number in shown:
        if window and number - (window[-1] or 0) > 1:
            window.append(None)
        window.append(number)
    return window


def year_span(facet: Facet) -> tuple[int, int] | None:
    """The first and last year any matching publication has, for the year inputs' hints."""
    years = [int(v.value) for v in facet.values if v.value.isdigit()]
    return (min(years), max(years)) if years else None
