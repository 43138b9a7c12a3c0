"""The app's handle on the index: opened once, reopened after an ingest, 503 when missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest import pipeline
from tests.conftest import settings_for
from tests.factories import write
from webapp import create_app
from webapp.index_access import get_index


def test_the_index_is_opened_once_and_reused(index_dir: Path) -> None:
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
    with app.app_context():
        assert get_index() is get_index()


def test_a_new_generation_is_picked_up_without_a_restart(
    sample_corpus: Path, tmp_path: Path
) -> None:
    corpus = shutil.copytree(sample_corpus, tmp_path / "corpus")
    index = tmp_path / "index"
    assert pipeline.run(settings_for(corpus, index)).exit_code == 0
    client = create_app({"TESTING": True, "INDEX_DIR": str(index)}).test_client()
    assert client.get("/api/search").get_json()["total"] == 7
    write(corpus, "guides/new-guide.md", "# A Brand New Guide\n\nPublished 2024. Newly added.\n")
    assert pipeline.run(settings_for(corpus, index)).exit_code == 0
    data = client.get("/api/search?q=brand+new+guide").get_json()
    assert data["total"] >= 1
    assert data["results"][0]["id"] == "guides/new-guide"
    assert client.get("/documents/guides/new-guide").status_code == 200


@pytest.mark.parametrize(
    ("url", "json"),
    [("/", False), ("/search?q=amber", False), ("/documents/x", False), ("/files/x", False),
     ("/api/search", True), ("/api/vocabularies", True)],
)  # fmt: skip
def test_a_missing_index_is_a_friendly_503(tmp_path: Path, url: str, json: bool) -> None:
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    response = client.get(url)
    assert response.status_code == 503
    assert response.headers["Cache-Control"] == "no-store"
    if json:
        assert response.get_json()["error"] == "unavailable"
    else:
        html = response.get_data(as_text=True)
        assert "The library is not available right now" in html
        assert "temporarily unavailable" in html  # true of a missing index and of a down Solr
        spanish = client.get(url + ("&" if "?" in url else "?") + "lang=es").get_data(as_text=True)
        assert "La biblioteca no está disponible en este momento" in spanish
        assert str(tmp_path) not in html  # no server paths on the page
        assert "If a child is missing right now" in html


def test_pages_that_need_no_index_still_answer(tmp_path: Path) -> None:
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    assert client.get("/robots.txt").status_code == 200
    with client.get("/static/style.css") as response:
        assert response.status_code == 200
