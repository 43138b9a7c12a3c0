"""Facet counts from per-document values cached once per index generation.

Disjunctive faceting: values of one facet are OR-ed, facets are AND-ed, and each facet is counted
with every other facet's selection applied but not its own. Counting from cached values is ~10x
faster than whoosh's groupedby over many hits. May import: models, schema, vocab.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from library.models import Facet, FacetValue, SearchRequest
from library.schema import DATE_SORT, FACETS, NO_YEAR, TITLE_SORT
from library.vocab import LANGUAGES, Vocabulary

NAMES = tuple(FACETS)  # topic, audience, type, year, language
_KIND = {"topic": "topics", "audience": "audiences", "type": "types"}


@dataclass(frozen=True, slots=True)
class FacetCache:
    """Per-document facet values and sort keys of one index generation."""

    live: frozenset[int]
    values: dict[int, tuple[tuple[str, ...], ...]]  # docnum -> values per facet, in NAMES order
    dates: dict[int, str]
    titles: dict[int, str]


def build_cache(reader: Any) -> FacetCache:
    """Read every facet's postings and the sort columns once."""
    live = frozenset(reader.all_doc_ids())
    per_doc: dict[int, list[list[str]]] = {d: [[] for _ in NAMES] for d in live}
    for position, name in enumerate(NAMES):
        field = FACETS[name][0]
        for value in reader.field_terms(field):
            for docnum in reader.postings(field, value).all_ids():
                if docnum in per_doc:
                    per_doc[docnum][position].append(value)
    dates = reader.column_reader(DATE_SORT)
    titles = reader.column_reader(TITLE_SORT)
    return FacetCache(
        live=live,
        values={d: tuple(tuple(v) for v in lists) for d, lists in per_doc.items()},
        dates={d: dates[d] for d in live},
        titles={d: titles[d] for d in live},
    )


def filter_and_count(
    cache: FacetCache, matched: frozenset[int] | set[int], request: SearchRequest
) -> tuple[set[int], list[Counter[str]]]:
    """The documents passing every filter, and each facet's counts without its own filter."""
    selections = request.selections()
    tests = []
    for position, name in enumerate(NAMES):
        if name == "year":
            if request.year_bounded:
                tests.append((position, _year_test(request.year_min, request.year_max)))
        elif selections[name]:
            chosen = frozenset(selections[name])
            tests.append((position, chosen.isdisjoint))
    counts: list[Counter[str]] = [Counter() for _ in NAMES]
    final: set[int] = set()
    values = cache.values
    for docnum in matched:
        doc = values[docnum]
        failed = [position for position, rejects in tests if rejects(doc[position])]
        if not failed:
            final.add(docnum)
            for position, facet_values in enumerate(doc):
                counts[position].update(facet_values)
        elif len(failed) == 1:
            counts[failed[0]].update(doc[failed[0]])
    return final, counts


def _year_test(low: int | None, high: int | None):  # type: ignore[no-untyped-def]
    """A function telling whether a document's year values fall outside [low, high]."""
    low_s = f"{low:04d}" if low is not None else "0000"
    high_s = f"{high:04d}" if high is not None else "9999"

    def outside(years: tuple[str, ...]) -> bool:
        return not any(y != NO_YEAR and low_s <= y <= high_s for y in years)

    return outside


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
            ordered = sorted(counter, key=lambda v: (-counter[v], _label(name, v, vocabulary)))
        values = tuple(
            FacetValue(v, _label(name, v, vocabulary), counter[v], v in chosen) for v in ordered
        )
        facets.append(Facet(name, FACETS[name][1], values))
    return tuple(facets)


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
