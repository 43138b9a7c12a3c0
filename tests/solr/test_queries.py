"""The configset at work on a real 2x2 collection: edismax and mm, the vocabulary's synonyms,
Spanish analysis, disjunctive facets, highlighting, spelling, sorting, and documents round-tripped."""

from __future__ import annotations

from typing import Any

import pytest

from library.solr.client import Params, SolrClient
from library.solr.fields import BODY, STORED, TOPIC_MATCH, from_solr
from tests.solr.conftest import DOCUMENTS


@pytest.fixture(scope="module")
def select(solr_client: SolrClient, collection: str) -> Any:
    """Run a search on the collection; return Solr's JSON answer."""

    def run(params: Params) -> Any:
        return solr_client.get(f"{collection}/select", params)

    return run


def _found(select: Any, q: str, **params: str) -> list[str]:
    """The ids a query finds, best first."""
    answer = select({"q": q, "rows": 20, **params})
    return [d["id"] for d in answer["response"]["docs"]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("no waiting period", ["guides/first-hours"]),
        ("runaway zebra", []),  # two words: both must match
        ("runaway youth zebra", ["newsletters/spring-2011"]),  # three: one may be missing
        ("abduction response investigators zebra", ["reports/response-teams"]),
    ],
)
def test_edismax_with_mm_requires_most_of_the_words(
    select: Any, q: str, expected: list[str]
) -> None:
    assert _found(select, q) == expected


def test_mm_can_be_set_per_request(select: Any) -> None:
    assert _found(select, "runaway youth zebra", mm="100%") == []
    assert _found(select, "runaway zebra", mm="1") == ["newsletters/spring-2011"]


def test_titles_count_more_than_bodies(select: Any) -> None:
    found = _found(select, "sextortion trusted adult", mm="1")
    assert found[0] == "fact-sheets/sextortion"


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("kidnapping", "reports/response-teams"),  # an equivalent: the text says "abduction"
        ("CART", "reports/response-teams"),  # an acronym: the text has the long form
        ("children's advocacy center", "training/interview-course"),  # and back: it says "CAC"
        ("kidnappers abroad", None),  # no equivalent of either word is in any text
    ],
)
def test_the_vocabularys_equivalents_and_acronyms_are_searched(
    select: Any, q: str, expected: str | None
) -> None:
    assert _found(select, q) == ([expected] if expected else [])


def test_a_topics_label_or_synonym_finds_the_documents_tagged_with_it(select: Any) -> None:
    assert _found(select, "secuestro", qf=TOPIC_MATCH) == ["reports/response-teams"]
    assert _found(select, "Sustracción de menores", qf=TOPIC_MATCH) == ["reports/response-teams"]
    found = _found(select, "amber alerts for runaway teens", qf=TOPIC_MATCH, mm="1")
    assert found == ["newsletters/spring-2011"]
    # a one-word id names its topic too; "amber" alone is not the AMBER Alert topic's name
    assert _found(select, "abduction", qf=TOPIC_MATCH) == ["reports/response-teams"]
    assert _found(select, "amber", qf=TOPIC_MATCH) == []


@pytest.mark.parametrize(
    "q",
    [
        "regresar",  # Spanish stemming: "regresa" in the text
        "confusion",  # accents are optional: "confusión"
        "niños miedo",
        "ninos",
        "NIÑO",  # and an equivalent ("niño, child") does not stop the Spanish form matching
    ],
)
def test_spanish_is_stemmed_and_accents_are_optional(select: Any, q: str) -> None:
    assert "families/guia-regreso" in _found(select, q)


def test_facets_exclude_their_own_filter_for_disjunctive_counts(select: Any) -> None:
    answer = select(
        [
            ("q", "*:*"),
            ("defType", "lucene"),
            ("fq", "{!tag=type}type:guide"),
            ("facet", "true"),
            ("facet.field", "{!ex=type}type"),
            ("facet.field", "{!ex=audience}audience"),
            ("facet.field", "{!ex=language}language"),
        ]
    )
    counts = {
        name: dict(zip(values[::2], values[1::2], strict=True))
        for name, values in answer["facet_counts"]["facet_fields"].items()
    }
    assert answer["response"]["numFound"] == 2
    # type counts ignore the type filter: ticking another type widens the results by its count
    assert counts["type"] == {
        "guide": 2,
        "report": 1,
        "fact-sheet": 1,
        "newsletter": 1,
        "training": 1,
    }
    # the other facets count within the filtered results
    assert counts["audience"] == {"families": 2}
    assert counts["language"] == {"en": 1, "es": 1}


def test_snippets_mark_the_matches_and_escape_the_text(select: Any) -> None:
    answer = select({"q": "investigators together", "hl": "true"})
    snippet = answer["highlighting"]["reports/response-teams"][BODY["en"]][0]
    assert "<mark>investigators</mark> <mark>together</mark>" in snippet
    # the text's own tags are text
    assert "&lt;b&gt;<mark>together</mark>&lt;&#x2F;b&gt;" in snippet
    assert "&amp; better" in snippet


def test_snippets_mark_the_spanish_word_as_written(select: Any) -> None:
    answer = select({"q": "ninos", "hl": "true"})
    snippet = answer["highlighting"]["families/guia-regreso"][BODY["es"]][0]
    assert "<mark>niños</mark>" in snippet


def test_a_misspelt_query_gets_a_corrected_one(select: Any) -> None:
    answer = select({"q": "abducton investigatrs", "spellcheck": "true"})
    assert answer["spellcheck"]["collations"][1] == "abduction investigators"


def test_titles_sort_by_their_letters_ignoring_case(select: Any) -> None:
    found = _found(select, "*:*", defType="lucene", sort="title_sort asc")
    titles = {d.id: d.title for d in DOCUMENTS}
    assert [titles[i] for i in found] == sorted(titles.values(), key=str.casefold)


def test_newest_first_puts_undated_documents_last(select: Any) -> None:
    found = _found(select, "*:*", defType="lucene", sort="date_sort desc")
    assert found[0] == "fact-sheets/sextortion"
    assert found[-1] == "training/interview-course"


def test_a_document_comes_back_from_its_stored_fields(select: Any) -> None:
    fl = ",".join((*STORED, *BODY.values()))
    answer = select({"q": "*:*", "defType": "lucene", "fl": fl, "rows": 20})
    back = {d["id"]: from_solr(d) for d in answer["response"]["docs"]}
    assert back == {d.id: d for d in DOCUMENTS}


def test_a_users_words_cannot_reach_other_fields_or_parsers(select: Any) -> None:
    assert _found(select, "language:es") == []  # as a field query it would find a guide
    assert _found(select, "{!lucene}*:*") == []
    assert _found(select, "type:guide runaway", mm="1") == ["newsletters/spring-2011"]
