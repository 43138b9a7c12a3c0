"""Facet counts and filters from per-document values read once per generation (whoosh).

Counting from cached sets of document numbers is ~10x faster than whoosh's groupedby over many
hits: every operation is a set intersection done in C, whatever the result size. May import:
facets, models, whoosh.schema.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from library.facets import FACETS, NO_YEAR, FacetKind, year_range
from library.models import SearchRequest
from library.whoosh.schema import DATE_SORT, TITLE_SORT


@dataclass(frozen=True, slots=True)
class FacetCache:
    """Documents of every facet value, and sort keys, of one index generation."""

    live: frozenset[int]
    postings: dict[str, dict[str, frozenset[int]]]  # facet name -> value -> docnums
    dates: dict[int, str]
    titles: dict[int, str]
    languages: dict[int, str]


def build_cache(reader: Any) -> FacetCache:
    """Read every facet value's documents and the sort columns once."""
    live = frozenset(reader.all_doc_ids())
    postings = {
        spec.name: {
            value: frozenset(reader.postings(spec.field, value).all_ids()) & live
            for value in reader.field_terms(spec.field)
        }
        for spec in FACETS
    }
    dates = reader.column_reader(DATE_SORT)
    titles = reader.column_reader(TITLE_SORT)
    return FacetCache(
        live=live,
        postings=postings,
        dates={d: dates[d] for d in live},
        titles={d: titles[d] for d in live},
        languages={d: lang for lang, docs in postings["language"].items() for d in docs},
    )


def filter_and_count(
    cache: FacetCache, matched: frozenset[int] | set[int], request: SearchRequest
) -> tuple[set[int], dict[str, Counter[str]]]:
    """The documents passing every filter, and each facet's counts without its own filter."""
    allowed = {spec.name: _allowed(cache, spec.name, request) for spec in FACETS}
    final = set(matched)
    for docs in allowed.values():
        if docs is not None:
            final &= docs
    counts = {}
    for spec in FACETS:
        base = set(matched)
        for other, docs in allowed.items():
            if other != spec.name and docs is not None:
                base &= docs
        values = cache.postings[spec.name]
        counts[spec.name] = Counter({v: n for v, docs in values.items() if (n := len(docs & base))})
    return final, counts


def filtered(cache: FacetCache, docs: set[int], request: SearchRequest) -> set[int]:
    """The documents of docs passing every filter of the request."""
    found = set(docs)
    for spec in FACETS:
        allowed = _allowed(cache, spec.name, request)
        if allowed is not None:
            found &= allowed
    return found


def _allowed(cache: FacetCache, name: str, request: SearchRequest) -> set[int] | None:
    """Documents a facet's selection lets through, or None when nothing is selected."""
    values = cache.postings[name]
    spec = next(s for s in FACETS if s.name == name)
    if spec.kind is FacetKind.YEAR:
        bounds = year_range(request)
        if bounds is None:
            return None
        chosen: Any = [y for y in values if y != NO_YEAR and bounds[0] <= int(y) <= bounds[1]]
    else:
        chosen = request.values(name)
        if not chosen:
            return None
    return set().union(*(values.get(value, frozenset()) for value in chosen))
