"""The facet table and what is built from it: selections, checks, ordering, labels, years."""

from __future__ import annotations

from collections import Counter

import pytest

from library.errors import InvalidRequest
from library.facets import (
    BY_NAME,
    FACETS,
    NO_YEAR,
    VALUE_FACETS,
    FacetKind,
    build_facets,
    check_selections,
    selected,
    year_range,
)
from library.models import Document, SearchRequest
from library.vocab import Vocabulary, load_vocabulary
from tests.conftest import VOCABULARY


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary(VOCABULARY)


def test_every_facet_names_a_document_attribute_and_a_known_vocabulary(
    vocabulary: Vocabulary,
) -> None:
    doc = Document(id="x", title="x", path="x.txt", format="txt")
    for spec in FACETS:
        assert hasattr(doc, spec.attribute), spec
        if spec.kind is FacetKind.VOCABULARY:
            assert vocabulary.kind(spec.vocabulary), spec
    assert [s.name for s in VALUE_FACETS] == [
        s.name for s in FACETS if s.kind is not FacetKind.YEAR
    ]


def test_selected_keeps_table_order_drops_empty_and_refuses_what_is_not_a_value_facet() -> None:
    assert selected(type=["guide"], topic=("abduction",), audience=[]) == (
        ("topic", ("abduction",)),
        ("type", ("guide",)),
    )
    with pytest.raises(ValueError, match="year"):
        selected(year=["2020"])
    with pytest.raises(ValueError, match="series"):
        selected(series=["webinars"])


def test_check_selections_refuses_unknown_values_and_facets(vocabulary: Vocabulary) -> None:
    check_selections(
        SearchRequest(facets=selected(topic=["abduction"], language=["es"])), vocabulary
    )
    with pytest.raises(InvalidRequest, match="unknown topic 'nope'"):
        check_selections(SearchRequest(facets=selected(topic=["nope"])), vocabulary)
    with pytest.raises(InvalidRequest, match="unknown language 'fr'"):
        check_selections(SearchRequest(facets=selected(language=["fr"])), vocabulary)
    with pytest.raises(InvalidRequest, match="unknown facet 'year'"):
        check_selections(SearchRequest(facets=(("year", ("2020",)),)), vocabulary)


def test_values_of_a_document_per_kind_of_facet() -> None:
    assert BY_NAME["topic"].values_of(("a", "b")) == ("a", "b")
    assert BY_NAME["type"].values_of("guide") == ("guide",)
    assert BY_NAME["type"].values_of("") == ()
    assert BY_NAME["year"].values_of(2019) == ("2019",)
    assert BY_NAME["year"].values_of(None) == (NO_YEAR,)


def test_build_facets_orders_by_vocabulary_never_by_count_and_keeps_a_selection_at_zero(
    vocabulary: Vocabulary,
) -> None:
    topics = list(vocabulary.kind("topics"))
    first, second, third = topics[0], topics[1], topics[2]
    counts = {"topic": Counter({third: 9, first: 1}), "language": Counter({"es": 2, "en": 5})}
    request = SearchRequest(facets=selected(topic=[second]))
    facets = {f.name: f for f in build_facets(counts, request, vocabulary)}
    assert [f.name for f in build_facets(counts, request, vocabulary)] == [s.name for s in FACETS]
    topic = facets["topic"]
    assert [(v.value, v.count, v.selected) for v in topic.values] == [
        (first, 1, False), (second, 0, True), (third, 9, False)
    ]  # fmt: skip
    assert topic.values[0].label == vocabulary.label("topics", first)
    assert [v.value for v in facets["language"].values] == ["en", "es"]
    assert facets["type"].values == ()


def test_years_are_newest_first_undated_last_and_selected_when_inside_the_range(
    vocabulary: Vocabulary,
) -> None:
    counts = {"year": Counter({"2011": 1, "2019": 2, "2023": 1, NO_YEAR: 3})}
    request = SearchRequest(year_min=2015)
    assert year_range(request) == (2015, 9999)
    assert year_range(SearchRequest()) is None
    (year,) = [f for f in build_facets(counts, request, vocabulary) if f.name == "year"]
    assert [(v.value, v.selected) for v in year.values] == [
        ("2023", True), ("2019", True), ("2011", False), (NO_YEAR, False)
    ]  # fmt: skip
    assert year.values[-1].label == "Undated"
