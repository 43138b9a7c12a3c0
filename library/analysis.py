"""Text analysis: the analyzers of the schema, and a fast path that gives the same terms.

Whoosh analyses a document token by token through a chain of Python generators, which is most of
the cost of indexing. analyse() produces exactly the same terms and positions with list-level
operations, so ingest workers can do the analysis in parallel and hand the single index writer
ready postings. A test checks the two agree. May import: whoosh.analysis, whoosh.formats.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.formats import Positions
from whoosh.support.charset import accent_map

_POSITIONS = Positions()


def analyzer(lang: str) -> Analyzer:
    """Tokenise, lowercase, drop stop words, stem in lang, then fold accents."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | StopFilter(lang=lang)
        | StemFilter(lang=lang, cachesize=100_000)
        | CharsetFilter(accent_map)
    )


class Postings(list[tuple[bytes, int, float, bytes]]):
    """A field value analysed ahead of time: (term, frequency, weight, encoded positions)."""

    def __init__(self, items: list[tuple[bytes, int, float, bytes]], spelling: list[str]) -> None:
        """Hold the postings and the unstemmed words for spelling suggestions."""
        super().__init__(items)
        self.spelling = spelling

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as plain data (postings cross from ingest workers to the writer)."""
        return (Postings, (list(self), self.spelling))


@dataclass(frozen=True, slots=True)
class Analysed:
    """The terms of a text in order (positions implied), and its unstemmed words."""

    terms: list[str]
    first_position: int
    words: list[str]


def analyse(text: str, lang: str) -> Analysed:
    """What analyzer(lang) yields for text, computed a list at a time."""
    pattern, stops, minsize, stem, charmap = _parts(lang)
    lowered = [m.group(0).lower() for m in pattern.finditer(text)]
    kept = [i for i, word in enumerate(lowered) if len(word) >= minsize and word not in stops]
    words = [lowered[i] for i in kept]
    terms = [stem(word).translate(charmap) for word in words]
    first = kept[0] if kept else 0
    return Analysed(terms, first, sorted({w.translate(charmap) for w in words}))


def postings(text: str, lang: str) -> Postings:
    """A text's postings for a positions-format field, as whoosh's writer would compute them."""
    analysed = analyse(text, lang)
    positions: defaultdict[str, list[int]] = defaultdict(list)
    for offset, term in enumerate(analysed.terms):
        positions[term].append(analysed.first_position + offset)
    encode = _POSITIONS.encode
    items = [(t.encode("utf-8"), len(p), float(len(p)), encode(p)) for t, p in positions.items()]
    return Postings(items, analysed.words)


@lru_cache(maxsize=4)
def _parts(lang: str) -> tuple[Any, frozenset[str], int, Any, dict[int, str]]:
    """The pieces of the language's analyzer that the fast path applies."""
    tokenizer, _lowercase, stop, stemmer, charset = analyzer(lang).items
    if stop.max is not None or stemmer.ignore:
        raise ValueError("the fast analysis path assumes no maximum token size or stem ignores")
    stem = lru_cache(maxsize=200_000)(stemmer._stem)
    return tokenizer.expression, frozenset(stop.stops), stop.min, stem, charset.charmap
