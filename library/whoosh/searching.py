"""One search on the whoosh engine: match (library.whoosh.scoring), filter and count (facets),
rank and page, following the library's ranking policy.

May import: engine, facets, models, query, ranking, whoosh.facets, whoosh.scoring, whoosh.schema.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from library.engine import EngineHit, EngineResult
from library.models import SearchRequest, Sort
from library.query import ParsedQuery
from library.ranking import RankingPolicy
from library.whoosh.facets import FacetCache, build_cache, filter_and_count, filtered
from library.whoosh.schema import from_stored
from library.whoosh.scoring import Match, match, term_scores, word_terms

if TYPE_CHECKING:
    from library.whoosh.engine import WhooshEngine


@dataclass(frozen=True, slots=True)
class _Found:
    """One query's matches after the filters, and the facet counts."""

    parsed: ParsedQuery
    match: Match | None  # None when nothing searchable was typed (browsing)
    listed: set[int]  # the documents counted (full matches, or partial ones in a fallback)
    after: set[int]  # partial matches listed after them
    counts: dict[str, Counter[str]]
    fallback: bool


def search(
    engine: WhooshEngine, parsed: ParsedQuery, request: SearchRequest, policy: RankingPolicy
) -> EngineResult:
    """Matches, disjunctive facet counts and one page of ranked hits (with their text)."""
    cache = facet_cache(engine)
    found = _find(engine, parsed, request, policy, cache)
    reader = engine.searcher().reader()
    hits = tuple(
        EngineHit(
            from_stored(reader.stored_fields(d), with_body=True),
            score,
            found.fallback or d in found.after,
        )
        for d, score in _page(engine, found, request, policy, cache)
    )
    return EngineResult(len(found.listed), len(found.after), found.fallback, hits, found.counts)


def facet_cache(engine: WhooshEngine) -> FacetCache:
    """The generation's facet values and sort keys, read on first use."""
    cache: FacetCache = engine.caches.once(
        "facets", lambda: build_cache(engine.searcher().reader())
    )
    return cache


def _find(
    engine: WhooshEngine,
    parsed: ParsedQuery,
    request: SearchRequest,
    policy: RankingPolicy,
    cache: FacetCache,
) -> _Found:
    """The documents a query matches, split into counted and listed-after, with facet counts."""
    if not parsed.searchable:
        listed, counts = filter_and_count(cache, cache.live, request)
        return _Found(parsed, None, listed, set(), counts, False)
    found = match(engine, parsed, policy)
    full, partial = found.full & cache.live, found.partial & cache.live
    if not policy.partial_after:
        full, partial = full | partial, set()
    fallback = not full and bool(partial)
    listed, counts = filter_and_count(cache, partial if fallback else full, request)
    after = set() if fallback else filtered(cache, partial, request)
    return _Found(parsed, found, listed, after, counts, fallback)


def _page(
    engine: WhooshEngine,
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
        head = _ranked(engine, found, found.listed, last, policy, cache)
        tail = _ranked(engine, found, found.after, max(0, last - len(head)), policy, cache)
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
    engine: WhooshEngine,
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
    language = _query_language(engine, found.parsed, policy)

    def score(d: int) -> float:
        same = languages.get(d) == language
        return scores.get(d, 0.0) * (policy.language_bonus if same else 1.0)

    def key(d: int) -> tuple[bool, float]:
        first = languages.get(d) == language or d in typed or not policy.translations_after
        return first, score(d)

    best = heapq.nlargest(limit, sorted(docs), key=key)  # ties in document order
    return [(d, score(d)) for d in best]


def _query_language(engine: WhooshEngine, parsed: ParsedQuery, policy: RankingPolicy) -> str:
    """'es' when more typed words occur only in Spanish documents than only in English ones.

    The stop-word guess of the parser ('qué', 'de') counts as one more vote.
    """
    votes = {"en": 0, "es": 0}
    votes[parsed.language] += 1
    for word in parsed.content:
        found = {
            lang for lang, t in word_terms(word.text) if term_scores(engine, (lang, t), policy)
        }
        if len(found) == 1:
            votes[found.pop()] += 1
    return "es" if votes["es"] > votes["en"] else "en"
