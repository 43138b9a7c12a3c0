"""Highlighted snippets: escaped text with <mark> around the words that matched.

Matches by word prefix against the query's stems and words, which costs a regex pass instead of
re-analysing the text. The pass is most of a snippet's cost (about 20 ns a character), so it reads
a long document a chunk at a time and stops at the first chunk whose best window already holds
enough of the query's words; it never reads past SCAN_CHARS. May import: text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from html import escape

from library.text import fold_accents, trie_pattern

SCAN_CHARS = 60_000
CHUNK_CHARS = 6_000
ENOUGH_WORDS = 3  # distinct matched words in one window that end the scan early
WINDOW = 260


@lru_cache(maxsize=256)
def matcher(terms: frozenset[str]) -> re.Pattern[str] | None:
    """A regex for words starting with any of the terms (stems or typed words), in lowercase text.

    The terms branch one character at a time (a trie), so the engine tries at each word start
    only the terms that share the characters read so far; the longest term is found first.
    """
    prefixes = {t.lower() for t in terms if len(t) >= 2}
    if not prefixes:
        return None
    return re.compile(rf"\b{trie_pattern(prefixes)}\w*")


def make_snippet(
    text: str,
    pattern: re.Pattern[str] | None,
    fallback: str = "",
    enough: int = ENOUGH_WORDS,
    keep: Callable[[str], bool] | None = None,
) -> str:
    """The best window of text around the matches, escaped, with matches marked.

    The pattern finds words starting with a query's stem; keep, when given, says which of them
    really are the query's words or forms of them ('mission' starts with the stem 'miss' but is
    not a form of 'missing'). Reading stops early at a window with `enough` distinct matched
    words (fewer for a query of fewer words).
    """
    return located_snippet(text, pattern, fallback, enough, keep)[0]


def located_snippet(
    text: str,
    pattern: re.Pattern[str] | None,
    fallback: str = "",
    enough: int = ENOUGH_WORDS,
    keep: Callable[[str], bool] | None = None,
) -> tuple[str, int | None]:
    """make_snippet's snippet, and the offset in text of the best window's first match (None
    when nothing matched): what a PDF hit's page is found from."""
    found: list[re.Match[str]] = []
    if pattern is None:
        scan, start = text[:CHUNK_CHARS], 0
    else:
        scan, found, start = _scan(text, pattern, enough, keep)
    if not found:
        return escape(_cut(fallback or scan, 0, WINDOW)), None
    begin = max(0, scan.rfind(" ", 0, max(0, start - 40)) + 1) if start > 40 else 0
    end = min(len(scan), begin + WINDOW)
    end = scan.find(" ", end) if scan.find(" ", end) != -1 and end < len(scan) else len(scan)
    parts = ["\u2026 " if begin else ""]
    cursor = begin
    for match in found:
        if match.start() < begin or match.end() > end:
            continue
        parts.append(escape(scan[cursor : match.start()]))
        parts.append(f"<mark>{escape(scan[match.start() : match.end()])}</mark>")
        cursor = match.end()
    parts.append(escape(scan[cursor:end]))
    if end < len(text):
        parts.append(" \u2026")
    return " ".join("".join(parts).split()), start


def _scan(
    text: str, pattern: re.Pattern[str], enough: int, keep: Callable[[str], bool] | None = None
) -> tuple[str, list[re.Match[str]], int]:
    """The text read, the matches in it and the best window's start.

    Reads CHUNK_CHARS more at a time (cut at a space) until a window holds `enough` distinct
    matched words or SCAN_CHARS are read.
    """
    folded = fold_accents(text[:SCAN_CHARS])
    lowered = folded.lower()
    if len(lowered) == len(folded):  # offsets still line up: match without IGNORECASE (2x faster)
        folded = lowered
    else:
        pattern = re.compile(pattern.pattern, re.IGNORECASE)
    found: list[re.Match[str]] = []
    read = start = 0
    while read < len(folded):
        stop = folded.find(" ", read + CHUNK_CHARS)
        stop = len(folded) if stop == -1 else stop
        more = len(found)
        matches = pattern.finditer(folded, read, stop)
        found.extend(m for m in matches if keep is None or keep(m.group()))
        read = stop
        if len(found) > more:
            start, distinct = _best_start(found)
            if distinct >= enough:
                break
    return text[:read], found, start


def _best_start(found: list[re.Match[str]]) -> tuple[int, int]:
    """Start of the window holding the most distinct matched words, and their number."""
    words = [match.group(0).lower() for match in found]
    in_window: dict[str, int] = {}
    best, best_count, last = found[0].start(), 0, 0
    for first, match in enumerate(found):  # a sliding window: each match enters and leaves once
        while last < len(found) and found[last].end() - match.start() <= WINDOW - 40:
            in_window[words[last]] = in_window.get(words[last], 0) + 1
            last += 1
        if len(in_window) > best_count:
            best, best_count = match.start(), len(in_window)
        if last > first:
            word = words[first]
            in_window[word] -= 1
            if not in_window[word]:
                del in_window[word]
        else:
            last = first + 1
    return best, best_count


def _cut(text: str, begin: int, size: int) -> str:
    """Up to size characters from begin, ending at a word boundary."""
    flat = " ".join(text[begin : begin + size * 2].split())
    if len(flat) <= size:
        return flat
    return flat[:size].rsplit(" ", 1)[0] + " \u2026"


def mark_all(
    text: str, pattern: re.Pattern[str] | None, keep: Callable[[str], bool] | None = None
) -> str:
    """The whole text, escaped, with every match of pattern that keep accepts marked (accents
    and case ignored)."""
    if pattern is None:
        return escape(text)
    folded = fold_accents(text)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        folded = lowered
    else:
        pattern = re.compile(pattern.pattern, re.IGNORECASE)
    parts, cursor = [], 0
    for match in pattern.finditer(folded):
        if keep is not None and not keep(match.group()):
            continue
        parts.append(escape(text[cursor : match.start()]))
        parts.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
        cursor = match.end()
    parts.append(escape(text[cursor:]))
    return "".join(parts)
