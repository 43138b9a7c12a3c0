"""Blueprint `api` at /api: the JSON contract (search, documents, vocabularies).

/api/search returns exactly SearchResult.to_dict(document_url), the same JSON as
`mecp search --json`. Errors are {"error", "message"} (webapp.errors). May import: flask,
library, params, display, index_access.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from library.models import document_url
from library.search import get_document, search, translations
from library.vocab import KINDS, LANGUAGES
from webapp import display, params
from webapp.index_access import get_index

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search", endpoint="search")
def search_api() -> Response:
    """Search results with facets, in the shape the README documents."""
    result = search(get_index(), params.parse_search_args(request.args))
    return jsonify(result.to_dict(document_url))


@bp.get("/documents/<path:doc_id>")
def document(doc_id: str) -> Response:
    """One publication's metadata, the URLs of its page and original, its other editions."""
    doc = get_document(get_index(), params.checked_id(doc_id))
    data: dict[str, Any] = doc.metadata()
    data["url"] = document_url(doc.id)
    data["file_url"] = display.file_url(doc.id)
    data["translations"] = [
        {"id": t.id, "title": t.title, "language": t.language, "url": document_url(t.id)}
        for t in translations(get_index(), doc)
    ]
    return jsonify(data)


@bp.get("/vocabularies")
def vocabularies() -> Response:
    """Every topic, audience and type (id, label, description, and both in Spanish); languages."""
    vocab = get_index().vocabulary
    data: dict[str, Any] = {
        kind: [
            {
                "id": term.id,
                "label": term.label,
                "description": term.description,
                "label_es": term.label_es or term.label,
                "description_es": term.description_es or term.description,
            }
            for term in vocab.kind(kind).values()
        ]
        for kind in KINDS
    }
    data["languages"] = [{"id": code, "label": label} for code, label in LANGUAGES.items()]
    return jsonify(data)
