"""Blueprint `pages`: the HTML side (home, families, search, documents, original files, robots).

Each view parses its input, asks the library, and renders one template; queries and facets are
built in library/, links in params. May import: flask, library, and its own modules.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Collection
from pathlib import Path

from flask import Blueprint, Response, abort, render_template, request, send_file, url_for

from library.citation import format_references, highwire_tags
from library.facets import selected
from library.index import LibraryIndex
from library.models import MAX_PER_PAGE, MAX_QUERY_CHARS, Document, SearchRequest, Sort
from library.pages import Within, search_within
from library.search import get_document, reading_view, related, search, translations
from library.vocab import LANGUAGES
from webapp import display, exports, feeds, guides, i18n, params, reading
from webapp.index_access import get_index
from webapp.links import canonical_url

bp = Blueprint("pages", __name__)

HOME_NEWEST = 6
PER_PAGE_CHOICES = (10, 25, 50)
FAMILY_AUDIENCE = "families"
FILE_MAX_AGE = 300
# A corpus HTML page is someone else's page: it runs in a sandbox (an opaque origin with no
# scripts, forms or pop-ups), so even a hostile page cannot act as this site.
SANDBOX_POLICY = (
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'"
)
# Chrome's PDF viewer is an <embed> in a synthetic page that the response's policy governs:
# object-src or default-src would blank it (crbug.com/271452). A PDF runs no script of ours.
FILE_POLICIES = {
    "text/html": SANDBOX_POLICY,
    "application/pdf": "frame-ancestors 'none'",
}
OTHER_FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


@bp.get("/")
def home() -> str:
    """Search box, browse by topic and audience, newest publications, the emergency box."""
    lib = get_index()
    result = search(lib, SearchRequest(sort=Sort.NEWEST, per_page=HOME_NEWEST))
    return render_template("home.html", result=result, vocab=lib.vocabulary)


@bp.get("/families")
def families() -> str:
    """Guides for families by situation, every family guide, and the publications in Spanish."""
    lib = get_index()
    lang = i18n.current()
    spanish = search(
        lib,
        SearchRequest(sort=Sort.TITLE, per_page=MAX_PER_PAGE, facets=selected(language=("es",))),
    )
    return render_template(
        "families.html", sections=guides.family_sections(lib, lang),
        guides=guides.all_family_guides(lib, "en"), spanish=spanish, vocab=lib.vocabulary,
        family_audience=FAMILY_AUDIENCE,
    )  # fmt: skip


@bp.get("/about")
def about() -> str:
    """What the program is, what it offers and how to reach it."""
    return render_template("about.html")


@bp.get("/search", endpoint="search")
def search_page() -> str:
    """Results, facets, chips and pages for the words and filters in the URL."""
    lib = get_index()
    args, forgiven = params.forgive(request.args, known_values(lib))
    result = search(lib, params.parse_search_args(args))
    pairs = params.canonical_pairs(args)
    return render_template(
        "search.html",
        result=result,
        args=args,
        vocab=lib.vocabulary,
        forgiven=forgiven,
        per_page_choices=sorted({*PER_PAGE_CHOICES, result.request.per_page}),
        truncated=params.was_truncated(request.args),
        api_url=url_for("api.search", lang=None) + params.query_string(pairs),
        feed_url=url_for("feeds.search_feed", **feeds.feed_values(args)),
        export_urls={
            fmt: url_for("exports.search_export", fmt=fmt, **feeds.grouped(pairs))
            for fmt in ("ris", "bib")
        },
        pages=display.page_window(result.request.page, result.pages),
        year_span=display.year_span(result.facet("year")),
    )


@bp.get("/documents/<path:doc_id>")
def document(doc_id: str) -> str:
    """One publication: metadata, summary, the original file, related publications, JSON-LD."""
    lib = get_index()
    doc = get_document(lib, params.checked_id(doc_id))
    labels = {
        "topics": [lib.vocabulary.label("topics", t) for t in doc.topics],
        "audiences": [lib.vocabulary.label("audiences", a) for a in doc.audiences],
    }
    file_exists = corpus_file(lib, doc) is not None
    words = params.clean_text(request.args.get(params.Q, ""))[:MAX_QUERY_CHARS]
    ref = exports.reference(lib, doc)
    if not file_exists:
        ref = dataclasses.replace(ref, file_url="")
    return render_template(
        "document.html",
        doc=doc,
        vocab=lib.vocabulary,
        related=related(lib, doc.id),
        editions=translations(lib, doc),
        reading=reading.grouped(reading_view(lib, doc.id, words), doc.title),
        marked=bool(words),
        file_url=url_for(".original", doc_id=doc.id),
        file_exists=file_exists,
        source_link=display.safe_link(doc.source_url),
        json_ld=display.json_ld(doc, ref.url, labels),
        references=format_references(ref, i18n.current()),
        highwire=highwire_tags(ref),
        within=_within(lib, doc),
    )


def _within(lib: LibraryIndex, doc: Document) -> Within | None:
    """The pages matching the document page's search-within box (q), for a PDF of pages."""
    q = params.clean_text(request.args.get(params.Q, ""))[:MAX_QUERY_CHARS]
    if doc.format != "pdf" or not doc.page_count or doc.page_count < 2:
        return None
    return search_within(lib, doc.id, q) if q else Within("", (), 0, 0)


@bp.get("/files/<path:doc_id>")
def original(doc_id: str) -> Response:
    """The original file of an indexed publication, and nothing else, shown inline."""
    lib = get_index()
    doc = get_document(lib, params.checked_id(doc_id))
    path = corpus_file(lib, doc)
    if path is None:
        abort(404)
    mimetype = display.mimetype(doc.format)
    response = send_file(
        path, mimetype=mimetype, download_name=path.name, conditional=True, max_age=FILE_MAX_AGE
    )
    response.headers["Content-Security-Policy"] = FILE_POLICIES.get(mimetype, OTHER_FILE_POLICY)
    if mimetype == "text/html":
        # Let the page's own <meta charset> decide: corpus pages are not all UTF-8.
        response.headers["Content-Type"] = "text/html"
    return response


@bp.get("/robots.txt")
def robots() -> Response:
    """Crawlers may read pages and plain searches, not filter combinations, files or the API."""
    lines = ["User-agent: *", "Allow: /", "Disallow: /api/", "Disallow: /files/"]
    lines += [f"Disallow: /*?*{name}=" for name in params.ROBOTS_DISALLOWED]
    # reference-manager downloads duplicate the pages they come from
    lines += ["Disallow: /search.ris", "Disallow: /search.bib", "Disallow: /documents/*/export."]
    lines += ["", "Sitemap: " + canonical_url("discovery.sitemap", lang=None)]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


def known_values(lib: LibraryIndex) -> dict[str, Collection[str]]:
    """The values each facet parameter may have: the vocabulary's ids and the languages."""
    vocab = lib.vocabulary
    return {
        "topic": vocab.topics.keys(),
        "audience": vocab.audiences.keys(),
        "type": vocab.types.keys(),
        "language": LANGUAGES.keys(),
    }


def corpus_file(lib: LibraryIndex, doc: Document) -> Path | None:
    """The document's file when it exists inside the corpus folder (symlinks resolved)."""
    root = lib.corpus_dir.resolve()
    try:
        path = (root / doc.path).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    inside = path.is_relative_to(root) and path.is_file()
    return path if inside and os.access(path, os.R_OK) else None
