"""Sidecar parsing: valid values kept, unknown terms warned about with the closest id."""

from __future__ import annotations

import pytest

from ingest.sidecar import SidecarError, parse_sidecar
from library.vocab import load_vocabulary
from tests.conftest import VOCABULARY

VOCAB = load_vocabulary(VOCABULARY)


def test_a_complete_sidecar_is_parsed() -> None:
    """Every key is read; labels and synonyms resolve to ids."""
    sidecar, warnings = parse_sidecar(
        'title = "T"\nsummary = "S"\ndate = 2015-05-25\ntype = "Webinar"\n'
        'topics = ["AMBER Alert", "kidnapping"]\naudiences = ["families"]\nlanguage = "es"\n'
        'source_url = "https://example.org/x"\n',
        VOCAB,
    )
    assert warnings == []
    assert sidecar.date == "2015-05-25"
    assert sidecar.type == "webinar"
    assert sidecar.topics == ("amber-alert", "abduction")
    assert sidecar.language == "es"


def test_unknown_terms_are_warned_about_with_the_closest_id_and_valid_ones_kept() -> None:
    """'amber-alret' is not an id: warning names it and suggests 'amber-alert'."""
    sidecar, warnings = parse_sidecar('topics = ["amber-alret", "tribal"]\ntpye = "guide"\n', VOCAB)
    assert sidecar.topics == ("tribal",)
    assert any("'amber-alret'" in w and "'amber-alert'" in w for w in warnings)
    assert any("'tpye'" in w and "'type'" in w for w in warnings)


@pytest.mark.parametrize(
    ("text", "message"),
    [('date = "May 2015"', "date"), ('language = "spanish"', "language")],
)
def test_malformed_values_are_warned_about_and_ignored(text: str, message: str) -> None:
    """A bad date or language is left to inference."""
    sidecar, warnings = parse_sidecar(text, VOCAB)
    assert getattr(sidecar, message) is None
    assert any(message in w for w in warnings)


def test_invalid_toml_raises_with_the_position() -> None:
    """The pipeline turns this into a warning and infers instead."""
    with pytest.raises(SidecarError, match="invalid TOML .*Unterminated string"):
        parse_sidecar('title = "unterminated', VOCAB)


def test_authors_are_kept_as_written_in_order_without_repeats() -> None:
    """A person is "Family, Given"; an organisation is its name; a repeat is dropped."""
    sidecar, warnings = parse_sidecar(
        'authors = ["Núñez, José", "National  Center for Missing & Exploited Children", '
        '"Núñez, José"]\n',
        VOCAB,
    )
    assert warnings == []
    assert sidecar.authors == ("Núñez, José", "National Center for Missing & Exploited Children")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('authors = "Doe, Jane"\n', ("Doe, Jane",)),
        ('authors = ["Doe, Jane", 3]\n', ("Doe, Jane",)),
        ("authors = [4]\n", None),
    ],
)
def test_authors_that_are_not_a_list_of_names_are_warned_about(
    text: str, expected: tuple[str, ...] | None
) -> None:
    """A single string is one name; non-strings are dropped with a warning."""
    sidecar, warnings = parse_sidecar(text, VOCAB)
    assert sidecar.authors == expected
    assert (warnings == []) == (text.startswith('authors = "'))


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "ftp://x.org/a", "//x"]
)
def test_a_source_url_that_is_not_http_is_left_empty_with_a_warning(url: str) -> None:
    sidecar, warnings = parse_sidecar(f"source_url = {url!r}\n", VOCAB)
    assert sidecar.source_url is None
    assert any("source_url" in w and "http" in w for w in warnings)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("title = 5", "title"),
        ('summary = ["a"]', "summary"),
        ("source_url = 3", "source_url"),
        ('type = ["guide"]', "type"),
        ("topics = 7", "topics"),
        ("audiences = [1, 2]", "audiences"),
        ("date = 2019", "date"),
        ("language = true", "language"),
    ],
)
def test_a_value_of_the_wrong_type_is_a_warning_naming_its_key(text: str, key: str) -> None:
    sidecar, warnings = parse_sidecar(text + "\n", VOCAB)
    assert getattr(sidecar, key) is None
    assert len(warnings) == 1
    assert warnings[0].startswith(key)


@pytest.mark.parametrize("date", ["2019-02-30", "2019-13", "<b>2019</b>", "0000", "2019-02-29"])
def test_a_date_that_is_not_real_falls_back_as_if_absent(date: str) -> None:
    sidecar, warnings = parse_sidecar(f"date = {date!r}\n", VOCAB)
    assert sidecar.date is None
    assert any("not a real date" in w for w in warnings)


@pytest.mark.parametrize("date", ["2020-02-29", "2019-12", "1999", "2015-05-25T10:00:00"])
def test_real_dates_are_kept(date: str) -> None:
    sidecar, warnings = parse_sidecar(f"date = {date!r}\n", VOCAB)
    assert warnings == []
    assert sidecar.date == date[:10]
