"""The facets, declared once as data, and the facet objects a search result carries.

Every part that deals with facets reads FACETS: the index schema (each engine's fields), the
SearchRequest selections, the URL parameters, the request checks, the command line's options,
the counting and the templates. Adding a facet (a `series` of newsletters or webinars, say) is one
FacetSpec here, its terms in the vocabulary and the Document attribute its values come from.
Faceting is disjunctive: values of one facet are OR-ed, facets are AND-ed, and each facet is
counted with every other facet's selection applied but not its own. May import: models, vocab,
errors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from library.errors import InvalidRequest
from library.models import Facet, FacetValue, SearchRequest
from library.vocab import LANGUAGES, Vocabulary

NO_YEAR = "none"  # the year facet's value for undated publications


class FacetKind(StrEnum):
    """Where a facet's values come from."""

    VOCABULARY = "vocabulary"  # ids of one vocabulary kind (topics, audiences, types)
    YEAR = "year"  # the publication year, filtered as a range
    LANGUAGE = "language"  # the language codes of vocab.LANGUAGES


@dataclass(frozen=True, slots=True)
class FacetSpec:
    """One facet: its URL parameter and API key (name), index field, label and values."""

    name: str  # the URL parameter, the API key and the facet's name everywhere
    field: str  # the index field holding its values
    label: str  # the English label (the web app translates it)
    kind: FacetKind
    attribute: str  # the Document attribute its values come from
    vocabulary: str = ""  # the vocabulary kind, for a vocabulary facet
    multi: bool = False  # a document may have several values

    def values_of(self, doc_attribute: object) -> tuple[str, ...]:
        """A document's values of this facet, from its attribute (a tuple, a string or a year)."""
        if isinstance(doc_attribute, tuple):
            return doc_attribute
        if self.kind is FacetKind.YEAR:
            return (str(doc_attribute) if doc_attribute else NO_YEAR,)
        return (str(doc_attribute),) if doc_attribute else ()


FACETS: tuple[FacetSpec, ...] = (  # in display order
    FacetSpec("topic", "topic", "Topic", FacetKind.VOCABULARY, "topics", "topics", multi=True),
    FacetSpec("audience", "audience", "Audience", FacetKind.VOCABULARY, "audiences", "audiences",
              multi=True),
    FacetSpec("type", "type", "Type", FacetKind.VOCABULARY, "type", "types"),
    FacetSpec("year", "year", "Year", FacetKind.YEAR, "year"),
    FacetSpec("language", "language", "Language", FacetKind.LANGUAGE, "language"),
)  # fmt: skip
BY_NAME: dict[str, FacetSpec] = {spec.name: spec for spec in FACETS}
VALUE_FACETS = tuple(spec for spec in FACETS if spec.kind is not FacetKind.YEAR)  # picked by value


def selected(**values: tuple[str, ...] | list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A SearchRequest's facets field from values by facet name (table order, empty dropped)."""
    unknown = set(values) - {spec.name for spec in VALUE_FACETS}
    if unknown:
        raise ValueError(f"not facets one picks values of: {', '.join(sorted(unknown))}")
    return tuple(
        (spec.name, tuple(values[spec.name])) for spec in VALUE_FACETS if values.get(spec.name)
    )


def check_selections(request: SearchRequest, vocabulary: Vocabulary) -> None:
    """Refuse a selected value no facet knows with InvalidRequest."""
    for name, chosen in request.facets:
        spec = BY_NAME.get(name)
        if spec is None or spec.kind is FacetKind.YEAR:
            raise InvalidRequest(f"unknown facet {name!r}")
        allowed = allowed_values(spec, vocabulary)
        for value in chosen:
            if value not in allowed:
                raise InvalidRequest(f"unknown {name} {value!r}")


def allowed_values(spec: FacetSpec, vocabulary: Vocabulary) -> Mapping[str, object]:
    """The values a value facet may take (ids of its vocabulary kind, or the languages)."""
    return vocabulary.kind(spec.vocabulary) if spec.vocabulary else LANGUAGES


def year_range(request: SearchRequest) -> tuple[int, int] | None:
    """The year filter's bounds (open ends widened), or None when there is no year filter."""
    if not request.year_bounded:
        return None
    low = request.year_min if request.year_min is not None else 0
    high = request.year_max if request.year_max is not None else 9999
    return low, high


def build_facets(
    counts: Mapping[str, Counter[str]], request: SearchRequest, vocabulary: Vocabulary
) -> tuple[Facet, ...]:
    """Facet objects with labels, counts and selection state, in display order."""
    selections = request.selections()
    facets = []
    for spec in FACETS:
        counter = Counter(counts.get(spec.name, Counter()))
        chosen = set(selections.get(spec.name, ()))
        for value in chosen:
            counter.setdefault(value, 0)
        if spec.kind is FacetKind.YEAR:
            ordered = sorted(counter, key=lambda y: (y == NO_YEAR, -int(y) if y.isdigit() else 0))
            chosen = {y for y in counter if y != NO_YEAR and _in_range(int(y), request)}
        else:
            ordered = sorted(counter, key=_order(spec, vocabulary))
        values = tuple(
            FacetValue(v, _label(spec, v, vocabulary), counter[v], v in chosen) for v in ordered
        )
        facets.append(Facet(spec.name, spec.label, values))
    return tuple(facets)


def _order(spec: FacetSpec, vocabulary: Vocabulary) -> Callable[[str], tuple[int, str]]:
    """Sort key of a facet's values: vocabulary order (languages: LANGUAGES order), unknown last.

    The order never depends on the counts, so a value stays where it was as boxes are ticked.
    """
    rank = {value: position for position, value in enumerate(allowed_values(spec, vocabulary))}
    return lambda value: (rank.get(value, len(rank)), value)


def _in_range(year: int, request: SearchRequest) -> bool:
    """True when a bounded request's range holds year."""
    bounds = year_range(request)
    return bounds is not None and bounds[0] <= year <= bounds[1]


def _label(spec: FacetSpec, value: str, vocabulary: Vocabulary) -> str:
    """Display label of a facet value."""
    if spec.vocabulary:
        return vocabulary.label(spec.vocabulary, value)
    if spec.kind is FacetKind.LANGUAGE:
        return LANGUAGES.get(value, value)
    return "Undated" if value == NO_YEAR else value
