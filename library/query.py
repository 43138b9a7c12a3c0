"""From what a user typed to what to match and score: words, "phrases", acronyms and synonyms.

Nothing typed is parsed as query syntax: colons, brackets, wildcards and operators are just
punctuation, so no input can reach a field or break a search. May import: analysis,
schema, vocab, text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from library.analysis import analyzer
from library.schema import BODY, LANGS, SUMMARY, TITLE
from library.text import fold, words
from library.vocab import Vocabulary

BOOSTS = {"title": 4.0, "summary": 2.0, "body": 1.0}
EXPANSION_BOOST = 0.6  # a synonym counts for less than the word itself
CORRECTION_BOOST = 0.8  # a misspelt word also searches for its likely correction
TOPIC_BOOST = 1.5  # a typed synonym of a topic favours documents tagged with it
MAX_WORDS = 32
MAX_PAIRS = 8
_QUOTED = re.compile(r'"([^"]*)"?')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

Leaf = tuple[str, str]  # (field, term): a term whose documents the search caches


class PhraseOption(NamedTuple):
    """A quoted phrase in one field: its terms in order, each 1 to `slop` positions after the last.

    Stop words inside the phrase are not indexed, so they widen the gap allowed after them.
    """

    field: str
    terms: tuple[str, ...]
    slop: int


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What to match, how to rank, and what snippets and spelling need to know.

    A document matches when it holds any leaf term or every word of an optional multi-word
    synonym; with quoted phrases it must hold every one of them (as phrases) instead. Matches are
    scored as a flat OR of the weighted terms and multi-word clauses (library.search sums their
    cached BM25F scores), while the ranking bonuses that need more (how many typed words a
    document has, typed words side by side in its title, its language) are applied by
    library.search to the top of the list.
    """

    weighted: tuple[tuple[str, str, float], ...] = ()  # the scored terms with boosts
    # the scored multi-word clauses (synonyms, quoted phrases), scored when every word is
    # present: per clause, per word, the word's weighted terms (any of which may match)
    all_words: tuple[tuple[tuple[tuple[str, str, float], ...], ...], ...] = ()
    leaves: tuple[Leaf, ...] = ()
    # optional multi-word synonyms: a document with all of a synonym's words matches
    synonyms: tuple[tuple[tuple[tuple[str, str, float], ...], ...], ...] = ()
    # quoted phrases: each must match in at least one of its fields
    required: tuple[tuple[PhraseOption, ...], ...] = ()
    groups: tuple[tuple[Leaf, ...], ...] = ()  # the leaves of each typed word, for coordination
    pairs: tuple[re.Pattern[str], ...] = ()  # adjacent typed words, to find in titles
    language: str = "en"  # the language the query seems to be written in
    words: tuple[str, ...] = ()  # folded words as typed, for spelling suggestions
    stems: dict[str, frozenset[str]] = field(default_factory=dict)  # lang -> analysed terms
    expansions: tuple[str, ...] = ()  # phrases added by acronyms and synonyms

    @property
    def searchable(self) -> bool:
        """False when nothing searchable was typed: the search browses everything."""
        return bool(self.weighted or self.all_words)


def typed_words(text: str) -> list[str]:
    """The folded words of a query, quoted or not, in order."""
    return [fold(w) for w in words(clean(text))][:MAX_WORDS]


def clean(text: str) -> str:
    """Drop control characters (NUL included) and collapse spaces."""
    return " ".join(_CONTROL.sub(" ", text).split())


def parse_query(
    text: str, vocabulary: Vocabulary, corrections: dict[str, str] | None = None
) -> ParsedQuery:
    """Words and synonyms in title, summary and body of both languages; quoted phrases must match.

    corrections maps misspelt words to likely corrections, which are searched too.
    """
    text = clean(text)
    quoted = [p for p in _QUOTED.findall(text) if words(p)]
    loose = [fold(w) for w in words(_QUOTED.sub(" ", text))][:MAX_WORDS]
    groups = [g for g in (_leaves(w) for w in loose) if g]
    weighted = [leaf for w in loose for leaf in _weighted(w, 1.0)]
    for wrong, right in (corrections or {}).items():
        if wrong in loose:
            weighted += _weighted(right, CORRECTION_BOOST)
    expansions = _expansions(loose, vocabulary)
    all_words = []
    for phrase in expansions:
        if len(words(phrase)) == 1:
            weighted += _weighted(phrase, EXPANSION_BOOST)
        else:
            all_words.append(_word_terms(phrase, EXPANSION_BOOST))
    weighted += [("topic", t, TOPIC_BOOST) for t in _topics(loose, vocabulary)]
    required = [c for c in (_phrase_clause(p) for p in quoted) if c]
    every_word = loose + [fold(w) for p in quoted for w in words(p)]
    stems = {
        lang: frozenset(t for w in every_word for t in analyse_word(lang, w)) for lang in LANGS
    }
    synonyms = [clause for clause in all_words if clause]
    all_words = synonyms + [_word_terms(p, 1.0) for p in quoted if _phrase_clause(p)]
    all_words = [clause for clause in all_words if clause]
    return ParsedQuery(
        weighted=tuple(weighted),
        all_words=tuple(all_words),
        synonyms=tuple(synonyms),
        leaves=tuple(dict.fromkeys((f, t) for f, t, _ in weighted)),
        required=tuple(required),
        groups=tuple(groups),
        pairs=_pair_patterns(loose),
        language=query_language(every_word),
        words=tuple(every_word),
        stems=stems,
        expansions=tuple(expansions),
    )


