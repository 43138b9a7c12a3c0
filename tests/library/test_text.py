"""Text normalisation: what extraction hands to analysis."""

from __future__ import annotations

import pytest

from library.text import fold, fold_accents, normalize_text


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


def test_fold_accents_keeps_every_offset_so_marks_land_on_the_original_letters() -> None:
    text = "Niños y Niñas: Información en Español, à côté"
    folded = fold_accents(text)
    assert folded == "Ninos y Ninas: Informacion en Espanol, a cote"
    assert len(folded) == len(text)
    start = folded.index("informacion".capitalize())
    assert text[start : start + len("informacion")] == "Información"


def test_fold_compares_without_case_or_any_accent_and_may_change_lengths() -> None:
    assert fold("ÉXITO Ångström ﬁn") == fold("exito angstrom fin") == "exito angstrom fin"
    assert fold("Straße") == "strasse"
