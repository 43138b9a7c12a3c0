"""Text analysis: the analyzers of the schema, and a fast path that gives the same terms.

Whoosh analyses a document token by token through a chain of Python generators, which is most of
the cost of indexing. analyse() produces exactly the same terms and positions with list-level
operations, so ingest workers can do the analysis in parallel and hand the single index writer
ready postings. A test checks the two agree. May import: whoosh.analysis, whoosh.formats.
"""

from __future__ import annotations

import pickle
import re
import struct
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import sub
from typing import Any, TypeVar

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.support.charset import accent_map

_K = TypeVar("_K")
_V = TypeVar("_V")


def analyzer(lang: str) -> Analyzer:
    """Tokenise, lowercase, drop stop words, fold accents, then stem in lang.

    Accents are folded before stemming, so a word typed without them ("informacion",
    "policia", as people type on phones) has the same term as the word written with them.
    """
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | StopFilter(lang=lang)
        | CharsetFilter(accent_map)
        | StemFilter(lang=lang, cachesize=100_000)
    )


@lru_cache(maxsize=50_000)
def analyse_word(lang: str, text: str) -> tuple[str, ...]:
    """The indexed terms of a word in one language (empty for a stop word): the library's
    query analysis (library.query.Analyse) for this engine."""
    return tuple(t.text for t in _analyzer(lang)(text))


def phrase_tokens(lang: str, text: str) -> list[tuple[str, int]]:
    """A phrase's indexed terms with their positions (copied: whoosh reuses one token object)."""
    return [(t.text, t.pos) for t in _analyzer(lang)(text, positions=True)]


@lru_cache(maxsize=4)
def _analyzer(lang: str) -> Analyzer:
    """One analyzer per language, built once."""
    return analyzer(lang)


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
    parts = _parts(lang)
    lowered_text = text.lower()
    if len(lowered_text) == len(text):  # lowering kept every character apart: tokenise once
        lowered = parts.findall(lowered_text)
    else:
        lowered = [m.group(0).lower() for m in parts.pattern.finditer(text)]
    stops, minsize = parts.stops, parts.minsize
    words = [w for w in lowered if len(w) >= minsize and w not in stops]
    first = next((i for i, w in enumerate(lowered) if len(w) >= minsize and w not in stops), 0)
    terms = list(map(parts.terms.__getitem__, words))
    spelling = sorted(set(map(parts.folded.__getitem__, set(words))))
    return Analysed(terms, first, spelling)


def postings(text: str, lang: str) -> Postings:
    """A text's postings for a positions-format field, as whoosh's writer would compute them."""
    analysed = analyse(text, lang)
    positions: defaultdict[str, list[int]] = defaultdict(list)
    for position, term in enumerate(analysed.terms, analysed.first_position):
        positions[term].append(position)
    one = _ONE_POSITION  # most terms occur once in a text: their postings share encodings
    items = [
        (term.encode(), 1, 1.0, one[found[0]]) if len(found) == 1 else _posting(term, found)
        for term, found in positions.items()
    ]
    return Postings(items, analysed.words)


def _posting(term: str, positions: list[int]) -> tuple[bytes, int, float, bytes]:
    """The posting of a term that occurs more than once."""
    count = len(positions)
    weight = _WEIGHTS[count] if count < len(_WEIGHTS) else float(count)
    return term.encode(), count, weight, _encode_positions(positions)


def _encode_positions(positions: list[int]) -> bytes:
    """whoosh.formats.Positions.encode: the count, then the pickled gaps between positions."""
    gaps = positions if len(positions) == 1 else [positions[0], *map(sub, positions[1:], positions)]
    return _PACK_COUNT(len(positions)) + pickle.dumps(gaps, 2)


_PACK_COUNT = struct.Struct("!I").pack  # whoosh.system.pack_uint
# The weights of small frequencies, shared: an ingest worker holds millions of postings.
_WEIGHTS = tuple(map(float, range(256)))


class _Memo(dict[_K, _V]):
    """A cache of a function (of words, mostly), filled on first use."""

    def __init__(self, function: Callable[[_K], _V]) -> None:
        """Remember the function."""
        super().__init__()
        self._function = function

    def __missing__(self, key: _K) -> _V:
        """Compute, store and return the value for a new key."""
        value = self._function(key)
        if len(self) < 500_000:
            self[key] = value
        return value


# The encodings of single positions, the most common posting, computed and held once.
_ONE_POSITION: _Memo[int, bytes] = _Memo(lambda position: _encode_positions([position]))


@dataclass(frozen=True, slots=True)
class _Parts:
    """The pieces of a language's analyzer that the fast path applies."""

    pattern: Any  # the tokenizer's expression
    findall: Any  # the same expression without groups, as a findall
    stops: frozenset[str]
    minsize: int
    terms: _Memo[str, str]  # word -> stemmed and accent-folded term
    folded: _Memo[str, str]  # word -> accent-folded word (for spelling)


@lru_cache(maxsize=4)
def _parts(lang: str) -> _Parts:
    """The pieces of the language's analyzer, checked to be the ones the fast path assumes."""
    tokenizer, _lowercase, stop, charset, stemmer = analyzer(lang).items
    if stop.max is not None or stemmer.ignore or tokenizer.gaps:
        raise ValueError("the fast analysis path assumes no maximum token size or stem ignores")
    pattern = tokenizer.expression
    whole = re.compile(re.sub(r"\((?!\?)", "(?:", pattern.pattern), pattern.flags)
    charmap = charset.charmap
    stem = stemmer._stem
    return _Parts(
        pattern=pattern,
        findall=whole.findall,
        stops=frozenset(stop.stops),
        minsize=stop.min,
        terms=_Memo(lambda word: stem(word.translate(charmap))),
        folded=_Memo(lambda word: word.translate(charmap)),
    )
