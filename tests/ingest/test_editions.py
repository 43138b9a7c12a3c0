"""Editions: a sidecar's translation_of pairs a publication with its edition in another language."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from ingest import pipeline
from ingest.sidecar import parse_sidecar
from library import index
from library.search import get_document, translations
from library.vocab import load_vocabulary
from tests.conftest import VOCABULARY, settings_for
from tests.factories import html_page, write
from webapp import create_app

VOCAB = load_vocabulary(VOCABULARY)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ('"families/first-48-hours"', "families/first-48-hours"),
        ('" /families/first-48-hours/ "', "families/first-48-hours"),
        ('"documents/families/first-48-hours"', "families/first-48-hours"),
    ],
)
def test_a_sidecar_names_the_publication_it_is_an_edition_of(given: str, expected: str) -> None:
    sidecar, warnings = parse_sidecar(f"translation_of = {given}\n", VOCAB)
    assert sidecar.translation_of == expected
    assert warnings == []


@pytest.mark.parametrize("given", ["3", '""', '"../secret"', '"a b"', '["x"]'])
def test_a_translation_of_that_cannot_be_an_id_is_a_warning(given: str) -> None:
    sidecar, warnings = parse_sidecar(f"translation_of = {given}\n", VOCAB)
    assert sidecar.translation_of is None
    assert any("translation_of" in w for w in warnings)


def _corpus(root: Path, target: str) -> Path:
    """An English guide, its Spanish edition naming target, and an unrelated page."""
    write(root, "vocabulary.toml", VOCABULARY.read_text(encoding="utf-8"))
    write(root, "families/first-hours.html", html_page(
        "The First Hours", "<p>Call 911 at once. There is no waiting period.</p>"))  # fmt: skip
    write(root, "families/primeras-horas.html", html_page(
        "Las primeras horas", "<p>Llame al 911 enseguida. No hay que esperar.</p>", lang="es"))  # fmt: skip
    write(root, "families/primeras-horas.toml", f'language = "es"\ntranslation_of = "{target}"\n')
    write(root, "news/spring.html", html_page("Spring news", "<p>Newsletter text.</p>"))
    return root


def test_editions_are_linked_both_ways_in_the_library_the_api_and_the_pages(
    tmp_path: Path,
) -> None:
    corpus = _corpus(tmp_path / "corpus", "families/first-hours")
    report = pipeline.run(settings_for(corpus, tmp_path / "index"))
    assert report.exit_code == 0
    assert report.warnings == []
    lib = index.open_index(tmp_path / "index")
    english = get_document(lib, "families/first-hours")
    spanish = get_document(lib, "families/primeras-horas")
    assert spanish.translation_of == "families/first-hours"
    assert [d.id for d in translations(lib, english)] == ["families/primeras-horas"]
    assert [d.id for d in translations(lib, spanish)] == ["families/first-hours"]
    assert translations(lib, get_document(lib, "news/spring")) == ()

    client: FlaskClient = create_app(
        {"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}
    ).test_client()
    data = client.get("/api/documents/families/first-hours").get_json()
    assert data["translations"] == [{
        "id": "families/primeras-horas", "title": "Las primeras horas", "language": "es",
        "url": "/documents/families/primeras-horas",
    }]  # fmt: skip
    assert client.get("/api/documents/news/spring").get_json()["translations"] == []
    page = client.get("/documents/families/first-hours").get_data(as_text=True)
    assert (
        '<a class="button secondary" href="/documents/families/primeras-horas?lang=es" '
        'hreflang="es" lang="es">Leer en español</a>'
    ) in page
    page = client.get("/documents/families/primeras-horas", headers={"Accept-Language": "es"})
    html = page.get_data(as_text=True)
    assert '<html lang="es">' in html
    assert (
        'href="/documents/families/first-hours?lang=en" hreflang="en" lang="en">Read in English'
        in html
    )


def test_an_edition_of_an_unknown_publication_is_a_warning_in_every_report(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus", "families/first-hour")
    settings = settings_for(corpus, tmp_path / "index")
    expected = (
        "families/primeras-horas.html",
        "translation_of 'families/first-hour' names no publication (closest: 'families/first-hours')",
    )
    first = pipeline.run(settings)
    assert first.exit_code == 0  # a warning, not a failure
    assert expected in first.warnings
    again = pipeline.run(settings)  # nothing changed: the check is made again all the same
    assert again.unchanged == 3
    assert expected in again.warnings
    (corpus / "families/first-hours.html").unlink()  # the original goes: its edition is told
    write(corpus, "families/primeras-horas.toml", 'translation_of = "families/first-hours"\n')
    third = pipeline.run(settings)
    assert (
        "families/primeras-horas.html",
        "translation_of 'families/first-hours' names no publication",
    ) in [(path, message.split(" (closest")[0]) for path, message in third.warnings]
