"""Blueprint `feeds`: /search.atom, the Atom 1.0 feed of a search's newest publications.

It takes exactly the parameters of /search (the same validation, the same 400s) and lists the 20
newest matching publications, whatever the sort and page asked for: a feed follows what is new.
With no parameters it is the feed of new publications. May import: flask, flask_babel, library,
params, links, labels, i18n, index_access.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from html import unescape
from typing import Any
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, request
from flask_babel import gettext

from library.citation import PROGRAM
from library.index import LibraryIndex
from library.models import Document, SearchRequest, Sort
from library.search import get_document, search
from webapp import i18n, labels, params
from webapp.index_access import get_index
from webapp.links import canonical_url

bp = Blueprint("feeds", __name__)

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_ENTRIES = 20
ATOM_TYPE = "application/atom+xml"
# A feed is the same search whatever order or page it was found on.
NOT_IN_FEED_URL = (params.SORT, params.PAGE, params.PER_PAGE)
FILE_TYPES = {"pdf": "application/pdf", "html": "text/html", "htm": "text/html"}
_TAGS = re.compile(r"<[^>]+>")


def feed_values(args: params.Args) -> dict[str, Any]:
    """The search's parameters that make its feed, as url_for values (repeated ones as lists)."""
    return grouped(params.canonical_pairs(args, drop=NOT_IN_FEED_URL))


def grouped(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Query-string pairs as url_for values: each name with the list of its values."""
    values: dict[str, Any] = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value)
    return values


@bp.get("/search.atom")
def search_feed() -> Response:
    """The 20 newest publications matching the search, as Atom 1.0."""
    lib = get_index()
    req = dataclasses.replace(
        params.parse_search_args(request.args), sort=Sort.NEWEST, page=1, per_page=FEED_ENTRIES
    )
    result = search(lib, req)
    # A publication without a summary is described by the start of its text (the hit's snippet).
    docs = [_described(get_document(lib, hit.id), hit.snippet) for hit in result.hits]
    feed = _feed(lib, req, docs, feed_values(request.args))
    body = ET.tostring(feed, encoding="unicode", xml_declaration=True)
    return Response(body + "\n", content_type=f"{ATOM_TYPE}; charset=utf-8")


def _feed(
    lib: LibraryIndex, req: SearchRequest, docs: list[Document], values: dict[str, list[str]]
) -> ET.Element:
    """The <feed> element: title, links, the program as author, then one entry a publication."""
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: i18n.current()})
    self_url = canonical_url("feeds.search_feed", **values)
    _text(feed, "id", self_url)
    _text(feed, "title", feed_title(lib, req))
    _text(feed, "updated", _timestamp(lib.built_at, lib.built_at))
    _link(feed, self_url, "self", ATOM_TYPE)
    _link(feed, canonical_url("pages.search", **values), "alternate", "text/html")
    _author(feed, [PROGRAM])
    _text(feed, "generator", labels.site_name())
    for doc in docs:
        feed.append(_entry(lib, doc))
    return feed


def feed_title(lib: LibraryIndex, req: SearchRequest) -> str:
    """'<site>: new publications', or the search's words and filters after the site's name."""
    lang = i18n.current()
    parts = [f"\u201c{req.q}\u201d"] if req.q else []
    for name, values in req.selections().items():
        kind = {"topic": "topics", "audience": "audiences", "type": "types"}.get(name)
        parts += [
            lib.vocabulary.label(kind, v, lang) if kind else labels.language_name(v) for v in values
        ]
    if req.year_bounded:
        parts.append(f"{req.year_min or ''}\u2013{req.year_max or ''}")
    subject = ", ".join(parts) if parts else gettext("new publications")
    return f"{labels.site_name()}: {subject}"


def _entry(lib: LibraryIndex, doc: Document) -> ET.Element:
    """One publication: id, title, dates, summary, categories, links to its page and its file."""
    entry = ET.Element("entry", {XML_LANG: doc.language})
    page = canonical_url("pages.document", doc_id=doc.id)
    _text(entry, "id", page)
    _text(entry, "title", doc.title)
    when = _timestamp(doc.date, lib.built_at)
    _text(entry, "published", when)
    _text(entry, "updated", when)
    if doc.authors:
        _author(entry, doc.authors)
    if doc.summary:
        _text(entry, "summary", doc.summary)
    for kind, term_ids in (("topics", doc.topics), ("audiences", doc.audiences)):
        for term in term_ids:
            _category(entry, lib, kind, term)
    if doc.type:
        _category(entry, lib, "types", doc.type)
    _link(entry, page, "alternate", "text/html")
    file_link = _link(
        entry,
        canonical_url("pages.original", doc_id=doc.id),
        "enclosure",
        FILE_TYPES.get(doc.format, "text/plain"),
    )
    if doc.file_size:
        file_link.set("length", str(doc.file_size))
    return entry


def _described(doc: Document, snippet: str) -> Document:
    """The document, with the snippet's plain text as its summary when it has none."""
    if doc.summary or not snippet:
        return doc
    return dataclasses.replace(doc, summary=unescape(_TAGS.sub("", snippet)))


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    """A child element holding text (escaped by ElementTree)."""
    child = ET.SubElement(parent, name)
    child.text = value
    return child


def _link(parent: ET.Element, href: str, rel: str, media_type: str) -> ET.Element:
    """An Atom <link>."""
    return ET.SubElement(parent, "link", {"rel": rel, "type": media_type, "href": href})


def _author(parent: ET.Element, names: Iterable[str]) -> None:
    """One <author> per name."""
    for name in names:
        _text(ET.SubElement(parent, "author"), "name", name)


def _category(parent: ET.Element, lib: LibraryIndex, kind: str, term: str) -> None:
    """A topic, audience or type as an Atom category, its label in the page's language."""
    scheme = canonical_url("api.vocabularies") + f"#{kind}"
    label = lib.vocabulary.label(kind, term, i18n.current())
    ET.SubElement(parent, "category", {"term": term, "scheme": scheme, "label": label})


def _timestamp(date: str, fallback: str) -> str:
    """An RFC 3339 time for a YYYY[-MM[-DD]] date (a missing month or day is the first)."""
    if not date[:4].isdigit():
        date = fallback if fallback[:4].isdigit() else "1970"
    if "T" in date:
        return date
    parts = (date.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]:0>2}-{parts[2]:0>2}T00:00:00Z"
