"""Blueprint `exports`: references for reference managers (RIS, BibTeX, CSL-JSON).

/documents/<id>/export.ris|.bib|.json export one publication; /search.ris and /search.bib export
the requested page of a search, with exactly the parameters of /search. The formats are built in
library.export. May import: flask, library, params, links, i18n, index_access.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Blueprint, Response, request

from library.citation import Reference
from library.export import to_bibtex, to_csl_json, to_ris
from library.index import LibraryIndex
from library.models import Document
from library.search import get_document, search
from webapp import i18n, params
from webapp.index_access import get_index
from webapp.links import canonical_url

bp = Blueprint("exports", __name__)

# extension -> (media type, writer)
FORMATS: dict[str, tuple[str, Callable[[Iterable[Reference]], str]]] = {
    "ris": ("application/x-research-info-systems", to_ris),
    "bib": ("application/x-bibtex", to_bibtex),
    "json": ("application/vnd.citationstyles.csl+json", to_csl_json),
}


def reference(lib: LibraryIndex, doc: Document) -> Reference:
    """A document with its canonical URLs and term labels (in the page's language), to cite."""
    vocab, lang = lib.vocabulary, i18n.current()
    return Reference(
        doc=doc,
        url=canonical_url("pages.document", doc_id=doc.id),
        file_url=canonical_url("pages.original", doc_id=doc.id),
        type_label=vocab.label("types", doc.type, lang) if doc.type else "",
        keywords=tuple(vocab.label("topics", t, lang) for t in doc.topics),
    )


@bp.get("/documents/<path:doc_id>/export.<any(ris, bib, json):fmt>")
def document_export(doc_id: str, fmt: str) -> Response:
    """One publication's reference, as a download named after it."""
    lib = get_index()
    doc = get_document(lib, params.checked_id(doc_id))
    name = doc.id.rsplit("/", 1)[-1] or "reference"
    return _download([reference(lib, doc)], fmt, name)


@bp.get("/search.<any(ris, bib):fmt>")
def search_export(fmt: str) -> Response:
    """The requested page of a search's results (per_page=100 exports up to 100)."""
    lib = get_index()
    result = search(lib, params.parse_search_args(request.args))
    refs = [reference(lib, get_document(lib, hit.id)) for hit in result.hits]
    return _download(refs, fmt, "mecp-search")


def _download(refs: list[Reference], fmt: str, name: str) -> Response:
    """The references in a format, served as an attachment with a file name."""
    mimetype, write = FORMATS[fmt]
    response = Response(write(refs), content_type=f"{mimetype}; charset=utf-8")
    response.headers.set("Content-Disposition", "attachment", filename=f"{name}.{fmt}")
    return response
