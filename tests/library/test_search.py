"""The query layer on a real index built through the production ingest path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from library import caches
from library.errors import DocumentNotFound, InvalidRequest
from library.facets import selected
from library.index import LibraryIndex, open_index
from library.models import SearchRequest, Sort
from library.search import get_document, related, search


def _ids(lib: LibraryIndex, **kwargs: object) -> list[str]:
    """Ids of the first page of a search."""
    return [hit.id for hit in search(lib, SearchRequest(**kwargs)).hits]  # type: ignore[arg-type]


def test_an_empty_query_browses_everything_newest_first(lib: LibraryIndex) -> None:
    """No words: all seven documents, by date descending."""
    result = search(lib, SearchRequest(sort=Sort.NEWEST))
    assert result.total == 7
    dates = [hit.date for hit in result.hits]
    assert dates == sorted(dates, reverse=True)


def test_natural_language_questions_match_with_or_grouping(lib: LibraryIndex) -> None:
    """A whole question finds the guide even though no document has every word."""
    assert (
        _ids(lib, q="what should I do in the first hours if my child is missing")[0]
        == "guides/first-hours"
    )


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("kidnapping", "reports/cart-report"),  # equivalent of abduction
        ("CART", "reports/cart-report"),  # acronym
        ("child advocacy center training", "training/forensic-interviewing-course"),
        ("reunificacion", "families/guia-regreso"),  # accents optional
        ("niños miedo", "families/guia-regreso"),  # Spanish stemming
        ("sextortion", "fact-sheets/sextortion"),
    ],
)
def test_synonyms_acronyms_accents_and_spanish_find_the_right_document(
    lib: LibraryIndex, q: str, expected: str
) -> None:
    """The best answer ranks first."""
    assert _ids(lib, q=q)[0] == expected


def test_a_quoted_phrase_must_match_as_a_phrase(lib: LibraryIndex) -> None:
    """'"no waiting period"' fully matches the guide only; the words apart are a partial match,
    listed as such."""
    phrase = search(lib, SearchRequest(q='"no waiting period"'))
    assert [(h.id, h.partial) for h in phrase.hits] == [("guides/first-hours", False)]
    apart = search(lib, SearchRequest(q='"period waiting"'))
    assert apart.fallback
    assert [(h.id, h.partial) for h in apart.hits] == [("guides/first-hours", True)]


@pytest.mark.parametrize(
    "q",
    [
        'title:(foo OR "',
        "*",
        "?",
        "body:sextortion",
        "[]{}()^~",
        "AND OR NOT",
        "\x00\x01",
        '"',
        "a" * 5000,
    ],
)
def test_query_syntax_the_user_did_not_mean_never_breaks_a_search(
    lib: LibraryIndex, q: str
) -> None:
    """Colons, brackets, wildcards and operators are punctuation; fields are unreachable: the
    query finds exactly what its words alone find, in the same order."""
    plain = re.sub(r"[^\w\s]|[\x00-\x1f]", " ", q)
    assert _ids(lib, q=q, per_page=100) == _ids(lib, q=plain, per_page=100)
    assert search(lib, SearchRequest(q=q)).total == search(lib, SearchRequest(q=plain)).total


def test_a_field_prefix_does_not_restrict_the_search_to_that_field(lib: LibraryIndex) -> None:
    """'body:sextortion' is the word sextortion, not a fielded query."""
    assert _ids(lib, q="body:sextortion")[0] == "fact-sheets/sextortion"


def test_a_query_matching_nothing_is_corrected_and_says_so(lib: LibraryIndex) -> None:
    """'abducton' is unknown and nothing holds both words: the results are those of
    'abduction response', and the result says so; exact=True searches what was typed."""
    result = search(lib, SearchRequest(q="abducton response"))
    assert result.corrected == "abduction response"
    assert result.suggestion is None
    assert result.hits[0].id == "reports/cart-report"
    exact = search(lib, SearchRequest(q="abducton response", exact=True))
    assert exact.corrected is None
    assert exact.fallback
    assert exact.suggestion == "abduction response"


def test_results_of_what_was_typed_come_with_a_did_you_mean(lib: LibraryIndex) -> None:
    """Every typed word but the misspelt one matches: their results, and a link to the fix."""
    result = search(lib, SearchRequest(q="forensic interviewing coures training children"))
    assert result.corrected is None
    assert result.total
    assert result.suggestion == "forensic interviewing course training children"


@pytest.mark.parametrize("q", ["xqzvbn", "blorp", "zzzzzz missing"])
def test_nonsense_gets_no_lookalike_correction(lib: LibraryIndex, q: str) -> None:
    result = search(lib, SearchRequest(q=q))
    assert result.corrected is None
    assert result.suggestion is None


def test_known_words_get_no_suggestion(lib: LibraryIndex) -> None:
    """Stop words and indexed words are left alone."""
    assert search(lib, SearchRequest(q="what to do when a child is missing")).suggestion is None


def test_snippets_are_escaped_with_matches_marked(lib: LibraryIndex) -> None:
    """'&' in the text arrives as '&amp;'; query words are wrapped in <mark>."""
    hits = search(lib, SearchRequest(q="exploited children")).hits
    hit = next(h for h in hits if h.id == "guides/first-hours")
    assert "<mark>Exploited</mark>" in hit.snippet
    assert "&amp;" in hit.snippet
    assert "<script" not in hit.snippet


def test_facet_counts_cover_all_matches_not_just_the_page(lib: LibraryIndex) -> None:
    """With one result per page, counts still add up over every match."""
    result = search(lib, SearchRequest(per_page=1))
    assert len(result.hits) == 1
    typed = [h for h in search(lib, SearchRequest(per_page=100)).hits if h.type]
    assert sum(v.count for v in result.facet("type").values) == len(typed)
    assert sum(v.count for v in result.facet("language").values) == 7


def test_facets_are_disjunctive_within_a_facet_and_conjunctive_across_facets(
    lib: LibraryIndex,
) -> None:
    """Selecting a topic leaves the topic counts as they were and narrows the others."""
    everything = search(lib, SearchRequest())
    picked = search(lib, SearchRequest(facets=selected(topic=("exploitation",))))
    both = search(lib, SearchRequest(facets=selected(topic=("exploitation", "tribal"))))
    assert picked.total == 1
    assert both.total == 2
    counts = {v.value: v.count for v in picked.facet("topic").values}
    assert counts == {v.value: v.count for v in everything.facet("topic").values}
    assert [v.value for v in picked.facet("audience").values if v.count] == ["youth"]
    assert next(v for v in picked.facet("topic").values if v.value == "exploitation").selected
    narrowed = search(
        lib, SearchRequest(facets=selected(topic=("exploitation", "tribal"), audience=("youth",)))
    )
    assert [h.id for h in narrowed.hits] == ["fact-sheets/sextortion"]


def test_facet_counts_equal_a_brute_force_count_over_documents(lib: LibraryIndex) -> None:
    """Cross-check the cached counting against a direct count from stored metadata."""
    request = SearchRequest(year_min=2015, facets=selected(audience=("families",)))
    result = search(lib, request)
    docs = [get_document(lib, h.id) for h in search(lib, SearchRequest(per_page=100)).hits]
    expected: dict[str, int] = {}
    for doc in docs:
        if (doc.year or 0) >= 2015:  # every facet but audience applies to audience counts
            for audience in doc.audiences:
                expected[audience] = expected.get(audience, 0) + 1
    assert {v.value: v.count for v in result.facet("audience").values if v.count} == expected
    assert result.total == sum(
        1 for d in docs if "families" in d.audiences and (d.year or 0) >= 2015
    )


def test_year_range_filters_results_and_marks_the_years_selected(lib: LibraryIndex) -> None:
    """year_min/year_max bound the results; year counts ignore the range itself."""
    result = search(lib, SearchRequest(year_min=2019, year_max=2019))
    assert {h.year for h in result.hits} == {2019}
    years = {v.value: v.selected for v in result.facet("year").values}
    assert years["2019"] is True
    assert years["2011"] is False


@pytest.mark.parametrize("sort", [Sort.NEWEST, Sort.OLDEST, Sort.TITLE])
def test_sorting_orders_all_results(lib: LibraryIndex, sort: Sort) -> None:
    """Newest, oldest and title order, over the whole result set."""
    hits = search(lib, SearchRequest(q="child", sort=sort, per_page=100)).hits
    keys = [h.title.casefold() if sort is Sort.TITLE else h.date for h in hits]
    assert keys == sorted(keys, reverse=sort is Sort.NEWEST)


def test_pages_partition_the_results(lib: LibraryIndex) -> None:
    """Page 1 and page 2 of size 3 don't overlap; a page past the end is empty."""
    first = _ids(lib, sort=Sort.TITLE, per_page=3, page=1)
    second = _ids(lib, sort=Sort.TITLE, per_page=3, page=2)
    assert len(first) == 3
    assert not set(first) & set(second)
    assert _ids(lib, per_page=3, page=9) == []


