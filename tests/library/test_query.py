"""Parsing what was typed: words, phrases, stop and request words, language, alternatives."""

from __future__ import annotations

import pytest

from library.query import MAX_WORDS, ParsedQuery, corrected, parse_query, typed_words
from library.vocab import Vocabulary, load_vocabulary
from library.whoosh.analysis import analyse_word
from tests.conftest import VOCABULARY


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary(VOCABULARY)


def _parse(text: str, vocabulary: Vocabulary) -> ParsedQuery:
    return parse_query(text, vocabulary, analyse_word)


def test_query_syntax_is_read_as_words_and_an_unclosed_quote_runs_to_the_end(
    vocabulary: Vocabulary,
) -> None:
    parsed = _parse('title:(foo OR "bar baz', vocabulary)
    assert [w.text for w in parsed.words] == ["title", "foo", "or"]
    assert parsed.phrases == (("bar", "baz"),)
    assert [w.text for w in parsed.quoted] == ["bar", "baz"]
    assert parsed.every_word == ("title", "foo", "or", "bar", "baz")


def test_control_characters_separate_words_and_nothing_typed_browses(
    vocabulary: Vocabulary,
) -> None:
    assert [w.text for w in _parse("sextor\x00tion\x1f", vocabulary).words] == ["sextor", "tion"]
    assert not _parse("\x00 \x01 ?!", vocabulary).searchable
    assert not _parse("the of and", vocabulary).searchable  # stop words in both languages


def test_request_and_stop_words_are_searched_but_a_full_match_needs_only_content_words(
    vocabulary: Vocabulary,
) -> None:
    parsed = _parse("I need information on runaways", vocabulary)
    assert [w.text for w in parsed.content] == ["runaways"]
    information = next(w for w in parsed.words if w.text == "information")
    assert information.indexed
    assert not information.content


def test_words_are_folded_and_each_content_word_counts_once(vocabulary: Vocabulary) -> None:
    parsed = _parse("Niños NIÑOS regresó", vocabulary)
    assert [w.text for w in parsed.words] == ["ninos", "ninos", "regreso"]
    assert parsed.content_words == ("ninos", "regreso")


def test_the_query_language_follows_its_stop_words(vocabulary: Vocabulary) -> None:
    assert _parse("mi hijo no regresó a casa", vocabulary).language == "es"
    assert _parse("my son did not come home", vocabulary).language == "en"
    assert _parse("sextortion", vocabulary).language == "en"  # nothing to tell: English


def test_an_acronym_and_its_long_form_find_each_other(vocabulary: Vocabulary) -> None:
    short = _parse("CAC interview", vocabulary)
    assert [(a.phrase, a.covers, a.kind) for a in short.alternatives] == [
        ("children's advocacy center", (0,), "acronym")
    ]
    long = _parse("child abduction response teams", vocabulary)
    assert ("cart", (0, 1, 2, 3), "acronym") in [
        (a.phrase, a.covers, a.kind) for a in long.alternatives
    ]


def test_a_synonym_group_is_matched_by_stems_and_never_repeats_what_was_typed(
    vocabulary: Vocabulary,
) -> None:
    parsed = _parse("runaways", vocabulary)
    phrases = [a.phrase for a in parsed.alternatives]
    assert "run away" in phrases
    assert all(a.kind == "synonym" for a in parsed.alternatives)
    assert "runaway" not in phrases
    assert "runaways" not in phrases


def test_a_long_query_is_cut_at_max_words(vocabulary: Vocabulary) -> None:
    text = " ".join(f"word{n}" for n in range(MAX_WORDS + 20))
    assert len(_parse(text, vocabulary).words) == MAX_WORDS
    assert len(typed_words(text)) == MAX_WORDS


def test_a_correction_replaces_only_the_corrected_words() -> None:
    assert corrected('"Sextorsion" guide  for abductoin', {"abductoin": "abduction"}) == (
        '"Sextorsion" guide for abduction'
    )


def test_marking_accepts_forms_of_a_word_and_refuses_words_that_only_share_its_start(
    vocabulary: Vocabulary,
) -> None:
    pattern, keep = _parse("missing", vocabulary).marking("en", analyse_word)
    assert pattern is not None
    found = [m.group() for m in pattern.finditer("missing children, a mission, missed")]
    assert [w for w in found if keep(w)] == ["missing", "missed"]
