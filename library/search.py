"""search(), get_document(), related() and translations(): the library's read side.

Takes an open LibraryIndex, returns plain models; whoosh objects never leave the searcher.
A search parses what was typed, finds full and partial matches (library.scoring), filters and
counts them, ranks a page, and says when a likelier spelling exists or was searched instead.
May import: index, schema, query, scoring, ranking, spelling, facets, snippets, caches, models,
vocab, errors, whoosh.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from whoosh.query import Or, Term

from library import spelling
from library.errors import DocumentNotFound, IndexUnavailable, InvalidRequest, LibraryError
from library.facets import FacetCache, build_cache, build_facets, filter_and_count, filtered
from library.index import LibraryIndex
from library.models import (
    MAX_PAGE,
    MAX_PER_PAGE,
    Blocks,
    Document,
    SearchHit,
    SearchRequest,
    SearchResult,
    Sort,
)
from library.pages import page_at
from library.query import ParsedQuery, analyse_word, corrected, is_content, parse_query
from library.ranking import DEFAULT, RankingPolicy
from library.schema import BODY, ID_FIELD, LANGS, TITLE, TRANSLATION_OF, from_stored, index_language
from library.scoring import Match, match, term_scores, word_terms
from library.snippets import ENOUGH_WORDS, located_snippet, mark_all
from library.text import one_line
from library.vocab import LANGUAGES

_Value = TypeVar("_Value")
_Params = ParamSpec("_Params")
RELATED_TEXT_CHARS = 20_000


def _unavailable_when_damaged(function: Callable[_Params, _Value]) -> Callable[_Params, _Value]:
    """Let an error reading a damaged generation surface as IndexUnavailable (503), not a bug.

    An engine reading a corrupt file fails in many ways; when one does, the generation's files
    are checked against their checksums (once): damage is reported as such, anything else is a
    bug and raised as it is.
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


@dataclass(frozen=True, slots=True)
class _Found:
    """One query's matches after the filters, and the facet counts."""

    parsed: ParsedQuery
    match: Match | None  # None when nothing searchable was typed (browsing)
    listed: set[int]  # the documents counted (full matches, or partial ones in a fallback)
    after: set[int]  # partial matches listed after them
    counts: list[Any]
    fallback: bool


def _search(lib: LibraryIndex, request: SearchRequest, policy: RankingPolicy) -> SearchResult:
    """search() without the cache of results."""
    cache = _facet_cache(lib)
    found = _find(lib, parse_query(request.q, lib.vocabulary), request, policy, cache)
    fixes = {} if not found.parsed.searchable else _corrections(lib, found.parsed)
    shown_for = None
    if fixes and not request.exact and not (found.listed and not found.fallback):
        retry = _find(lib, parse_query(corrected(request.q, fixes), lib.vocabulary), request,
                      policy, cache)  # fmt: skip
        if retry.listed and not retry.fallback:
            found, shown_for, fixes = retry, corrected(request.q, fixes), {}
    ranked = _page(lib, found, request, policy, cache)
    searcher = lib.searcher()
    hits = tuple(
        _hit(searcher.stored_fields(d), score, found.parsed, found.fallback or d in found.after)
        for d, score in ranked
    )
    return SearchResult(
        request=request,
        total=len(found.listed),
        hits=hits,
        facets=build_facets(found.counts, request, lib.vocabulary),
        suggestion=corrected(request.q, fixes) if fixes else None,
        expansions=found.parsed.expansions,
        partial=len(found.after),
        fallback=found.fallback,
        corrected=shown_for,
    )


def _find(
    lib: LibraryIndex,
    parsed: ParsedQuery,
    request: SearchRequest,
    policy: RankingPolicy,
    cache: FacetCache,
) -> _Found:
    """The documents a query matches, split into counted and listed-after, with facet counts."""
    if not parsed.searchable:
        listed, counts = filter_and_count(cache, cache.live, request)
        return _Found(parsed, None, listed, set(), counts, False)
    found = match(lib, parsed, policy)
    full, partial = found.full & cache.live, found.partial & cache.live
    if not policy.partial_after:
        full, partial = full | partial, set()
    fallback = not full and bool(partial)
    listed, counts = filter_and_count(cache, partial if fallback else full, request)
    after = set() if fallback else filtered(cache, partial, request)
    return _Found(parsed, found, listed, after, counts, fallback)


