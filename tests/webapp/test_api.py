"""The JSON API over the sample index: the contract issue 4 fixes, facets, sort, pages, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from library.models import document_url
from library.vocab import AUDIENCES, TOPICS
from mecp import cli

TOP_KEYS = [
    "query", "total", "page", "per_page", "results", "facets", "suggestion", "partial",
    "fallback", "corrected",
]  # fmt: skip
RESULT_KEYS = [
    "id", "title", "url", "type", "year", "date", "language",
    "topics", "audiences", "summary", "snippet", "score", "page", "partial",
]  # fmt: skip
FACET_NAMES = ["topic", "audience", "type", "year", "language"]
ALL_IDS = {
    "training/forensic-interviewing-course", "fact-sheets/sextortion", "families/guia-regreso",
    "guides/first-hours", "reports/cart-report", "events/missing-childrens-day",
    "newsletters/spring-2011",
}  # fmt: skip


def get(client: FlaskClient, query: str) -> dict[str, Any]:
    """GET /api/search?query and return the JSON, checking the status is 200."""
    response = client.get("/api/search" + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    data: dict[str, Any] = response.get_json()
    return data


def counts(data: dict[str, Any], facet: str) -> dict[str, int]:
    """value -> count of one facet."""
    return {v["value"]: v["count"] for v in data["facets"][facet]}


def ids(data: dict[str, Any]) -> list[str]:
    """The result ids, in order."""
    return [r["id"] for r in data["results"]]


def test_search_answers_exactly_the_documented_shape(client: FlaskClient) -> None:
    data = get(client, "?q=missing+child")
    assert list(data) == TOP_KEYS
    assert data["query"] == "missing child"
    assert (data["page"], data["per_page"]) == (1, 10)
    assert data["results"], "the sample corpus has missing-child publications"
    for row in data["results"]:
        assert list(row) == RESULT_KEYS
        assert row["url"] == document_url(row["id"])
        assert isinstance(row["topics"], list)
        assert isinstance(row["audiences"], list)
    assert list(data["facets"]) == FACET_NAMES
    for values in data["facets"].values():
        for value in values:
            assert list(value) == ["value", "label", "count", "selected"]
    assert data["suggestion"] is None


def test_an_empty_query_browses_everything_newest_first(client: FlaskClient) -> None:
    data = get(client, "?per_page=100")
    assert data["total"] == 7
    assert set(ids(data)) == ALL_IDS
    dates = [r["date"] for r in data["results"]]
    assert dates == sorted(dates, reverse=True)
    assert all(r["score"] is None for r in data["results"])


def test_values_of_one_facet_are_ored(client: FlaskClient) -> None:
    data = get(client, "?audience=families&audience=law-enforcement")
    assert data["total"] == 4
    assert [v["value"] for v in data["facets"]["audience"] if v["selected"]] == [
        "law-enforcement",  # vocabulary order, whatever the counts
        "families",
    ]


def test_facet_values_keep_the_vocabulary_order_whatever_the_counts(client: FlaskClient) -> None:
    for query in ("", "?q=amber", "?topic=exploitation", "?audience=youth"):
        facets = get(client, query)["facets"]
        topics = [v["value"] for v in facets["topic"]]
        assert topics == [t for t in TOPICS if t in topics], query
        audiences = [v["value"] for v in facets["audience"]]
        assert audiences == [a for a in AUDIENCES if a in audiences], query
        languages = [v["value"] for v in facets["language"]]
        assert languages == [code for code in ("en", "es") if code in languages], query


def test_different_facets_are_anded(client: FlaskClient) -> None:
    data = get(client, "?audience=families&language=es")
    assert ids(data) == ["families/guia-regreso"]


def test_a_facet_counts_without_its_own_selection_but_with_the_others(
    client: FlaskClient,
) -> None:
    data = get(client, "?audience=families")
    assert data["total"] == 2
    # Its own facet still shows what widening would give...
    assert counts(data, "audience")["law-enforcement"] == 2
    # ...while the other facets count only the families publications.
    assert counts(data, "language") == {"en": 1, "es": 1}
    assert counts(data, "type") == {"guide": 1}


def test_a_year_range_filters_and_keeps_the_other_years_countable(client: FlaskClient) -> None:
    data = get(client, "?year_min=2019&year_max=2019")
    assert sorted(ids(data)) == ["families/guia-regreso", "guides/first-hours"]
    years = counts(data, "year")
    assert years["2019"] == 2
    assert years["2011"] == 1
    assert [v["value"] for v in data["facets"]["year"] if v["selected"]] == ["2019"]


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("newest", "training/forensic-interviewing-course", "newsletters/spring-2011"),
        ("oldest", "newsletters/spring-2011", "training/forensic-interviewing-course"),
    ],
)
def test_results_sort_by_date(client: FlaskClient, sort: str, first: str, last: str) -> None:
    order = ids(get(client, f"?sort={sort}&per_page=100"))
    assert (order[0], order[-1]) == (first, last)


def test_results_sort_by_title(client: FlaskClient) -> None:
    titles = [r["title"].casefold() for r in get(client, "?sort=title&per_page=100")["results"]]
    assert titles == sorted(titles)


def test_pages_split_the_results_without_overlap(client: FlaskClient) -> None:
    pages = [get(client, f"?sort=title&per_page=3&page={n}") for n in (1, 2, 3)]
    assert [len(p["results"]) for p in pages] == [3, 3, 1]
    assert {i for p in pages for i in ids(p)} == ALL_IDS
    assert all(p["total"] == 7 for p in pages)


def test_a_page_past_the_end_is_empty_not_an_error(client: FlaskClient) -> None:
    data = get(client, "?page=50")
    assert (data["total"], data["results"], data["page"]) == (7, [], 50)


def test_relevance_ranks_the_best_match_first_with_a_snippet(client: FlaskClient) -> None:
    data = get(client, "?q=abduction+response+team")
    assert data["results"][0]["id"] == "reports/cart-report"
    assert "<mark>" in data["results"][0]["snippet"]
    assert data["results"][0]["score"] > 0


def test_a_misspelt_word_matching_nothing_is_searched_corrected_and_says_so(
    client: FlaskClient,
) -> None:
    data = get(client, "?q=sextortoin")
    assert (data["query"], data["corrected"], data["suggestion"]) == (
        "sextortoin",
        "sextortion",
        None,
    )
    assert data["results"][0]["id"] == "fact-sheets/sextortion"
    exact = get(client, "?q=sextortoin&exact=1")
    assert (exact["corrected"], exact["suggestion"], exact["total"]) == (None, "sextortion", 0)


def test_the_cli_prints_the_same_json_as_the_api(
    client: FlaskClient, index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["search", "missing", "--index", str(index_dir), "--topic",
                     "missing-investigations", "--json"])  # fmt: skip
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == get(client, "?q=missing&topic=missing-investigations")


def test_a_document_answers_its_metadata_and_both_urls(client: FlaskClient) -> None:
    response = client.get("/api/documents/reports/cart-report")
    assert response.status_code == 200
    data = response.get_json()
    expected = {
        "id", "title", "summary", "date", "year", "type", "topics", "audiences", "language",
        "source_url", "page_count", "file_size", "url", "file_url",
    }  # fmt: skip
    assert expected <= set(data)
    assert "body" not in data
    assert data["url"] == "/documents/reports/cart-report"
    assert data["file_url"] == "/files/reports/cart-report"
    assert (data["year"], data["page_count"], data["type"]) == (2016, 2, "report")


def test_an_unknown_document_is_a_json_404(client: FlaskClient) -> None:
    response = client.get("/api/documents/no/such/thing")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"
    assert response.get_json()["message"]


def test_vocabularies_list_every_term_with_label_and_description(client: FlaskClient) -> None:
    data = client.get("/api/vocabularies").get_json()
    assert list(data) == ["topics", "audiences", "types", "languages"]
    topics = {t["id"]: t for t in data["topics"]}
    assert topics["amber-alert"]["label"] == "AMBER Alert"
    assert topics["amber-alert"]["description"]
    assert {a["id"] for a in data["audiences"]} >= {"families", "law-enforcement"}
    assert {"id": "es", "label": "Español"} in data["languages"]


def test_vocabularies_give_every_term_its_spanish_label_and_description(
    client: FlaskClient,
) -> None:
    data = client.get("/api/vocabularies").get_json()
    topics = {t["id"]: t for t in data["topics"]}
    assert list(topics["amber-alert"]) == [
        "id", "label", "description", "label_es", "description_es"
    ]  # fmt: skip
    assert topics["amber-alert"]["label_es"] == "Alerta AMBER"
    types = {t["id"]: t for t in data["types"]}
    assert types["guide"]["label_es"] == "Guía"
    for kind in ("topics", "audiences", "types"):
        for term in data[kind]:
            assert term["label_es"], term["id"]
            assert term["description_es"], term["id"]


@pytest.mark.parametrize(
    ("method", "url", "status", "error"),
    [
        ("GET", "/api/search?page=abc", 400, "bad_request"),
        ("GET", "/api/search?per_page=101", 400, "bad_request"),
        ("GET", "/api/search?sort=random", 400, "bad_request"),
        ("GET", "/api/search?topic=not-a-topic", 400, "bad_request"),
        ("GET", "/api/search?language=xx", 400, "bad_request"),
        ("GET", "/api/nothing-here", 404, "not_found"),
        ("GET", "/api", 404, "not_found"),
        ("POST", "/api/search", 405, "method_not_allowed"),
        ("DELETE", "/api/documents/reports/cart-report", 405, "method_not_allowed"),
    ],
)
def test_api_errors_are_json_with_error_and_message(
    client: FlaskClient, method: str, url: str, status: int, error: str
) -> None:
    response = client.open(url, method=method)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert list(response.get_json()) == ["error", "message"]
    assert response.get_json()["error"] == error


def test_a_bad_parameter_message_says_what_is_wrong(client: FlaskClient) -> None:
    message = client.get("/api/search?topic=not-a-topic").get_json()["message"]
    assert "topic" in message
    assert "not-a-topic" in message
