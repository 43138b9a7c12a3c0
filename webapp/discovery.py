"""Blueprint `discovery`: how browsers and crawlers find the library (and /favicon.ico).

/opensearch.xml (an OpenSearch 1.1 description: browsers offer the library as a search engine)
and /sitemap.xml (every document page and the fixed pages, with lastmod from the index; over
SITEMAP_MAX_URLS it becomes a sitemap index of /sitemap-<n>.xml). robots.txt (pages) names the
sitemap. May import: flask, library, links, labels, i18n, index_access.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from flask import Blueprint, Response, abort, current_app, send_from_directory

from library.catalog import listing
from webapp import i18n, labels
from webapp.index_access import get_index
from webapp.links import canonical_url

bp = Blueprint("discovery", __name__)

OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
OPENSEARCH_TYPE = "application/opensearchdescription+xml"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_MAX_URLS = 50_000  # the sitemap protocol's limit for one file
SHORT_NAME = "MECP Library"  # OpenSearch allows 16 characters
# Fixed pages listed in the sitemap, when the app has them.
SITEMAP_PAGES = ("pages.home", "pages.families", "pages.about")
AUDIENCE_PAGE = "guides.audience"  # one page per audience (/for/<audience>)
FAMILIES = "families"


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    """The OpenSearch description: HTML, JSON, Atom and suggestion URL templates, the icon."""
    root = ET.Element("OpenSearchDescription")
    _child(root, "ShortName", SHORT_NAME)
    _child(root, "Description", labels.site_name())
    _child(root, "InputEncoding", "UTF-8")
    for code in i18n.LOCALES:
        _child(root, "Language", code)
    icon = _child(root, "Image", canonical_url("static", filename="favicon.svg"))
    icon.attrib.update({"width": "16", "height": "16", "type": "image/svg+xml"})
    for media_type, endpoint, extra in _TEMPLATES:
        template = canonical_url(endpoint, lang=None) + "?q={searchTerms}" + extra + _lang()
        ET.SubElement(root, "Url", {"type": media_type, "template": template})
    self_url = canonical_url("discovery.opensearch", lang=None)
    attrs = {"type": OPENSEARCH_TYPE, "rel": "self", "template": self_url}
    ET.SubElement(root, "Url", attrs)
    return _xml(root, f"{OPENSEARCH_TYPE}; charset=utf-8", OPENSEARCH)


_TEMPLATES = (
    ("text/html", "pages.search", ""),
    ("application/json", "api.search", "&page={startPage?}"),
    ("application/atom+xml", "feeds.search_feed", ""),
    ("application/x-suggestions+json", "api.suggest", "&format=opensearch"),
)


def _lang() -> str:
    """'&lang=es' when the description was asked for in a language, so searches keep it."""
    lang = i18n.explicit_lang()
    return f"&lang={lang}" if lang else ""


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The icon where browsers look for it by themselves (over a PDF, a feed)."""
    static = current_app.static_folder or ""
    response = send_from_directory(static, "favicon.svg", mimetype="image/svg+xml", max_age=86400)
    return response


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Every page crawlers should know, or an index of sitemap files when they are too many."""
    urls = _sitemap_urls()
    limit = int(current_app.config.get("SITEMAP_MAX_URLS", SITEMAP_MAX_URLS))
    if len(urls) <= limit:
        return _urlset(urls)
    root = ET.Element("sitemapindex")
    lastmod = max(modified for _, modified in urls)
    for number in range(1, -(-len(urls) // limit) + 1):
        entry = ET.SubElement(root, "sitemap")
        _child(entry, "loc", canonical_url("discovery.sitemap_part", number=number))
        _child(entry, "lastmod", lastmod)
    return _xml(root, "application/xml; charset=utf-8", SITEMAP)


@bp.get("/sitemap-<int:number>.xml")
def sitemap_part(number: int) -> Response:
    """One file of a sitemap index (404 past the last, or when one file holds them all)."""
    urls = _sitemap_urls()
    limit = int(current_app.config.get("SITEMAP_MAX_URLS", SITEMAP_MAX_URLS))
    part = urls[(number - 1) * limit : number * limit] if number >= 1 else []
    if len(urls) <= limit or not part:
        abort(404)
    return _urlset(part)


def _sitemap_urls() -> list[tuple[str, str]]:
    """(canonical URL, lastmod) of the fixed pages, then of every document page by id."""
    lib = get_index()
    built = lib.built_at
    pages = [
        (canonical_url(endpoint, lang=None), built)
        for endpoint in SITEMAP_PAGES
        if endpoint in current_app.view_functions
    ]
    if AUDIENCE_PAGE in current_app.view_functions:
        pages += [
            (canonical_url(AUDIENCE_PAGE, audience=term, lang=None), built)
            for term in lib.vocabulary.audiences
            if term != FAMILIES  # its audience page is the families page
        ]
    documents = [
        (canonical_url("pages.document", doc_id=item.id, lang=None), item.indexed)
        for item in listing(lib)
    ]
    return pages + documents


def _urlset(urls: list[tuple[str, str]]) -> Response:
    """A <urlset> of (loc, lastmod) pairs."""
    root = ET.Element("urlset")
    for loc, lastmod in urls:
        url = ET.SubElement(root, "url")
        _child(url, "loc", loc)
        if lastmod:
            _child(url, "lastmod", lastmod)
    return _xml(root, "application/xml; charset=utf-8", SITEMAP)


def _child(parent: ET.Element, name: str, text: str) -> ET.Element:
    """A child element holding text."""
    child = ET.SubElement(parent, name)
    child.text = text
    return child


def _xml(root: ET.Element, content_type: str, namespace: str) -> Response:
    """An XML response whose elements are in namespace (declared on the root)."""
    root.set("xmlns", namespace)
    body = ET.tostring(root, encoding="unicode", xml_declaration=True)
    return Response(body + "\n", content_type=content_type)
