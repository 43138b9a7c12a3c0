"""Text normalisation shared by extraction, inference and search.

May import: stdlib.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

# In extracted text: control and invisible format characters, but not tab and line breaks.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
# Searched for from the hyphen, which is rare; a pattern that starts at \w tries every letter.
_HYPHEN_BREAK = re.compile(r"[-\u2010\u2011]\n[ \t]*(?=[a-z\u00e0-\u00ff])")
_WORD_CHAR = re.compile(r"\w")
# Runs that change: a tab or no-break space, or a space with more after it.
_SPACES = re.compile(r"(?: [ \t\u00a0]|[\t\u00a0])[ \t\u00a0]*")
# bullets and check boxes drawn as shapes or private-use symbol glyphs read as a plain bullet
_BULLETS = re.compile(
    r"[\u25a0-\u25ff\u2610-\u2612\uf06e\uf076\uf0a7\uf0b7\uf0d8\uf0fc\u2751-\u2752]"
)
_BLANK_LINES = re.compile(r"\n\s*\n\s*(?:\n\s*)+")
WORD = re.compile(r"\w+(?:['\u2019]\w+)?")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # in a query, a parameter or an id: any control


def normalize_text(text: str) -> str:
    """NFKC (ligatures become letters), drop control characters, join hyphenated words, tidy space."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00ad", "")  # soft hyphens only mark where a word may break
    text = _BULLETS.sub("\u2022", _UNPRINTABLE.sub(" ", text))
    text = _HYPHEN_BREAK.sub(_join_broken_word, text)
    lines = (line.strip() for line in _SPACES.sub(" ", text).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _join_broken_word(match: re.Match[str]) -> str:
    """Drop a line-end hyphen between two parts of a word ("recov-\nery"); keep any other."""
    start = match.start()
    return "" if start and _WORD_CHAR.match(match.string, start - 1) else match.group()


def fold(text: str) -> str:
    """Lowercase and strip accents, for accent-insensitive comparison."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return unicodedata.normalize("NFKD", folded).translate(_NO_MARKS)


_FOLD_ACCENTS = str.maketrans(
    "áàâäãåéèêëíìîïóòôöõúùûüñçÁÀÂÄÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇ",
    "aaaaaaeeeeiiiiooooouuuuncAAAAAAEEEEIIIIOOOOOUUUUNC",
)  # one letter for one letter


def fold_accents(text: str) -> str:
    """The Spanish and French accented letters made plain, one for one: unlike fold(), offsets in
    the result are offsets in the text (snippets and the reading view mark the original)."""
    return text.translate(_FOLD_ACCENTS)


class _CombiningMarks(dict[int, int | None]):
    """A str.translate table deleting combining characters, filled as characters are met."""

    def __missing__(self, code: int) -> int | None:
        """Decide for one character and remember it."""
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_NO_MARKS = _CombiningMarks()


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of words (or phrases), the longest first, one character at a time.

    A flat alternation makes the regex engine try every word at every position; the trie tries
    only the words that share the characters read so far.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _trie_alternatives(trie)


def _trie_alternatives(node: dict[str, Any]) -> str:
    """The regex of a trie node: its branches, optional where a word ends."""
    branches = [
        re.escape(char) + _trie_alternatives(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def words(text: str) -> list[str]:
    """The words of text, in order (letters, digits and inner apostrophes)."""
    return WORD.findall(text)


def one_line(text: str, limit: int) -> str:
    """Collapse text to one line and cut it at a word boundary near limit characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.-") + "\u2026"
