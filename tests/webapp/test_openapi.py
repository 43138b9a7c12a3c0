"""/api/openapi.json: the OpenAPI 3.1 description, checked against live responses, and the API
driven from it by schemathesis (a bounded, deterministic number of examples)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings

# schemathesis names its built-in checks only in this module
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from webapp import create_app

EXAMPLES = 40  # per operation; derandomized, so every run tries the same requests


@pytest.fixture(scope="module")
def spec(index_dir: Path) -> dict[str, Any]:
    """The live description."""
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
    data: dict[str, Any] = app.test_client().get("/api/openapi.json").get_json()
    return data


def check(spec: dict[str, Any], component: str, instance: Any) -> None:
    """Validate instance against a component schema (JSON Schema 2020-12, $refs resolved)."""
    schema = {**spec, "$ref": f"#/components/schemas/{component}"}
    jsonschema.Draft202012Validator(schema).validate(instance)


def responses_of(spec: dict[str, Any], path: str) -> dict[str, Any]:
    """The documented responses of a path's GET operation."""
    found: dict[str, Any] = spec["paths"][path]["get"]["responses"]
    return found


def test_the_description_is_openapi_3_1_with_every_endpoint(spec: dict[str, Any]) -> None:
    """Search, documents, vocabularies and suggest, on this site's server."""
    assert spec["openapi"] == "3.1.0"
    assert set(spec["paths"]) == {
        "/api/search",
        "/api/documents/{id}",
        "/api/vocabularies",
        "/api/suggest",
    }
    assert spec["servers"] == [{"url": "http://localhost"}]
    jsonschema.Draft202012Validator.check_schema({**spec["components"]["schemas"]["Document"]})


@pytest.mark.parametrize(
    ("url", "component"),
    [
        ("/api/search?q=child+abduction&topic=abduction", "SearchResult"),
        ("/api/search", "SearchResult"),
        ("/api/search?q=xyzzy", "SearchResult"),
        ("/api/search?q=abducton", "SearchResult"),
        ("/api/documents/reports/cart-report", "Document"),
        ("/api/documents/families/guia-regreso", "Document"),
        ("/api/vocabularies", "Vocabularies"),
        ("/api/suggest?q=amber", "Suggestions"),
        ("/api/suggest?q=amber&format=opensearch", "OpenSearchSuggestions"),
    ],
)
def test_live_responses_have_every_documented_field_with_its_type(
    client: FlaskClient, spec: dict[str, Any], url: str, component: str
) -> None:
    """Each documented field is required, typed, and nothing undocumented is sent."""
    response = client.get(url)
    assert response.status_code == 200
    check(spec, component, response.get_json(force=True))


@pytest.mark.parametrize(
    ("url", "path", "status"),
    [
        ("/api/search?per_page=0", "/api/search", 400),
        ("/api/search?topic=nonsense", "/api/search", 400),
        ("/api/suggest?format=xml", "/api/suggest", 400),
        ("/api/documents/no/such/thing", "/api/documents/{id}", 404),
    ],
)
def test_every_error_is_documented_with_its_shape(
    client: FlaskClient, spec: dict[str, Any], url: str, path: str, status: int
) -> None:
    """The status is among the operation's responses and the body is an Error."""
    response = client.get(url)
    assert response.status_code == status
    assert str(status) in responses_of(spec, path)
    check(spec, "Error", response.get_json())


def test_without_an_index_every_operation_answers_a_documented_503(
    tmp_path: Path, spec: dict[str, Any]
) -> None:
    """No ingest yet: 503 with an Error body, documented for each operation."""
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    for url, path in [
        ("/api/search", "/api/search"),
        ("/api/documents/a", "/api/documents/{id}"),
        ("/api/vocabularies", "/api/vocabularies"),
        ("/api/suggest?q=a", "/api/suggest"),
    ]:
        response = client.get(url)
        assert response.status_code == 503, url
        assert "503" in responses_of(spec, path)
        check(spec, "Error", response.get_json())


@pytest.fixture(scope="module")
def api_app(index_dir: Path) -> Flask:
    """The app schemathesis drives."""
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})


@pytest.fixture(scope="module")
def api_schema(api_app: Flask) -> Any:
    """The live description, loaded by schemathesis over WSGI."""
    return schemathesis.openapi.from_wsgi("/api/openapi.json", api_app)


def test_the_api_driven_from_its_description_never_breaks_it(api_schema: Any) -> None:
    """Generated requests to every operation get no 500 and no response outside the description.

    A 400 for a combination the schema cannot express is documented and accepted. Each
    operation is driven by its own hypothesis strategy (schemathesis's pytest plugin does
    not support this pytest); derandomized, so every run sends the same requests.
    """
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 4
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def drive(case: Any) -> None:
            """One generated request, checked against the description."""
            # A request the schema allows may still be refused with a documented 400 (year_min
            # after year_max): that breaks nothing, so only that check is left out.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        drive()