def check_request(lib: LibraryIndex, request: SearchRequest) -> None:
    """Refuse unknown facet values and out-of-range paging with InvalidRequest."""
    vocab = lib.vocabulary
    known = {"topic": vocab.topics, "audience": vocab.audiences, "type": vocab.types}
    for name, values in request.selections().items():
        allowed = known.get(name, LANGUAGES)
        for value in values:
            if value not in allowed:
                raise InvalidRequest(f"unknown {name} {value!r}")
    if not 1 <= request.page <= MAX_PAGE:
        raise InvalidRequest(f"page must be between 1 and {MAX_PAGE}")
    if not 1 <= request.per_page <= MAX_PER_PAGE:
        raise InvalidRequest(f"per_page must be between 1 and {MAX_PER_PAGE}")


def _facet_cache(lib: LibraryIndex) -> FacetCache:
    """The generation's facet values and sort keys, read on first use."""
    cache: FacetCache = lib.caches.once("facets", lambda: build_cache(lib.searcher().reader()))
    return cache


def _page(
    lib: LibraryIndex,
    found: _Found,
    request: SearchRequest,
    policy: RankingPolicy,
    cache: FacetCache,
) -> list[tuple[int, float | None]]:
    """(docnum, score) of the requested page: the counted documents, then the partial ones."""
    first = (request.page - 1) * request.per_page
    last = first + request.per_page
    if first >= len(found.listed) + len(found.after):
        return []
    if request.sort is Sort.RELEVANCE and found.match is not None:
        head = _ranked(lib, found, found.listed, last, policy, cache)
        tail = _ranked(lib, found, found.after, max(0, last - len(head)), policy, cache)
        ranked: list[tuple[int, float | None]] = [*head, *tail]
        return ranked[first:last]
    order = [
        *_sorted(found.listed, request.sort, cache),
        *_sorted(found.after, request.sort, cache),
    ]
    return [(d, None) for d in order[first:last]]


def _sorted(docs: Iterable[int], sort: Sort, cache: FacetCache) -> list[int]:
    """Documents by title, or by date (newest first unless oldest)."""
    if sort is Sort.TITLE:
        return sorted(docs, key=lambda d: (cache.titles[d], d))
    newest = sort is not Sort.OLDEST
    return sorted(docs, key=lambda d: (cache.dates[d], cache.titles[d]), reverse=newest)


def _ranked(
    lib: LibraryIndex,
    found: _Found,
    docs: set[int],
    limit: int,
    policy: RankingPolicy,
    cache: FacetCache,
) -> list[tuple[int, float]]:
    """The best `limit` of docs by score, documents in the query's language favoured, and
    documents of the other language reached only through a translation after the rest."""
    if not docs or limit <= 0 or found.match is None:
        return []
    scores, languages, typed = found.match.scores, cache.languages, found.match.typed
    language = _query_language(lib, found.parsed, policy)

    def score(d: int) -> float:
        same = languages.get(d) == language
        return scores.get(d, 0.0) * (policy.language_bonus if same else 1.0)

    def key(d: int) -> tuple[bool, float]:
        return (
            languages.get(d) == language or d in typed or not policy.translations_after,
            score(d),
        )

    best = heapq.nlargest(limit, sorted(docs), key=key)  # ties in document order
    return [(d, score(d)) for d in best]


def _query_language(lib: LibraryIndex, parsed: ParsedQuery, policy: RankingPolicy) -> str:
    """'es' when more typed words occur only in Spanish documents than only in English ones.

    The stop-word guess of the parser ('qué', 'de') counts as one more vote.
    """
    votes = {"en": 0, "es": 0}
    votes[parsed.language] += 1
    for word in parsed.content:
        found = {
            lang for lang, term in word_terms(word.text) if term_scores(lib, (lang, term), policy)
        }
        if len(found) == 1:
            votes[found.pop()] += 1
    return "es" if votes["es"] > votes["en"] else "en"


def _hit(
    stored: dict[str, Any], score: float | None, parsed: ParsedQuery, partial: bool
) -> SearchHit:
    """A result row with a snippet marking the words (or their stems) that matched."""
    doc = from_stored(stored, with_body=True)
    pattern, keep = parsed.marking(index_language(doc.language))
    summary = one_line(doc.summary, 300)
    enough = min(ENOUGH_WORDS, len(set(parsed.every_word)))
    snippet, offset = located_snippet(doc.body, pattern, fallback=summary, enough=enough, keep=keep)
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
        score=score,
        partial=partial,
        format=doc.format,
        page_count=doc.page_count,
        page=page_at(doc.page_starts, offset),
    )