def is_stop_word(word: str, anywhere: bool = False) -> bool:
    """True for a word no language indexes ('the'), or with anywhere, some language ('de')."""
    check = any if anywhere else all
    return check(not analyse_word(lang, word) for lang in LANGS)


def query_language(typed: list[str]) -> str:
    """'es' when the typed words are more Spanish than English by stop words, else 'en'."""
    es = sum(1 for w in typed if not analyse_word("es", w) and analyse_word("en", w))
    en = sum(1 for w in typed if not analyse_word("en", w) and analyse_word("es", w))
    return "es" if es > en else "en"


def _pair_patterns(typed: list[str]) -> tuple[re.Pattern[str], ...]:
    """Adjacent typed words (stop words may stand between) as patterns over a folded title."""
    content = [w for w in typed if not is_stop_word(w)][: MAX_PAIRS + 1]
    patterns = []
    for first, second in zip(content, content[1:], strict=False):
        a = re.escape(analyse_word("en", first)[0] if analyse_word("en", first) else first)
        b = re.escape(analyse_word("en", second)[0] if analyse_word("en", second) else second)
        patterns.append(re.compile(rf"\b{a}\w*(?:\W+\w+){{0,2}}?\W+{b}", re.IGNORECASE))
    return tuple(dict.fromkeys(patterns))


@lru_cache(maxsize=50_000)
def analyse_word(lang: str, text: str) -> tuple[str, ...]:
    """The indexed terms of a word in one language (empty for a stop word)."""
    return tuple(t.text for t in _analyzer(lang)(text))


@lru_cache(maxsize=4)
def _analyzer(lang: str):  # type: ignore[no-untyped-def]
    """One analyzer per language, built once."""
    return analyzer(lang)


def _fields(lang: str) -> tuple[tuple[str, float], ...]:
    """The text fields of a language with their boosts."""
    return (
        (TITLE[lang], BOOSTS["title"]),
        (SUMMARY[lang], BOOSTS["summary"]),
        (BODY[lang], BOOSTS["body"]),
    )


def _weighted(word: str, boost: float) -> list[tuple[str, str, float]]:
    """One word's terms in every text field of both languages, with field boosts."""
    return [
        (name, term, weight * boost)
        for lang in LANGS
        for term in analyse_word(lang, word)[:1]
        for name, weight in _fields(lang)
    ]


def _leaves(word: str) -> tuple[Leaf, ...]:
    """One word's (field, term) leaves."""
    return tuple((name, term) for name, term, _ in _weighted(word, 1.0))


def _word_terms(phrase: str, boost: float) -> tuple[tuple[tuple[str, str, float], ...], ...]:
    """Per word of a phrase (stop words left out), its weighted terms."""
    return tuple(t for t in (tuple(_weighted(w, boost)) for w in words(phrase)) if t)


def _phrase_clause(phrase: str, slop: int = 0) -> tuple[PhraseOption, ...]:
    """A phrase in any text field of either language (empty when it has only stop words)."""
    options: list[PhraseOption] = []
    for lang in LANGS:
        # whoosh reuses one Token object while iterating, so copy what is needed
        tokens = [(t.text, t.pos) for t in _analyzer(lang)(phrase, positions=True)]
        if not tokens:
            continue
        gaps = slop + max(
            (b[1] - a[1] for a, b in zip(tokens, tokens[1:], strict=False)), default=1
        )
        texts = tuple(text for text, _ in tokens)
        options += [PhraseOption(name, texts, gaps) for name, _ in _fields(lang)]
    return tuple(options)


def _spans(tokens: list[str], longest: int = 5) -> list[tuple[int, int, str]]:
    """Every run of up to `longest` consecutive words, as (start, end, phrase)."""
    return [
        (i, j, " ".join(tokens[i:j]))
        for i in range(len(tokens))
        for j in range(i + 1, min(len(tokens), i + longest) + 1)
    ]


def _expansions(tokens: list[str], vocabulary: Vocabulary) -> list[str]:
    """Phrases equivalent to something typed: acronyms both ways, then equivalence groups.

    Phrases are compared by their word stems, so 'runaways' finds the group of 'runaway'.
    """
    typed = {_key(span) for _, _, span in _spans(tokens)}
    found: list[str] = []
    for short, long in vocabulary.acronyms:
        if _key(short) in typed:
            found.append(long)
        elif _key(long) in typed:
            found.append(short)
    for group in vocabulary.equivalents:
        if typed.intersection(_key(g) for g in group):
            found += list(group)
    return list(dict.fromkeys(f for f in found if _key(f) not in typed))


def _topics(tokens: list[str], vocabulary: Vocabulary) -> list[str]:
    """Topics whose label or a synonym was typed."""
    typed = {_key(span) for _, _, span in _spans(tokens)}
    return [
        term.id
        for term in vocabulary.topics.values()
        if typed.intersection(_key(fold(s)) for s in (term.label, *term.synonyms))
    ]


@lru_cache(maxsize=10_000)
def _key(phrase: str) -> tuple[str, ...]:
    """A phrase as comparable stems ("Children's Advocacy Centers" ~ "children's advocacy center")."""
    return tuple(
        stem
        for word in words(fold(phrase).replace("'", " ").replace("\u2019", " "))
        for stem in (analyse_word("en", word) or (word,))
    )
