"""webapp.params: URL parameters to SearchRequest, and the links that toggle them (no HTTP)."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from werkzeug.datastructures import MultiDict

from library.errors import DocumentNotFound, InvalidRequest
from library.facets import selected
from library.models import MAX_QUERY_CHARS, SearchRequest, Sort
from webapp import params


def args(*pairs: tuple[str, str]) -> MultiDict[str, str]:
    """A query-string MultiDict from (name, value) pairs."""
    return MultiDict(list(pairs))


def test_no_parameters_browse_everything_newest_first() -> None:
    assert params.parse_search_args(args()) == SearchRequest(sort=Sort.NEWEST)


def test_words_without_a_sort_rank_by_relevance() -> None:
    assert params.parse_search_args(args(("q", "amber"))).sort is Sort.RELEVANCE


def test_an_explicit_sort_is_kept_even_without_words() -> None:
    assert params.parse_search_args(args(("sort", "title"))).sort is Sort.TITLE
    assert params.parse_search_args(args(("sort", "relevance"))).sort is Sort.RELEVANCE


def test_every_parameter_reaches_the_request() -> None:
    request = params.parse_search_args(args(
        ("q", " runaway  youth "), ("topic", "tribal"), ("topic", "amber-alert"),
        ("audience", "families"), ("type", "guide"), ("language", "es"),
        ("year_min", "2010"), ("year_max", "2020"), ("sort", "oldest"),
        ("page", "3"), ("per_page", "25"),
    ))  # fmt: skip
    assert request == SearchRequest(
        q="runaway youth", year_min=2010, year_max=2020,
        facets=selected(topic=("tribal", "amber-alert"), audience=("families",), type=("guide",),
                        language=("es",)),
        sort=Sort.OLDEST, page=3, per_page=25,
    )  # fmt: skip


def test_repeated_and_empty_facet_values_are_dropped() -> None:
    request = params.parse_search_args(
        args(("topic", "tribal"), ("topic", ""), ("topic", "tribal"), ("year_min", ""))
    )
    assert request.values("topic") == ("tribal",)
    assert request.year_min is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("page", "abc"),
        ("page", "0"),
        ("page", "-1"),
        ("page", "1001"),
        ("page", str(10**20)),
        ("page", "1.5"),
        ("page", "9" * 5000),
        ("per_page", "0"),
        ("per_page", "101"),
        ("per_page", "100000"),
        ("per_page", "abc"),
        ("sort", "random"),
        ("sort", "NEWEST"),
        ("year_min", "1899"),
        ("year_max", "2101"),
        ("year_min", "twenty"),
    ],
)
def test_a_bad_value_is_refused_naming_its_parameter(name: str, value: str) -> None:
    with pytest.raises(InvalidRequest, match=name):
        params.parse_search_args(args((name, value)))


def test_a_year_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidRequest, match="year_min"):
        params.parse_search_args(args(("year_min", "2020"), ("year_max", "2010")))


def test_a_long_query_is_cut_to_the_library_limit_and_reported() -> None:
    raw = args(("q", "abc " * 2000))
    assert len(params.parse_search_args(raw).q) <= MAX_QUERY_CHARS
    assert params.was_truncated(raw)
    assert not params.was_truncated(args(("q", "short")))


def test_control_characters_and_nul_bytes_are_stripped() -> None:
    request = params.parse_search_args(args(("q", "amber\x00alert\x1b[31m\n"), ("topic", "\x00")))
    assert request.q == "amber alert [31m"
    assert request.values("topic") == ()


def test_the_sort_menu_shows_what_was_chosen_or_best_match() -> None:
    assert params.chosen_sort(args()) == "relevance"
    assert params.chosen_sort(args(("sort", "title"))) == "title"
    assert params.chosen_sort(args(("sort", "bogus"))) == "relevance"


@pytest.mark.parametrize(
    ("start", "name", "value", "expected"),
    [
        ("", "topic", "tribal", "?topic=tribal"),
        ("?q=amber", "topic", "tribal", "?q=amber&topic=tribal"),
        ("?q=amber&topic=tribal", "topic", "tribal", "?q=amber"),
        ("?topic=tribal&page=4", "topic", "amber-alert", "?topic=tribal&topic=amber-alert"),
        ("?sort=title&q=a", "audience", "families", "?q=a&audience=families&sort=title"),
        ("?utm_source=x&q=a", "type", "guide", "?q=a&type=guide"),
    ],
)
def test_toggle_url_adds_or_removes_one_value_and_goes_back_to_page_one(
    start: str, name: str, value: str, expected: str
) -> None:
    assert params.toggle_url(_parse(start), name, value) == expected


def test_remove_url_drops_one_value_or_the_whole_parameter() -> None:
    start = _parse("?q=a&topic=tribal&topic=abduction&year_min=2010&page=2")
    assert params.remove_url(start, "topic", "tribal") == "?q=a&topic=abduction&year_min=2010"
    assert params.remove_url(start, "year_min") == "?q=a&topic=tribal&topic=abduction"


def test_clear_filters_keeps_the_words_and_the_sort() -> None:
    start = _parse("?q=a&topic=tribal&language=es&year_max=2020&sort=title&page=3")
    assert params.clear_filters_url(start, base="/search") == "/search?q=a&sort=title"


def test_page_and_replace_urls_keep_the_rest_of_the_search() -> None:
    start = _parse("?q=kidnaping&topic=tribal&page=2")
    assert params.page_url(start, 3) == "?q=kidnaping&topic=tribal&page=3"
    assert params.page_url(start, 1) == "?q=kidnaping&topic=tribal"
    assert params.replace_url(start, "q", "kidnapping") == "?q=kidnapping&topic=tribal"


def test_links_escape_what_they_carry() -> None:
    link = params.toggle_url(_parse("?q=%3Cscript%3E+%26"), "topic", "a&b=c")
    assert link == "?q=%3Cscript%3E+%26&topic=a%26b%3Dc"


def test_search_url_builds_a_filtered_search() -> None:
    assert params.search_url("/search", topic="tribal") == "/search?topic=tribal"
    assert params.search_url("/search", type=["guide", "checklist"], q="") == (
        "/search?type=guide&type=checklist"
    )


@pytest.mark.parametrize("doc_id", ["a\x00b", "a\nb", "a\\b", "x" * 501])
def test_ids_no_document_can_have_are_not_found(doc_id: str) -> None:
    with pytest.raises(DocumentNotFound):
        params.checked_id(doc_id)


def _parse(query: str) -> MultiDict[str, str]:
    """Args as Flask parses a query string."""
    return MultiDict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
