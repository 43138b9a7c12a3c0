"""How a publication is cited: its CSL-JSON item, formatted references, Highwire meta tags.

References are rendered by citeproc-py from the CSL styles vendored in library/csl/ (CC BY-SA, see
the LICENSE there). The program is the corporate author of its publications unless a sidecar
names authors, and always the publisher. May import: stdlib, citeproc, models.
"""

from __future__ import annotations

import datetime
import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape, unescape
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
)
from citeproc.formatter import html as citeproc_html
from citeproc.source.json import CiteProcJSON

from library.models import Document

PROGRAM = "Missing and Exploited Children's Program"
STYLE_DIR = Path(__file__).parent / "csl"
# style id -> (label, CSL file), in the order the Cite block shows them
STYLES: dict[str, tuple[str, str]] = {
    "apa": ("APA 7", "apa.csl"),
    "mla": ("MLA 9", "modern-language-association.csl"),
    "chicago": ("Chicago (author-date)", "chicago-author-date.csl"),
}
LOCALES = {
    "en": "en-US",
    "es": "es-ES",
}  # interface language -> CSL locale (citeproc-py ships both)
WEB_TYPES = ("webinar", "event")  # cited as web pages; everything else is grey literature
_TAG = re.compile(r"<[^>]+>")
_RENDER_LOCK = threading.Lock()  # a parsed style is shared; citeproc-py is not thread-safe


@dataclass(frozen=True, slots=True)
class Reference:
    """A document with what citing it needs: absolute URLs and the labels of its terms."""

    doc: Document
    url: str  # the canonical URL of the document's page
    file_url: str  # the canonical URL of the original file ("" when it is not served)
    type_label: str = ""  # "Fact sheet", "Guide" ...
    keywords: tuple[str, ...] = ()  # topic labels


@dataclass(frozen=True, slots=True)
class Formatted:
    """One formatted reference: safe HTML (escaped text, <i> for italics) and plain text."""

    style: str
    label: str
    html: str
    text: str


def is_person(name: str) -> bool:
    """A sidecar author written "Family, Given" is a person; anything else is an organisation."""
    return "," in name


def split_person(name: str) -> tuple[str, str]:
    """("Family", "Given") of a "Family, Given" name."""
    family, _, given = name.partition(",")
    return family.strip(), given.strip()


def authors(doc: Document) -> tuple[str, ...]:
    """The names the publication is by: its sidecar's authors, else the program."""
    return doc.authors or (PROGRAM,)


def date_parts(date: str) -> list[int]:
    """'2019-03-04' -> [2019, 3, 4]; '' -> []."""
    return [int(part) for part in date.split("-") if part.isdigit()]


def csl_item(ref: Reference) -> dict[str, Any]:
    """The CSL-JSON item of a reference (what Zotero, Mendeley and citeproc read)."""
    doc = ref.doc
    item: dict[str, Any] = {
        "id": doc.id,
        "type": "webpage" if doc.type in WEB_TYPES else "report",
        "title": doc.title,
        "author": [_csl_name(name) for name in authors(doc)],
        "publisher": PROGRAM,
        "URL": ref.url,
        "language": doc.language,
    }
    if doc.date:
        item["issued"] = {"date-parts": [date_parts(doc.date)]}
    else:  # APA cites an undated page with the day it was read ("Retrieved May 2, 2025, from")
        today = datetime.date.today()
        item["accessed"] = {"date-parts": [[today.year, today.month, today.day]]}
    if ref.type_label and doc.type not in WEB_TYPES and doc.type != "report":
        item["genre"] = ref.type_label
    if doc.summary:
        item["abstract"] = doc.summary
    if ref.keywords:
        item["keyword"] = ", ".join(ref.keywords)
    if doc.page_count:
        item["number-of-pages"] = str(doc.page_count)
    return item


def _csl_name(name: str) -> dict[str, str]:
    """A CSL name: family and given for a person, a literal for an organisation."""
    if is_person(name):
        family, given = split_person(name)
        return {"family": family, "given": given} if given else {"family": family}
    return {"literal": name}


def format_references(ref: Reference, lang: str = "en") -> list[Formatted]:
    """The reference in every style of STYLES, in a language's conventions, as HTML and text.

    Rendering the three styles takes citeproc-py about 30 ms, so the results of the most recent
    references are kept (an undated one is cited with today's date: the day is in the key).
    """
    return list(_formatted(ref, lang, datetime.date.today()))


@lru_cache(maxsize=2048)
def _formatted(ref: Reference, lang: str, today: datetime.date) -> tuple[Formatted, ...]:
    """format_references, computed."""
    item = _escaped(csl_item(ref))
    found = []
    for style, (label, _file) in STYLES.items():
        with _RENDER_LOCK:
            bibliography = CitationStylesBibliography(
                _style(style, LOCALES.get(lang, LOCALES["en"])), CiteProcJSON([item]), _SAFE_HTML
            )
            bibliography.register(Citation([CitationItem(item["id"])]))
            html = str(bibliography.bibliography()[0])
        found.append(Formatted(style, label, html, unescape(_TAG.sub("", html))))
    return tuple(found)


def _escaped(value: Any) -> Any:
    """Every string in a CSL item HTML-escaped: citeproc-py passes markup in values through."""
    if isinstance(value, str):
        return escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    return value


class _SmallCaps(citeproc_html.TagWrapper):  # type: ignore[misc]
    """Small capitals by class: the site's policy forbids inline style attributes."""

    tag = "span"
    attributes = {"class": "small-caps"}


_SAFE_HTML = SimpleNamespace(
    preformat=citeproc_html.preformat,
    Italic=citeproc_html.Italic,
    Oblique=citeproc_html.Oblique,
    Bold=citeproc_html.Bold,
    Light=citeproc_html.Light,
    Underline=citeproc_html.Underline,
    Superscript=citeproc_html.Superscript,
    Subscript=citeproc_html.Subscript,
    SmallCaps=_SmallCaps,
)


@cache
def _style(style: str, locale: str) -> Any:
    """A parsed CSL style in a locale (parsing one takes milliseconds, so it is done once)."""
    return CitationStylesStyle(str(STYLE_DIR / STYLES[style][1]), validate=False, locale=locale)


def highwire_tags(ref: Reference) -> list[tuple[str, str]]:
    """Highwire Press citation_* meta tags, as Google Scholar and Zotero's connector read them."""
    doc = ref.doc
    tags = [("citation_title", doc.title)]
    tags += [("citation_author", name) for name in authors(doc)]
    if doc.date:
        tags.append(("citation_publication_date", doc.date.replace("-", "/")))
    tags += [
        ("citation_publisher", PROGRAM),
        ("citation_language", doc.language),
        ("citation_abstract_html_url", ref.url),
    ]
    if ref.file_url and doc.format == "pdf":
        tags.append(("citation_pdf_url", ref.file_url))
    if doc.type not in WEB_TYPES:
        tags.append(("citation_technical_report_institution", PROGRAM))
    tags += [("citation_keywords", keyword) for keyword in ref.keywords]
    return tags
