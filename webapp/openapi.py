"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

One dict, written by hand beside the code it describes: tests check it against live responses
(every documented field present with its type, every error documented) and drive the API from it
with schemathesis. May import: library.models, library.suggest, library.vocab.
"""

from __future__ import annotations

from typing import Any

from library.models import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, Sort
from library.suggest import MAX_SUGGESTIONS
from library.vocab import KINDS, LANGUAGES

_STR = {"type": "string"}
_STRS = {"type": "array", "items": _STR}
_INT_OR_NULL = {"type": ["integer", "null"]}


def _obj(properties: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """An object schema whose properties are all required except those named optional."""
    return {
        "type": "object",
        "required": [name for name in properties if name not in optional],
        "properties": properties,
        "additionalProperties": False,  # a field added to the API must be documented here
    }


def _ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """A JSON response."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    """The documented error responses (components.responses), each an Error object."""
    return {str(status): {"$ref": f"#/components/responses/E{status}"} for status in statuses}


_LANGUAGE = {"type": "string", "enum": list(LANGUAGES)}
_PARAMS = {
    "q": {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 2000},
          "description": "The search words; empty browses everything, newest first."},
    **{
        name: {"name": name, "in": "query", "style": "form", "explode": True,
               "schema": {"type": "array", "items": {"type": "string", "maxLength": 200}},
               "description": f"Repeatable {name} ids (see /api/vocabularies)."}
        for name in ("topic", "audience", "type")
    },
    "language": {"name": "language", "in": "query", "style": "form", "explode": True,
                 "schema": {"type": "array", "items": _LANGUAGE}},
    "year_min": {"name": "year_min", "in": "query",
                 "schema": {"type": "integer", "minimum": 1900, "maximum": 2100}},
    "year_max": {"name": "year_max", "in": "query",
                 "schema": {"type": "integer", "minimum": 1900, "maximum": 2100}},
    "sort": {"name": "sort", "in": "query", "schema": {"type": "string", "enum": [s.value for s in Sort]}},
    "page": {"name": "page", "in": "query",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
    "per_page": {"name": "per_page", "in": "query",
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                            "default": DEFAULT_PER_PAGE}},
    "exact": {"name": "exact", "in": "query", "schema": {"type": "string", "enum": ["1"]},
              "description": "1: search exactly the words typed, never a correction."},
    "lang": {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["en", "es"]},
             "description": "The interface language (labels in messages and suggestions)."},
}  # fmt: skip

_SCHEMAS: dict[str, Any] = {
    "Error": _obj({"error": _STR, "message": _STR}),
    "Hit": _obj({
        "id": _STR, "title": _STR, "url": _STR, "type": _STR, "year": _INT_OR_NULL, "date": _STR,
        "language": _STR, "topics": _STRS, "audiences": _STRS, "summary": _STR,
        "snippet": {"type": "string", "description": "Escaped text with <mark> around matches."},
        "score": {"type": ["number", "null"]},
        "page": {"type": ["integer", "null"], "minimum": 1,
                 "description": "The PDF page the snippet's words are on (null outside PDFs)."},
        "partial": {"type": "boolean",
                    "description": "Holds only some of the words (listed after the full matches)."},
    }),
    "FacetValue": _obj({"value": _STR, "label": _STR, "count": {"type": "integer", "minimum": 0},
                        "selected": {"type": "boolean"}}),
    "SearchResult": _obj({
        "query": _STR, "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1},
        "results": {"type": "array", "items": _ref("Hit")},
        "facets": _obj({name: {"type": "array", "items": _ref("FacetValue")}
                        for name in ("topic", "audience", "type", "year", "language")}),
        "suggestion": {"type": ["string", "null"],
                       "description": "A likelier spelling of the query, not searched."},
        "partial": {"type": "integer", "minimum": 0,
                    "description": "Publications holding only some of the words, after total."},
        "fallback": {"type": "boolean",
                     "description": "None holds enough of the words: total counts partial ones."},
        "corrected": {"type": ["string", "null"],
                      "description": "The corrected query searched because the typed one found "
                                     "nothing (exact=1 prevents it)."},
    }),
    "Edition": _obj({"id": _STR, "title": _STR, "language": _STR, "url": _STR}),
    "Document": _obj({
        "id": _STR, "title": _STR, "path": _STR, "format": _STR, "summary": _STR, "date": _STR,
        "type": _STR, "topics": _STRS, "audiences": _STRS, "language": _STR, "source_url": _STR,
        "authors": _STRS, "page_count": _INT_OR_NULL, "file_size": {"type": "integer"},
        "has_text": {"type": "boolean"}, "translation_of": _STR, "year": _INT_OR_NULL,
        "summary_inferred": {"type": "boolean",
                             "description": "The summary is the text's first lines, not written for it."},
        "url": _STR, "file_url": _STR, "translations": {"type": "array", "items": _ref("Edition")},
    }),
    "Term": _obj({"id": _STR, "label": _STR, "description": _STR, "label_es": _STR,
                  "description_es": _STR}),
    "Vocabularies": _obj({
        **{kind: {"type": "array", "items": _ref("Term")} for kind in KINDS},
        "languages": {"type": "array", "items": _obj({"id": _STR, "label": _STR})},
    }),
    "Suggestion": _obj({
        "text": _STR, "kind": {"type": "string", "enum": ["title", "topic", "audience", "type"]},
        "id": _STR, "label": _STR, "language": _STR, "description": _STR, "url": _STR,
    }),
    "Suggestions": _obj({"query": _STR, "suggestions": {
        "type": "array", "items": _ref("Suggestion"), "maxItems": MAX_SUGGESTIONS}}),
    "OpenSearchSuggestions": {
        "type": "array", "minItems": 4, "maxItems": 4,
        "items": {"anyOf": [_STR, _STRS]},
        "description": "[query, [completions], [descriptions], [URLs]]",
    },
}  # fmt: skip

_SEARCH_PARAMS = ["q", "topic", "audience", "type", "language", "year_min", "year_max", "sort",
                  "page", "per_page", "exact", "lang"]  # fmt: skip


def spec(server_url: str) -> dict[str, Any]:
    """The whole description, with the site's base URL as its server."""
    responses = {
        f"E{status}": _json(_ref("Error"), text)
        for status, text in (
            (400, "A parameter is invalid; the message names it."),
            (404, "No publication has that id."),
            (503, "The index is not available yet (no ingest has run)."),
        )
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "MECP Resource Library API",
            "version": "1",
            "description": "Read-only JSON API of the library. No authentication.",
        },
        "servers": [{"url": server_url}],
        "paths": _paths(),
        "components": {"schemas": _SCHEMAS, "responses": responses},
    }


