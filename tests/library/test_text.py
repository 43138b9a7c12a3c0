"""Text normalisation: what extraction hands to analysis."""

from __future__ import annotations

import pytest

from library.text import normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("the recov-\nery plan", "the recovery plan"),
        ("veri\u2010\n   fy it", "verify it"),  # a typographic hyphen, an indented next line
        ("self-\nCare", "self-\nCare"),  # a capital starts a new word: the hyphen stays
        ("pages 10 -\nand more", "pages 10 -\nand more"),  # no word before the hyphen
        ("a-\nb-\nc", "abc"),
        ("one  two\tthree\u00a0four \t five", "one two three four five"),
        ("  lead and trail  \n next", "lead and trail\nnext"),
        ("\ufb01eld soft\u00adhyphen", "field softhyphen"),
        ("para one\n\n\n\n para two", "para one\n\npara two"),
        ("bell\x07and\u200bzero", "bell and zero"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    """Ligatures, broken words, runs of space, blank lines and control characters."""
    assert normalize_text(raw) == expected
