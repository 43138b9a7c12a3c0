"""search(), get_document(), reading_view(), translations() and related(): the read side.

Takes an open LibraryIndex and returns plain models, whatever engine answers: a search parses
what was typed (with the engine's analysis), lets the engine match, count and rank, makes the
snippets, and says when a likelier spelling exists or was searched instead.
May import: index, engine, query, ranking, spelling, facets, snippets, pages, models,
errors, text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from library import spelling
from library.engine import EngineHit, EngineResult
from library.errors import DocumentNotFound, IndexUnavailable, InvalidRequest, LibraryError
from library.facets import build_facets, check_selections
from library.index import LibraryIndex
from library.models import (
    MAX_PAGE,
    MAX_PER_PAGE,
    Blocks,
    Document,
    SearchHit,
    SearchRequest,
    SearchResult,
)
from library.pages import page_at
from library.query import ParsedQuery, analysed_language, corrected, parse_query
from library.ranking import DEFAULT, RankingPolicy
from library.snippets import ENOUGH_WORDS, located_snippet, mark_all
from library.text import one_line

_Value = TypeVar("_Value")
_Params = ParamSpec("_Params")
SUMMARY_CHARS = 300


def _unavailable_when_damaged(function: Callable[_Params, _Value]) -> Callable[_Params, _Value]:
    """Let an error reading a damaged generation surface as IndexUnavailable (503), not a bug.

    An engine reading a corrupt file fails in many ways; when one does, the generation is checked
    (once): damage is reported as such, anything else is a bug and raised as it is.
    """

    @wraps(function)
    def guarded(*args: _Params.args, **kwargs: _Params.kwargs) -> _Value:
        try:
            return function(*args, **kwargs)
        except LibraryError:
            raise
        except Exception as exc:
            lib = args[0]
            if not isinstance(lib, LibraryIndex) or not lib.damage():
                raise
            raise IndexUnavailable(
                f"the index at {lib.root} is damaged ({lib.damage()[0]}): "
                "run `mecp ingest` to rebuild it (`mecp check` tells what is wrong)"
            ) from exc

    return guarded


@_unavailable_when_damaged
def search(
    lib: LibraryIndex, request: SearchRequest, policy: RankingPolicy = DEFAULT
) -> SearchResult:
    """Run one search: matches, disjunctive facet counts, a page of hits, spelling.

    A generation's latest results are kept: a search repeated (by another user, the back button,
    the JSON API after the page) is answered from memory.
    """
    check_request(lib, request)
    key = (request, policy)
    found = lib.caches.results.get(key)
    if found is None:
        found = lib.caches.results.put(key, _search(lib, request, policy))
    return found  # type: ignore[no-any-return]


def _search(lib: LibraryIndex, request: SearchRequest, policy: RankingPolicy) -> SearchResult:
    """search() without the cache of results."""
    engine = lib.engine
    parsed = parse_query(request.q, lib.vocabulary, engine.analyse)
    found = engine.search(parsed, request, policy)
    fixes = _corrections(lib, parsed) if parsed.searchable else {}
    shown_for = None
    if fixes and not request.exact and not (found.total and not found.fallback):
        text = corrected(request.q, fixes)
        retry_parsed = parse_query(text, lib.vocabulary, engine.analyse)
        retry = engine.search(retry_parsed, request, policy)
        if retry.total and not retry.fallback:
            found, parsed, shown_for, fixes = retry, retry_parsed, text, {}
    return SearchResult(
        request=request,
        total=found.total,
        hits=tuple(_hit(lib, hit, parsed) for hit in found.hits),
        facets=build_facets(found.counts, request, lib.vocabulary),
        suggestion=corrected(request.q, fixes) if fixes else None,
        expansions=parsed.expansions,
        partial=found.partial,
        fallback=found.fallback,
        corrected=shown_for,
    )


def check_request(lib: LibraryIndex, request: SearchRequest) -> None:
    """Refuse unknown facet values and out-of-range paging with InvalidRequest."""
    check_selections(request, lib.vocabulary)
    if not 1 <= request.page <= MAX_PAGE:
        raise InvalidRequest(f"page must be between 1 and {MAX_PAGE}")
    if not 1 <= request.per_page <= MAX_PER_PAGE:
        raise InvalidRequest(f"per_page must be between 1 and {MAX_PER_PAGE}")


def _hit(lib: LibraryIndex, hit: EngineHit, parsed: ParsedQuery) -> SearchHit:
    """A result row; its snippet marks the words typed and their forms, and a PDF's page."""
    doc = hit.document
    summary = one_line(doc.summary, SUMMARY_CHARS)
    snippet, offset = hit.snippet, None
    if snippet is None:
        pattern, keep = parsed.marking(analysed_language(doc.language), lib.engine.analyse)
        enough = min(ENOUGH_WORDS, len(set(parsed.every_word)))
        snippet, offset = located_snippet(doc.body, pattern, summary, enough, keep)
    return SearchHit(
        id=doc.id,
        title=doc.title,
        type=doc.type,
        date=doc.date,
        year=doc.year,
        language=doc.language,
        topics=doc.topics,
        audiences=doc.audiences,
        summary=summary,
        snippet=snippet,
        score=hit.score,
        partial=hit.partial,
        format=doc.format,
        page_count=doc.page_count,
        page=page_at(doc.page_starts, offset),
    )


