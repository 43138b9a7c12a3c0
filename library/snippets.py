"""Highlighted snippets: escaped text with <mark> around the words that matched.

Scans only the start of long documents and matches by word prefix against the query's stems and
words, which costs a regex pass instead of re-analysing the text. May import: stdlib.
"""

from __future__ import annotations

import re
from html import escape

SCAN_CHARS = 60_000
WINDOW = 260
_FOLD = str.maketrans(
    "áàâäãåéèêëíìîïóòôöõúùûüñçÁÀÂÄÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇ",
    "aaaaaaeeeeiiiiooooouuuuncAAAAAAEEEEIIIIOOOOOUUUUNC",
)  # same length, so offsets in the folded text are offsets in the original


def matcher(terms: frozenset[str] | set[str]) -> re.Pattern[str] | None:
    """A regex for words starting with any of the terms (stems or typed words)."""
    prefixes = sorted({t for t in terms if len(t) >= 2}, key=len, reverse=True)
    if not prefixes:
        return None
    alternatives = "|".join(re.escape(p) for p in prefixes)
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)


def make_snippet(text: str, pattern: re.Pattern[str] | None, fallback: str = "") -> str:
    """The best window of text around the matches, escaped, with matches marked."""
    scan = text[:SCAN_CHARS]
    found = list(pattern.finditer(scan.translate(_FOLD))) if pattern else []
    if not found:
        return escape(_cut(fallback or scan, 0, WINDOW))
    start = _best_start(found)
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
    return " ".join("".join(parts).split())


def _best_start(found: list[re.Match[str]]) -> int:
    """Start of the window holding the most distinct matched words."""
    best, best_score = found[0].start(), 0
    for i, first in enumerate(found):
        distinct = set()
        for match in found[i:]:
            if match.end() - first.start() > WINDOW - 40:
                break
            distinct.add(match.group(0).lower())
        score = len(distinct) * 10 + 1
        if score > best_score:
            best, best_score = first.start(), score
    return best


def _cut(text: str, begin: int, size: int) -> str:
    """Up to size characters from begin, ending at a word boundary."""
    flat = " ".join(text[begin : begin + size * 2].split())
    if len(flat) <= size:
        return flat
    return flat[:size].rsplit(" ", 1)[0] + " \u2026"
