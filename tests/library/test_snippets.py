"""Snippets: the best window, marked and escaped, read a chunk at a time."""

from __future__ import annotations

from library.snippets import CHUNK_CHARS, SCAN_CHARS, WINDOW, make_snippet, matcher

FILLER = "Nothing relevant is said in this sentence at all. "


def test_a_match_beyond_the_first_chunks_is_found_and_marked() -> None:
    """Reading goes on chunk by chunk until the words turn up."""
    text = (
        FILLER * (3 * CHUNK_CHARS // len(FILLER)) + "Report the <abduction> to NCIC now. " + FILLER
    )
    snippet = make_snippet(text, matcher(frozenset({"abduct", "ncic"})))
    assert "<mark>abduction</mark>" in snippet
    assert "&lt;" in snippet
    assert "<abduction>" not in snippet
    assert snippet.startswith("\u2026 ")


def test_reading_stops_at_the_first_chunk_with_enough_words() -> None:
    """An early window with three query words is kept; a later one with four is never read."""
    early = "Call police about the missing child right away. "
    late = "The missing child case needs police and family. "
    text = early + FILLER * (2 * CHUNK_CHARS // len(FILLER)) + late
    snippet = make_snippet(
        text, matcher(frozenset({"missing", "child", "polic", "famil"})), enough=3
    )
    assert snippet.startswith("Call <mark>police</mark>")


def test_the_window_with_the_most_distinct_words_is_chosen() -> None:
    """Repeating one word does not beat a window with several different ones."""
    text = "amber " * 40 + FILLER * 10 + "amber alert criteria for abduction cases. " + FILLER * 10
    snippet = make_snippet(text, matcher(frozenset({"amber", "alert", "abduct"})), enough=3)
    assert "<mark>amber</mark> <mark>alert</mark> criteria for <mark>abduction</mark>" in snippet
    assert len(snippet) < WINDOW + 120  # marks and ellipses aside, one window


def test_nothing_is_read_past_the_scan_limit() -> None:
    """Words after SCAN_CHARS are not looked for; the fallback is shown."""
    text = FILLER * (SCAN_CHARS // len(FILLER) + 10) + "sextortion"
    assert (
        make_snippet(text, matcher(frozenset({"sextortion"})), fallback="A summary.")
        == "A summary."
    )


def test_only_whole_words_or_their_forms_are_marked() -> None:
    """'miss' (the stem of 'missing') starts 'mission' too: keep says which words are forms."""
    text = "The unit's mission is to find missing children; a child missed school."
    forms = {"missing", "missed", "miss"}
    snippet = make_snippet(text, matcher(frozenset({"miss", "missing"})), keep=forms.__contains__)
    assert "<mark>missing</mark>" in snippet
    assert "<mark>missed</mark>" in snippet
    assert "<mark>mission</mark>" not in snippet
    assert "<mark>miss</mark>ion" not in snippet
