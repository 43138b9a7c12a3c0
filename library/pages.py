"""Pages inside PDFs: which page an offset of the extracted text is on, and the pages a query's
words are found on (a document page's search-within box).

Extraction records where each page starts in the stored text (Document.page_starts); a page is
one bisect away. May import: index, query, snippets, models, errors,
text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from library.errors import DocumentNotFound
from library.index import LibraryIndex
from library.models import Document
from library.query import analysed_language, parse_query
from library.snippets import make_snippet
from library.text import fold_accents, words

MAX_PAGES_LISTED = 50
_QUOTED = re.compile(r'"([^"]+)"')
WITHIN_CHARS = 2_000_000  # the extraction's cap: a whole document is read, never more


@dataclass(frozen=True, slots=True)
class PageMatch:
    """A page holding the query's words: how many matches, and a snippet of the first."""

    page: int
    matches: int
    snippet: str


@dataclass(frozen=True, slots=True)
class Within:
    """The pages of one document that match a query (at most MAX_PAGES_LISTED of them)."""

    query: str
    pages: tuple[PageMatch, ...]
    total_pages: int  # pages that match, listed or not
    total_matches: int


def page_at(page_starts: Sequence[int], offset: int | None) -> int | None:
    """The 1-based page holding text[offset], or None without page starts or an offset."""
    if offset is None or len(page_starts) < 2:
        return None
    return max(1, bisect_right(page_starts, offset))


def matching_pages(
    text: str,
    page_starts: Sequence[int],
    pattern: re.Pattern[str] | None,
    query: str = "",
    keep: Callable[[str], bool] | None = None,
) -> Within:
    """Every page of text on which pattern matches (what keep accepts of it), in page order,
    with a snippet each."""
    if pattern is None or len(page_starts) < 2:
        return Within(query, (), 0, 0)
    counts: dict[int, int] = {}
    for match in _find(text[:WITHIN_CHARS], pattern, keep):
        page = page_at(page_starts, match) or 1
        counts[page] = counts.get(page, 0) + 1
    listed = []
    for page in sorted(counts)[:MAX_PAGES_LISTED]:
        start = page_starts[page - 1]
        end = page_starts[page] if page < len(page_starts) else len(text)
        snippet = make_snippet(text[start:end], pattern, keep=keep)
        listed.append(PageMatch(page, counts[page], snippet))
    return Within(query, tuple(listed), len(counts), sum(counts.values()))


def _find(text: str, pattern: re.Pattern[str], keep: Callable[[str], bool] | None) -> list[int]:
    """Offsets of every match, case- and accent-insensitive as the snippets match."""
    folded = fold_accents(text)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        found = pattern.finditer(lowered)
    else:
        found = re.finditer(pattern.pattern, folded, re.IGNORECASE)
    return [m.start() for m in found if keep is None or keep(m.group())]


def search_within(lib: LibraryIndex, doc_id: str, query: str) -> Within:
    """The pages of a document that hold the words of query (as search matches them)."""
    doc = _document_with_text(lib, doc_id)
    phrases = phrase_pattern(query)
    if phrases is not None:  # "a quoted phrase": the pages holding it, as search requires
        return matching_pages(doc.body, doc.page_starts, phrases, query)
    parsed = parse_query(query, lib.vocabulary, lib.engine.analyse)
    pattern, keep = parsed.marking(analysed_language(doc.language), lib.engine.analyse)
    return matching_pages(doc.body, doc.page_starts, pattern, query, keep)


def phrase_pattern(query: str) -> re.Pattern[str] | None:
    """A regex for the quoted phrases of a query (each word a prefix, in order), or None.

    It matches text folded as snippets fold it (lowercase, common accents removed).
    """
    alternatives = []
    for phrase in _QUOTED.findall(query):
        found = [fold_accents(word.lower()) for word in words(phrase)]
        if found:
            alternatives.append(r"\W+".join(re.escape(word) + r"\w*" for word in found))
    if not alternatives:
        return None
    return re.compile(r"\b(?:" + "|".join(alternatives) + ")")


def _document_with_text(lib: LibraryIndex, doc_id: str) -> Document:
    """A document with its text and page starts."""
    doc = lib.engine.document(doc_id, with_body=True)
    if doc is None:
        raise DocumentNotFound(f"no publication with id {doc_id!r}")
    return doc
