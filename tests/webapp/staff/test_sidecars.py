"""What staff type is what the ingest reads: form values round-trip through ingest.sidecar.

The web app never imports the ingest; this test does, to hold the two to the same rules.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from ingest.sidecar import Sidecar, parse_sidecar
from library.vocab import load_vocabulary
from tests.webapp.staff.conftest import csrf_token
from tests.webapp.staff.test_publications import upload

TRICKY_TEXT = [
    "He said \"stop\" and 'go'",
    "C:\\folder\\new\\table \\u0041 \\",
    'title = "injected"\n[table]\nkey = 1',
    "\"\"\" and ''' and # not a comment",
    "Guía para familias — niños, ñandú 🙂 ‘quotes’ «comillas»",
    "  spaces\tand\ttabs\r\nand\u2028lines  ",
    "bell\x07escape\x1bnull\x00delete\x7f",
    "<b>bold</b> &amp; <script>x</script>",
    "x" * 300,
]


def _typed(value: str) -> str:
    """What the ingest makes of a typed line: control characters out, single spaces."""
    import unicodedata

    visible = "".join(" " if unicodedata.category(c) == "Cc" else c for c in value)
    return " ".join(visible.split())


def _parsed(corpus: Path, relpath: str) -> tuple[Sidecar, list[str]]:
    """The ingest's reading of a sidecar the console wrote."""
    text = (corpus / relpath).read_text(encoding="utf-8")
    return parse_sidecar(text, load_vocabulary(corpus / "vocabulary.toml"))


@pytest.mark.parametrize("text", TRICKY_TEXT)
def test_text_fields_round_trip_through_the_ingest_s_parser(
    signed_in: FlaskClient, corpus: Path, text: str
) -> None:
    response = upload(
        signed_in,
        name="round-trip",
        title=text,
        summary=text + "\n\nSecond paragraph.",
        authors=f"{text[:200]}\nDoe, Jane",
    )
    assert response.status_code == 302, response.text
    sidecar, warnings = _parsed(corpus, "guides/round-trip.toml")
    assert warnings == []
    assert sidecar.title == _typed(text)
    stored = tomllib.loads((corpus / "guides/round-trip.toml").read_text(encoding="utf-8"))
    assert stored["title"] == sidecar.title  # the file holds exactly what the ingest reads
    assert sidecar.summary == _typed(text + " Second paragraph.")
    lines = f"{text[:200]}\nDoe, Jane".splitlines()  # one author a line
    assert sidecar.authors == tuple(dict.fromkeys(_typed(x) for x in lines if _typed(x)))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"date": "2019", "type": "fact-sheet", "language": "es"},
            {"date": "2019", "type": "fact-sheet", "language": "es"},
        ),
        ({"date": " 2019-03 "}, {"date": "2019-03"}),
        (
            {"topics": ["tribal", "amber-alert"], "audiences": ["youth", "families"]},
            {"topics": ("amber-alert", "tribal"), "audiences": ("families", "youth")},
        ),
        (
            {"source_url": "https://example.org/a path?q=ñ&x=1#part"},
            {"source_url": "https://example.org/a path?q=ñ&x=1#part"},
        ),
        (
            {"translation_of": "/documents/families/guia-regreso/"},
            {"translation_of": "families/guia-regreso"},
        ),
    ],
)
def test_every_other_field_round_trips_without_a_warning(
    signed_in: FlaskClient, corpus: Path, fields: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert upload(signed_in, name="fields", **fields).status_code == 302
    sidecar, warnings = _parsed(corpus, "guides/fields.toml")
    assert warnings == []
    for key, value in expected.items():
        assert getattr(sidecar, key) == value


def test_an_edit_round_trips_too(signed_in: FlaskClient, corpus: Path) -> None:
    page = "/staff/documents/newsletters/spring-2011"
    data = {
        "csrf_token": csrf_token(signed_in.get(page).text),
        "action": "save",
        "title": TRICKY_TEXT[2],
        "date": "2011-04-01",
        "type": "newsletter",
        "topics": ["amber-alert", "tribal"],
        "language": "",
    }
    assert signed_in.post(page, data=data).status_code == 302
    sidecar, warnings = _parsed(corpus, "newsletters/spring-2011.toml")
    assert warnings == []
    assert sidecar.title == _typed(TRICKY_TEXT[2])
    assert (sidecar.date, sidecar.type, sidecar.topics) == (
        "2011-04-01",
        "newsletter",
        ("amber-alert", "tribal"),
    )
    assert sidecar.audiences is None  # none ticked: inferred again