@pytest.mark.parametrize(
    "request_",
    [
        SearchRequest(facets=selected(topic=("nope",))),
        SearchRequest(page=0),
        SearchRequest(per_page=101),
        SearchRequest(facets=selected(language=("xx",))),
    ],
)
def test_invalid_requests_are_refused(lib: LibraryIndex, request_: SearchRequest) -> None:
    """Unknown facet values and out-of-range paging raise InvalidRequest."""
    with pytest.raises(InvalidRequest):
        search(lib, request_)


def test_a_document_is_found_by_id_and_an_unknown_id_is_not(lib: LibraryIndex) -> None:
    """get_document returns metadata; an unknown id raises DocumentNotFound."""
    doc = get_document(lib, "reports/cart-report")
    assert doc.page_count == 2
    assert doc.title == "Child Abduction Response Teams: A Field Report"
    with pytest.raises(DocumentNotFound):
        get_document(lib, "../../etc/passwd")


def test_related_publications_share_terms_and_exclude_the_document_itself(
    lib: LibraryIndex,
) -> None:
    """More like the CART report: other documents, never itself."""
    found = related(lib, "reports/cart-report")
    assert found
    assert "reports/cart-report" not in {d.id for d in found}


def test_a_repeated_search_is_answered_from_the_generations_recent_results(
    index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same request gives the same result object; another page, filter or generation is
    computed; the least recently used result is forgotten beyond the bound."""
    monkeypatch.setattr(caches, "MAX_CACHED_RESULTS", 2)
    lib = open_index(index_dir)
    first = search(lib, SearchRequest(q="missing child"))
    assert search(lib, SearchRequest(q="missing child")) is first
    other_page = search(lib, SearchRequest(q="missing child", per_page=1, page=2))
    assert other_page is not first
    assert other_page.hits[0] == first.hits[1]
    filtered = search(
        lib, SearchRequest(q="missing child", facets=selected(audience=("families",)))
    )
    assert filtered is not first
    again = search(lib, SearchRequest(q="missing child"))  # forgotten: computed again
    assert again == first
    assert again is not first
    assert search(open_index(index_dir), SearchRequest(q="missing child")) is not first


@pytest.mark.parametrize("q", ["the of and", "?! ...", '""'])
def test_a_query_with_nothing_searchable_browses_everything(lib: LibraryIndex, q: str) -> None:
    """Stop words and punctuation alone are not a search that matches nothing."""
    result = search(lib, SearchRequest(q=q))
    assert result.total == 7
    assert [h.id for h in result.hits] == _ids(lib)