def _corrections(lib: LibraryIndex, parsed: ParsedQuery) -> dict[str, str]:
    """Confident corrections of the typed content words that are unknown or very rare,
    among the words of the language the query is written in."""
    found = {}
    language = parsed.language
    frequency, candidates = _frequency(lib), _candidates(lib, language)
    for word in dict.fromkeys(parsed.every_word):
        if not is_content(word):
            continue
        fix = lib.caches.corrections.get(
            (language, word),
            lambda w=word: spelling.correction(w, frequency, candidates),  # type: ignore[misc]
        )
        if fix:
            found[word] = fix
    return found


def _frequency(lib: LibraryIndex) -> Callable[[str], int]:
    """How many documents hold a word (any form of it) in a title or body, in any language."""
    reader = lib.searcher().reader()

    def frequency(word: str) -> int:
        return lib.caches.frequencies.get(
            word,
            lambda: max(
                (
                    int(reader.doc_frequency(fields[lang], stem))
                    for lang in LANGS
                    for stem in analyse_word(lang, word)[:1]
                    for fields in (TITLE, BODY)
                ),
                default=0,
            ),
        )

    return frequency


def _candidates(lib: LibraryIndex, language: str) -> Callable[[str, int], Iterable[str]]:
    """The indexed words of a language (titles and bodies) within some edits of a word."""
    reader = lib.searcher().reader()
    fields = [f"spell_{TITLE[language]}", f"spell_{BODY[language]}"]

    def candidates(word: str, edits: int) -> Iterable[str]:
        for field in fields:
            yield from reader.terms_within(field, word, edits, prefix=1)

    return candidates


@_unavailable_when_damaged
def get_document(lib: LibraryIndex, doc_id: str, with_body: bool = False) -> Document:
    """One document's metadata (and its text, with_body); DocumentNotFound if not indexed."""
    stored = lib.searcher().document(**{ID_FIELD: doc_id})
    if stored is None:
        raise DocumentNotFound(f"no publication with id {doc_id!r}")
    return from_stored(stored, with_body=with_body)


@_unavailable_when_damaged
def reading_view(lib: LibraryIndex, doc_id: str, q: str = "") -> Blocks:
    """The document's headings, paragraphs and list items as HTML-safe text (escaped), with the
    words of the search q marked as in snippets; () when its format keeps no structure (PDF)."""
    stored = lib.searcher().document(**{ID_FIELD: doc_id})
    if stored is None:
        raise DocumentNotFound(f"no publication with id {doc_id!r}")
    doc = from_stored(stored, with_body=True)
    pattern, keep = parse_query(q, lib.vocabulary).marking(index_language(doc.language))
    return tuple((kind, mark_all(text, pattern, keep)) for kind, text in doc.blocks)


@_unavailable_when_damaged
def translations(lib: LibraryIndex, doc: Document, limit: int = 10) -> tuple[Document, ...]:
    """The document's editions in other languages: the one it names, and those naming it."""
    searcher = lib.searcher()
    found: dict[str, Document] = {}
    if doc.translation_of and doc.translation_of != doc.id:
        stored = searcher.document(**{ID_FIELD: doc.translation_of})
        if stored is not None:
            found[doc.translation_of] = from_stored(stored)
    for hit in searcher.search(Term(TRANSLATION_OF, doc.id), limit=limit):
        edition = from_stored(hit.fields())
        found.setdefault(edition.id, edition)
    found.pop(doc.id, None)
    return tuple(sorted(found.values(), key=lambda d: (d.language, d.id)))[:limit]


@_unavailable_when_damaged
def related(lib: LibraryIndex, doc_id: str, limit: int = 5) -> tuple[Document, ...]:
    """Publications most like this one: its key terms and its topics."""
    searcher = lib.searcher()
    docnum = searcher.document_number(**{ID_FIELD: doc_id})
    if docnum is None:
        raise DocumentNotFound(f"no publication with id {doc_id!r}")
    doc = from_stored(searcher.stored_fields(docnum), with_body=True)
    field = BODY[index_language(doc.language)]
    text = f"{doc.title}\n{doc.summary}\n{doc.body[:RELATED_TEXT_CHARS]}"
    terms = searcher.key_terms_from_text(field, text, numterms=12)
    clauses = [Term(field, term, boost=weight) for term, weight in terms]
    clauses += [Term("topic", topic, boost=0.5) for topic in doc.topics]
    if not clauses:
        return ()
    results = searcher.search(Or(clauses), limit=limit + 1, mask={docnum})
    return tuple(from_stored(hit.fields()) for hit in results[:limit])
