"""Blueprint `api` at /api: the JSON contract (search, documents, vocabularies, suggest).

/api/search returns exactly SearchResult.to_dict(document_url), the same JSON as
`mecp search --json`. Errors are {"error", "message"} (webapp.errors). May import: flask,
library, params, display, labels, i18n, links, openapi, index_access.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from library.errors import InvalidRequest
from library.models import MAX_QUERY_CHARS, document_url
from library.search import get_document, search, translations
from library.suggest import MAX_SUGGESTIONS, Suggestion, suggest
from library.vocab import KINDS, LANGUAGES
from webapp import i18n, labels, openapi, params
from webapp.index_access import get_index
from webapp.links import canonical_url

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
    data["file_url"] = url_for("pages.original", doc_id=doc.id, lang=None)
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


@bp.get("/openapi.json", endpoint="openapi")
def openapi_json() -> Response:
    """The OpenAPI 3.1 description of this API, with this site as its server."""
    return jsonify(openapi.spec(canonical_url("pages.home", lang=None).rstrip("/")))


SUGGESTION_FORMATS = ("json", "opensearch")
_FACET_OF_KIND = {"topics": "topic", "audiences": "audience", "types": "type"}


@bp.get("/suggest", endpoint="suggest")
def suggest_api() -> Response:
    """Completions of q: JSON, or OpenSearch suggestions with format=opensearch."""
    q = params.clean_text(request.args.get("q", ""))[:MAX_QUERY_CHARS]
    fmt = request.args.get("format", "json").strip() or "json"
    if fmt not in SUGGESTION_FORMATS:
        raise InvalidRequest("format must be json or opensearch")
    limit = params.whole_number(request.args, "limit", 1, MAX_SUGGESTIONS) or MAX_SUGGESTIONS
    found = suggest(get_index(), q, i18n.current(), limit)
    rows = [_suggestion(s) for s in found]
    if fmt == "opensearch":
        body = [q, [r["text"] for r in rows], [r["description"] for r in rows]]
        body.append([r["url"] for r in rows])
        return Response(
            json.dumps(body, ensure_ascii=False),
            content_type="application/x-suggestions+json; charset=utf-8",
        )
    return jsonify({"query": q, "suggestions": rows})


def _suggestion(found: Suggestion) -> dict[str, Any]:
    """One completion as JSON: its text, kind, id, label, language, a description and a URL."""
    facet = _FACET_OF_KIND.get(found.kind)
    if facet is None:
        url, description = document_url(found.id), ""
    else:
        url = params.search_url("/search", **{facet: found.id})
        description = f"{labels.facet_label(facet)}: {found.label}"
    return {
        "text": found.text,
        "kind": "title" if facet is None else facet,
        "id": found.id,
        "label": found.label,
        "language": found.language,
        "description": description,
        "url": url,
    }