def _paths() -> dict[str, Any]:
    """Every operation of the API."""
    params = [_PARAMS[name] for name in _SEARCH_PARAMS]
    return {
        "/api/search": {"get": {
            "operationId": "search", "summary": "Search the publications, with facet counts.",
            "parameters": params,
            "responses": {"200": _json(_ref("SearchResult"), "One page of results."),
                          **_errors(400, 503)},
        }},
        "/api/documents/{id}": {"get": {
            "operationId": "document", "summary": "One publication's metadata.",
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9/_.-]*$"},
                            "description": "The document id: its path in the corpus, no extension."}],
            "responses": {"200": _json(_ref("Document"), "The publication."),
                          **_errors(404, 503)},
        }},
        "/api/vocabularies": {"get": {
            "operationId": "vocabularies", "summary": "Topics, audiences, types and languages.",
            "responses": {"200": _json(_ref("Vocabularies"), "Every term."), **_errors(503)},
        }},
        "/api/suggest": {"get": {
            "operationId": "suggest", "summary": "Completions of what is being typed.",
            "parameters": [
                {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 2000}},
                {"name": "limit", "in": "query",
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_SUGGESTIONS}},
                {"name": "format", "in": "query",
                 "schema": {"type": "string", "enum": ["json", "opensearch"]}},
                _PARAMS["lang"],
            ],
            "responses": {
                "200": {"description": "At most 10 completions, best first.", "content": {
                    "application/json": {"schema": _ref("Suggestions")},
                    "application/x-suggestions+json": {"schema": _ref("OpenSearchSuggestions")},
                }},
                **_errors(400, 503),
            },
        }},
    }  # fmt: skip
