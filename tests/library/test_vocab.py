"""The vocabulary file: Spanish labels and descriptions are read and checked like the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from library.errors import VocabularyError
from library.vocab import KINDS, load_vocabulary, parse_vocabulary

CORPUS_VOCABULARY = Path(__file__).resolve().parents[2] / "corpus" / "vocabulary.toml"


def _minimal(extra: str = "") -> str:
    """A valid vocabulary with every required id, plus extra TOML for topics.amber-alert."""
    vocab = load_vocabulary(CORPUS_VOCABULARY)
    lines = []
    for kind in KINDS:
        for term_id in vocab.kind(kind):
            lines.append(f'[{kind}.{term_id}]\nlabel = "{term_id.title()}"')
            if (kind, term_id) == ("topics", "amber-alert"):
                lines.append(extra)
    return "\n".join(lines) + "\n"


def test_a_term_has_its_spanish_label_and_description_when_given() -> None:
    vocab = parse_vocabulary(
        _minimal('label_es = "Alerta  AMBER"\ndescription_es = "Qué es y cuándo se activa."')
    )
    assert vocab.label("topics", "amber-alert", "es") == "Alerta AMBER"
    assert vocab.label("topics", "amber-alert") == "Amber-Alert"
    assert vocab.topics["amber-alert"].describe("es") == "Qué es y cuándo se activa."


def test_a_term_without_spanish_falls_back_to_english() -> None:
    vocab = parse_vocabulary(_minimal())
    assert vocab.label("topics", "abduction", "es") == "Abduction"
    assert vocab.topics["abduction"].describe("es") == ""


@pytest.mark.parametrize("extra", ["label_es = 3", 'description_es = ["a"]'])
def test_a_spanish_value_that_is_not_text_is_refused(extra: str) -> None:
    with pytest.raises(VocabularyError, match=r"topics\.amber-alert\.(label|description)_es"):
        parse_vocabulary(_minimal(extra))


def test_the_spanish_label_resolves_to_its_id() -> None:
    vocab = load_vocabulary(CORPUS_VOCABULARY)
    assert vocab.resolve("types", "Hoja informativa") == "fact-sheet"
    assert vocab.resolve("topics", "") is None


def test_every_term_of_the_bundled_vocabulary_is_in_spanish() -> None:
    vocab = load_vocabulary(CORPUS_VOCABULARY)
    for kind in KINDS:
        for term in vocab.kind(kind).values():
            assert term.label_es, (kind, term.id)
            assert term.description_es, (kind, term.id)
            assert term.description_es != term.description, (kind, term.id)