def _corrections(lib: LibraryIndex, parsed: ParsedQuery) -> dict[str, str]:
    """Confident corrections of the typed content words that are unknown or very rare,
    among the words of the language the query is written in."""
    engine, language = lib.engine, parsed.language
    candidates = engine.spelling_candidates(language)
    found = {}
    for word in parsed.content_words:
        fix = lib.caches.corrections.get(
            (language, word),
            lambda w=word: spelling.correction(w, engine.frequency, candidates),  # type: ignore[misc]
        )
        if fix:
            found[word] = fix
    return found


@_unavailable_when_damaged
def get_document(lib: LibraryIndex, doc_id: str, with_body: bool = False) -> Document:
    """One document's metadata (and its text, with_body); DocumentNotFound if not indexed."""
    doc = lib.engine.document(doc_id, with_body=with_body)
    if doc is None:
        raise DocumentNotFound(f"no publication with id {doc_id!r}")
    return doc


@_unavailable_when_damaged
def reading_view(lib: LibraryIndex, doc_id: str, q: str = "") -> Blocks:
    """The document's headings, paragraphs and list items as HTML-safe text (escaped), with the
    words of the search q marked as in snippets; () when its format keeps no structure (PDF)."""
    doc = get_document(lib, doc_id, with_body=True)
    parsed = parse_query(q, lib.vocabulary, lib.engine.analyse)
    pattern, keep = parsed.marking(analysed_language(doc.language), lib.engine.analyse)
    return tuple((kind, mark_all(text, pattern, keep)) for kind, text in doc.blocks)


@_unavailable_when_damaged
def translations(lib: LibraryIndex, doc: Document, limit: int = 10) -> tuple[Document, ...]:
    """The document's editions in other languages: the one it names, and those naming it."""
    found: dict[str, Document] = {}
    if doc.translation_of and doc.translation_of != doc.id:
        named = lib.engine.document(doc.translation_of)
        if named is not None:
            found[named.id] = named
    for edition in lib.engine.editions(doc, limit):
        found.setdefault(edition.id, edition)
    found.pop(doc.id, None)
    return tuple(sorted(found.values(), key=lambda d: (d.language, d.id)))[:limit]


@_unavailable_when_damaged
def related(lib: LibraryIndex, doc_id: str, limit: int = 5) -> tuple[Document, ...]:
    """Publications most like this one (its key terms and its topics)."""
    found = lib.engine.related(doc_id, limit)
    if found is None:
        raise DocumentNotFound(f"no publication with id {doc_id!r}")
    return found


__all__ = ["EngineResult", "check_request", "get_document", "reading_view", "related", "search"]
