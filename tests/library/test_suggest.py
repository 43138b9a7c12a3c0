"""Suggestions: prefixes of titles, labels and synonyms, accent-insensitive, best first."""

from __future__ import annotations

import pytest

from library.index import LibraryIndex
from library.suggest import MAX_SUGGESTIONS, Suggestion, build_table, complete, folded, suggest


def texts(found: list[Suggestion]) -> list[str]:
    """The suggested texts."""
    return [s.text for s in found]


def test_a_prefix_of_a_title_completes_it(lib: LibraryIndex) -> None:
    """'sextor' completes the sextortion fact sheet's title (and the vocabulary's term)."""
    found = suggest(lib, "Sextor")
    assert "Sextortion: What Young People Should Know" in texts(found)


def test_a_prefix_of_any_word_of_a_title_matches(lib: LibraryIndex) -> None:
    """'response te' matches 'Child Abduction Response Teams: ...' in the middle."""
    assert any(
        t.startswith("Child Abduction Response Teams") for t in texts(suggest(lib, "response te"))
    )


def test_matching_ignores_accents_case_and_punctuation(lib: LibraryIndex) -> None:
    """'cuando su hijo regresa' without the accents and with odd spacing finds the Spanish guide."""
    for typed in ("CUANDO  su hijo", "cuando su hijo regresa", "cuándo, su"):
        assert "Cuando su hijo regresa a casa" in texts(suggest(lib, typed)), typed


def test_vocabulary_labels_and_synonyms_are_suggested(lib: LibraryIndex) -> None:
    """A label completes to the term; a synonym is suggested as typed, with its term's label."""
    found = suggest(lib, "amber")
    assert found[0].kind == "topics"
    assert found[0].id == "amber-alert"
    kidnap = [s for s in suggest(lib, "kidnap") if s.kind == "topics"]
    assert kidnap
    assert kidnap[0].id == "abduction"
    assert kidnap[0].text.lower().startswith("kidnap")


def test_the_preferred_language_comes_first_on_a_tie(lib: LibraryIndex) -> None:
    """A Spanish label of a term is preferred for a Spanish page."""
    term = lib.vocabulary.kind("topics")["abduction"]
    if not term.label_es:
        pytest.skip("the vocabulary has no Spanish label for abduction")
    prefix = term.label_es[:4]
    assert suggest(lib, prefix, lang="es")[0].language == "es"


def test_at_most_ten_and_no_repeats(lib: LibraryIndex) -> None:
    """A one-letter prefix matching many entries gives 10, each text once."""
    found = suggest(lib, "a")
    assert len(found) == MAX_SUGGESTIONS
    assert len({folded(t) for t in texts(found)}) == len(found)
    assert len(suggest(lib, "a", limit=3)) == 3


@pytest.mark.parametrize("typed", ["", "   ", "!!!", "zzzzqqq", "<script>", "\x00"])
def test_nothing_to_complete_gives_nothing(lib: LibraryIndex, typed: str) -> None:
    """No words, or words nothing starts with: an empty list, never an error."""
    assert suggest(lib, typed) == []


def test_entries_starting_with_the_prefix_rank_before_inner_matches() -> None:
    """'alert' ranks 'Alert systems' (starts with it) before 'AMBER Alert' (an inner word), and
    a vocabulary term before a title of the same standing."""
    entries = [
        Suggestion("AMBER Alert", "topics", "amber-alert", "AMBER Alert", "en"),
        Suggestion("Alerts for law enforcement", "title", "b", "Alerts for law enforcement", "en"),
        Suggestion("Alert", "types", "alert", "Alert", "en"),
    ]
    assert texts(complete(build_table(entries), "alert")) == [
        "Alert",
        "Alerts for law enforcement",
        "AMBER Alert",
    ]
    assert folded("Ñandú, ¿qué?") == "nandu que"
