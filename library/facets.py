"""Facet counts from per-document values cached once per index generation.

Disjunctive faceting: values of one facet are OR-ed, facets are AND-ed, and each facet is counted
with every other facet's selection applied but not its own. Counting from cached values is ~10x
faster than whoosh's groupedby over many hits. May import: models, schema, vocab.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from library.models import Facet, FacetValue, SearchRequest
from library.schema import DATE_SORT, FACETS, NO_YEAR, TITLE_SORT
from library.vocab import LANGUAGES, Vocabulary

NAMES = tuple(FACETS)  # topic, audience, type, year, language
_KIND = {"topic": "topics", "audience": "audiences", "type": "types"}


@dataclass(frozen=True, slots=True)
class FacetCache:
    """Documents of every facet value, and sort keys, of one index generation."""

    live: frozenset[int]
    postings: tuple[dict[str, frozenset[int]], ...]  # per facet (NAMES order): value -> docnums
    dates: dict[int, str]
    titles: dict[int, str]
    languages: dict[int, str]


def build_cache(reader: Any) -> FacetCache:
    """Read every facet value's documents and the sort columns once."""
    live = frozenset(reader.all_doc_ids())
    postings = tuple(
        {
            value: frozenset(reader.postings(FACETS[name][0], value).all_ids()) & live
            for value in reader.field_terms(FACETS[name][0])
        }
        for name in NAMES
    )
    dates = reader.column_reader(DATE_SORT)
    titles = reader.column_reader(TITLE_SORT)
    language = postings[NAMES.index("language")]
    return FacetCache(
        live=live,
        postings=postings,
        dates={d: dates[d] for d in live},
        titles={d: titles[d] for d in live},
        languages={d: lang for lang, docs in language.items() for d in docs},
    )


def filter_and_count(
    cache: FacetCache, matched: frozenset[int] | set[int], request: SearchRequest
) -> tuple[set[int], list[Counter[str]]]:
    """The documents passing every filter, and each facet's counts without its own filter.

    Set operations on cached document sets: the work is done in C, whatever the result size.
    """
    allowed = [_allowed(cache, position, name, request) for position, name in enumerate(NAMES)]
    final = set(matched)
    for docs in allowed:
        if docs is not None:
            final &= docs
    counts = []
    for position in range(len(NAMES)):
        base = set(matched)
        for other, docs in enumerate(allowed):
            if other != position and docs is not None:
                base &= docs
        values = cache.postings[position]
        counter = Counter({v: n for v, docs in values.items() if (n := len(docs & base))})
        counts.append(counter)
    return final, counts


def filtered(cache: FacetCache, docs: set[int], request: SearchRequest) -> set[int]:
    """The documents of docs passing every filter of the request."""
    found = set(docs)
    for position, name in enumerate(NAMES):
        allowed = _allowed(cache, position, name, request)
        if allowed is not None:
            found &= allowed
    return found


def _allowed(
    cache: FacetCache, position: int, name: str, request: SearchRequest
) -> set[int] | None:
    """Documents a facet's selection lets through, or None when nothing is selected."""
    values = cache.postings[position]
    if name == "year":
        if not request.year_bounded:
            return None
        low = request.year_min if request.year_min is not None else 0
        high = request.year_max if request.year_max is not None else 9999
        chosen: Any = [y for y in values if y != NO_YEAR and low <= int(y) <= high]
    else:
        chosen = request.selections()[name]
        if not chosen:
            return None
    return set().union(*(values.get(value, frozenset()) for value in chosen))


def build_facets(
    counts: list[Counter[str]], request: SearchRequest, vocabulary: Vocabulary
) -> tuple[Facet, ...]:
    """Facet objects with labels, counts and selection state, in display order."""
    selections = request.selections()
    facets = []
    for position, name in enumerate(NAMES):
        counter = counts[position]
        chosen = set(selections.get(name, ()))
        for value in chosen:
            counter.setdefault(value, 0)
        if name == "year":
            ordered = sorted(counter, reverse=True)
            chosen = {y for y in counter if y != NO_YEAR and _in_range(int(y), request)}
        else:
            ordered = sorted(counter, key=_order(name, vocabulary))
        values = tuple(
            FacetValue(v, _label(name, v, vocabulary), counter[v], v in chosen) for v in ordered
        )
        facets.append(Facet(name, FACETS[name][1], values))
    return tuple(facets)


def _order(name: str, vocabulary: Vocabulary) -> Callable[[str], tuple[int, str]]:
    """Sort key of a facet's values: vocabulary order (languages: LANGUAGES order), unknown last.

    The order never depends on the counts, so a value stays where it was as boxes are ticked.
    """
    known = list(vocabulary.kind(_KIND[name])) if name in _KIND else list(LANGUAGES)
    rank = {value: position for position, value in enumerate(known)}
    return lambda value: (rank.get(value, len(rank)), value)


def _in_range(year: int, request: SearchRequest) -> bool:
    """True when a bounded request's range holds year."""
    if not request.year_bounded:
        return False
    low = request.year_min if request.year_min is not None else year
    high = request.year_max if request.year_max is not None else year
    return low <= year <= high


def _label(name: str, value: str, vocabulary: Vocabulary) -> str:
    """Display label of a facet value."""
    if name in _KIND:
        return vocabulary.label(_KIND[name], value)
    if name == "language":
        return LANGUAGES.get(value, value)
    return "Undated" if value == NO_YEAR else value
