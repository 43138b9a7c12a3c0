"""/api/suggest: completions as JSON and in the OpenSearch suggestions format."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


def test_suggestions_are_json_with_text_kind_and_url(client: FlaskClient) -> None:
    """A title links its document; a term links the search filtered by it."""
    data = client.get("/api/suggest?q=sextor").get_json()
    assert data["query"] == "sextor"
    rows = {row["text"]: row for row in data["suggestions"]}
    title = rows["Sextortion: What Young People Should Know"]
    assert title["kind"] == "title"
    assert title["url"] == "/documents/fact-sheets/sextortion"
    amber = client.get("/api/suggest?q=amber").get_json()["suggestions"][0]
    assert amber["kind"] == "topic"
    assert amber["url"] == "/search?topic=amber-alert"
    assert amber["description"] == "Topic: AMBER Alert"


def test_the_opensearch_format_is_query_texts_descriptions_urls(client: FlaskClient) -> None:
    """[query, [completions], [descriptions], [URLs]] as browsers read it."""
    response = client.get("/api/suggest?q=amber&format=opensearch")
    assert response.content_type == "application/x-suggestions+json; charset=utf-8"
    query, completions, descriptions, urls = response.get_json(force=True)
    assert query == "amber"
    assert completions[0] == "AMBER Alert"
    assert len(completions) == len(descriptions) == len(urls) <= 10


def test_at_most_ten_and_limit(client: FlaskClient) -> None:
    """10 at most; limit asks for fewer."""
    assert len(client.get("/api/suggest?q=a").get_json()["suggestions"]) == 10
    assert len(client.get("/api/suggest?q=a&limit=2").get_json()["suggestions"]) == 2


@pytest.mark.parametrize("query", ["format=xml&q=a", "limit=0&q=a", "limit=11&q=a", "limit=x"])
def test_bad_parameters_are_400_json(client: FlaskClient, query: str) -> None:
    """A JSON error naming the parameter."""
    response = client.get(f"/api/suggest?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"


@pytest.mark.parametrize("typed", ["", "%00", "%3Cscript%3E", "x" * 600])
def test_odd_input_gives_an_empty_or_normal_answer(client: FlaskClient, typed: str) -> None:
    """Never a 500."""
    response = client.get(f"/api/suggest?q={typed}")
    assert response.status_code == 200
    assert isinstance(response.get_json()["suggestions"], list)


def test_a_spanish_page_prefers_spanish_suggestions(client: FlaskClient) -> None:
    """lang=es ranks the Spanish guide first among equals."""
    rows = client.get("/api/suggest?q=cuando&lang=es").get_json()["suggestions"]
    assert rows[0]["language"] == "es"


def test_the_search_box_is_ready_for_suggestions_and_still_a_plain_form(
    client: FlaskClient,
) -> None:
    """data-suggest names the endpoint; the form still submits q to /search without a script."""
    html = client.get("/").get_data(as_text=True)
    assert 'data-suggest="/api/suggest"' in html
    assert 'action="/search" method="get"' in html
    assert 'name="q"' in html
    assert "suggest.js" in html


def test_opensearch_names_the_suggestion_url(client: FlaskClient) -> None:
    """Browsers ask /api/suggest?format=opensearch as the user types in the address bar."""
    text = client.get("/opensearch.xml").get_data(as_text=True)
    assert 'type="application/x-suggestions+json"' in text
    assert "/api/suggest?q={searchTerms}&amp;format=opensearch" in text
