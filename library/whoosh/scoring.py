"""A parsed query against one generation: which documents match, fully or in part, and their
scores, from posting lists read once and kept per generation (library.caches).

The ranking policy (library.ranking) says how to score; this module reads what scoring needs:
each term's frequencies in the title, summary and body of its language, the fields' lengths, and
word positions for quoted phrases. May import: caches, query, ranking, text, whoosh.engine,
whoosh.postings, whoosh.analysis, whoosh.schema.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from library.query import Alternative, ParsedQuery
from library.ranking import RankingPolicy, full_match_needs, idf, length_norm, saturate
from library.text import words
from library.whoosh.analysis import analyse_word, phrase_tokens
from library.whoosh.postings import read_positions, read_postings
from library.whoosh.schema import BODY, LANGS, SUMMARY, TITLE

if TYPE_CHECKING:
    from library.whoosh.engine import WhooshEngine

Term = tuple[str, str]  # (language, term)
_FIELDS = {"title": TITLE, "summary": SUMMARY, "body": BODY}


class PhraseOption(NamedTuple):
    """A quoted phrase in one field: its terms in order, each 1 to `slop` positions after the last.

    Stop words inside the phrase are not indexed, so they widen the gap allowed after them.
    """

    field: str
    terms: tuple[str, ...]
    slop: int


@dataclass(frozen=True, slots=True)
class Match:
    """Every matching document's score, and which of them are full matches."""

    scores: dict[int, float]
    full: set[int]
    partial: set[int]
    typed: set[int]  # the documents holding a typed word (not only an alternative)


def word_terms(word: str) -> tuple[Term, ...]:
    """A word's indexed term in each language that indexes it."""
    return tuple((lang, t) for lang in LANGS for t in analyse_word(lang, word)[:1])


def match(engine: WhooshEngine, parsed: ParsedQuery, policy: RankingPolicy) -> Match:
    """Score every document holding what was asked; split full matches from partial ones.

    Alternatives count as the typed words they stand for, never on top of them: for each span
    of typed words, a document scores the better of the typed words and the best alternative
    (a synonym, an acronym, a translation), and an alternative is weighed at most as the typed
    word it replaces (times expansion_weight). So a document reached only through a translation
    ranks below one holding what was typed.
    """
    counts = Counter(w.text for w in parsed.words)
    counts.update(w for phrase in parsed.phrases for w in phrase)
    per_word = {word: _word_scores(engine, word, count, policy) for word, count in counts.items()}
    scores: defaultdict[int, float] = defaultdict(float)
    for found in per_word.values():
        _add(scores, found, 1.0)
    typed = [w.text for w in parsed.words]
    spans: defaultdict[tuple[int, ...], dict[int, float]] = defaultdict(dict)
    for alternative in parsed.alternatives:
        best = spans[alternative.covers]
        for docnum, score in _alternative_scores(engine, alternative, typed, policy).items():
            best[docnum] = max(score, best.get(docnum, 0.0))
    for covers, best in spans.items():
        words_of_span = {typed[i] for i in covers}
        for docnum, score in best.items():
            have = sum(per_word[w].get(docnum, 0.0) for w in words_of_span)
            if score > have:
                scores[docnum] += score - have
    full, partial = _split(engine, parsed, policy, set(scores))
    return Match(dict(scores), full, partial, set().union(*per_word.values()))


def _word_scores(
    engine: WhooshEngine, word: str, count: int, policy: RankingPolicy
) -> dict[int, float]:
    """A typed word's score in every document holding it (in either language)."""
    weight = count * word_idf(engine, word, policy)
    found: defaultdict[int, float] = defaultdict(float)
    for term in word_terms(word):
        _add(found, term_scores(engine, term, policy), weight)
    return found


def _alternative_scores(
    engine: WhooshEngine, alternative: Alternative, typed: list[str], policy: RankingPolicy
) -> dict[int, float]:
    """An alternative's score in the documents holding all its words."""
    docs = alternative_docs(engine, alternative, policy)
    cap = max(word_idf(engine, typed[i], policy) for i in alternative.covers)
    found: defaultdict[int, float] = defaultdict(float)
    for word in words(alternative.phrase):
        weight = policy.expansion_weight * min(word_idf(engine, word, policy), cap)
        for term in word_terms(word):
            scores = term_scores(engine, term, policy)
            _add(found, {d: scores[d] for d in docs if d in scores}, weight)
    return found


def _add(scores: defaultdict[int, float], found: dict[int, float], weight: float) -> None:
    """Add a term's scores, times a weight, to the documents' scores."""
    for docnum, score in found.items():
        scores[docnum] += weight * score


def _split(
    engine: WhooshEngine, parsed: ParsedQuery, policy: RankingPolicy, candidates: set[int]
) -> tuple[set[int], set[int]]:
    """(full, partial): documents holding enough of the typed content words and quoted phrases
    (each phrase as a whole), and the rest."""
    units: list[set[int] | frozenset[int]] = [
        _word_docs(engine, parsed, word.text, word.position, policy) for word in parsed.content
    ]
    units += [phrase_docs(engine, phrase, policy) for phrase in parsed.phrases]
    if not units:
        return candidates, set()
    covered: defaultdict[int, float] = defaultdict(float)
    weights = []
    documents = len(_docnums(engine))
    for docs in units:
        weight = idf(documents, len(docs))
        weights.append(weight)
        for docnum in docs & candidates:
            covered[docnum] += weight
    needed = full_match_needs(weights, policy)
    full = {d for d in candidates if covered.get(d, 0.0) >= needed}
    return full, candidates - full


def _word_docs(
    engine: WhooshEngine, parsed: ParsedQuery, word: str, position: int, policy: RankingPolicy
) -> set[int]:
    """Documents holding a typed word in any of its forms, or an alternative standing for it."""
    docs = set().union(*(term_scores(engine, t, policy) for t in word_terms(word)))
    for alternative in parsed.alternatives:
        if position in alternative.covers:
            docs |= alternative_docs(engine, alternative, policy)
    return docs


def alternative_docs(
    engine: WhooshEngine, alternative: Alternative, policy: RankingPolicy
) -> set[int]:
    """Documents holding every word of an alternative, each word in any of its forms.

    A multi-word alternative matches by its words, not as an exact phrase: checking positions in
    every document holding common words cost seconds per new synonym at 10,000 documents, and a
    document with all the words is almost always about the same thing.
    """
    found = [
        set().union(*(term_scores(engine, t, policy) for t in word_terms(w)))
        for w in words(alternative.phrase)
        if word_terms(w)
    ]
    return set.intersection(*found) if found else set()


def word_idf(engine: WhooshEngine, word: str, policy: RankingPolicy) -> float:
    """A typed word's idf, from the documents holding it in any language.

    A word counts as rare only if it is rare in the whole library: 'missing' is common in
    English documents, and its Spanish form must not make the few Spanish documents quoting
    an English name look like the best answers to an English question.
    """
    docs = set().union(*(term_scores(engine, t, policy) for t in word_terms(word)))
    return idf(len(_docnums(engine)), len(docs))


def term_scores(engine: WhooshEngine, term: Term, policy: RankingPolicy) -> dict[int, float]:
    """docnum -> BM25F saturated frequency (times the word's idf, a score) of every document
    holding a term, kept per generation.

    One dict serves as the term's document set too (set operations take its keys in C). Equal
    values (the same frequencies and quantised lengths) share one float object.
    """
    key = ("bm25f", policy.scoring_key, term)
    return engine.caches.postings.get(key, lambda: _read_term_scores(engine, term, policy))  # type: ignore[no-any-return]


def _read_term_scores(engine: WhooshEngine, term: Term, policy: RankingPolicy) -> dict[int, float]:
    """Combine a term's field frequencies, each normalised by its field's length, then saturate."""
    lang, text = term
    reader = engine.searcher().reader()
    combined: dict[int, float] = {}
    for kind, fields in _FIELDS.items():
        weight = policy.weight(kind)
        if not weight:
            continue
        ids, frequencies, _ = read_postings(reader, fields[lang], text)
        norms = _norms(engine, fields[lang], policy.b)
        for docnum, tf in zip(ids, frequencies, strict=True):
            combined[docnum] = combined.get(docnum, 0.0) + weight * tf * norms[docnum]
    shared: dict[float, float] = {}
    numbers = _docnums(engine)
    return {
        numbers[d]: shared.setdefault(s, s)
        for d, s in ((d, saturate(f, 1.0, policy.k1)) for d, f in combined.items())
    }


def _norms(engine: WhooshEngine, field: str, b: float) -> list[float]:
    """Every document's length normalisation in a field (average over documents having it)."""

    def compute() -> list[float]:
        reader = engine.searcher().reader()
        lengths = [reader.doc_field_length(d, field, 0) or 0 for d in range(reader.doc_count_all())]
        having = [n for n in lengths if n]
        average = sum(having) / len(having) if having else 0.0
        return [length_norm(n, average, b) for n in lengths]

    found: list[float] = engine.caches.once(("norms", field, b), compute)
    return found


def _docnums(engine: WhooshEngine) -> list[int]:
    """One int object per document number, shared by every cached posting dict."""
    count = engine.searcher().reader().doc_count_all()
    found: list[int] = engine.caches.once("docnums", lambda: list(range(count)))
    return found


def phrase_docs(
    engine: WhooshEngine, phrase: tuple[str, ...], policy: RankingPolicy
) -> frozenset[int]:
    """The documents holding a quoted phrase in any of its fields, kept per generation."""
    options = _phrase_options(" ".join(phrase))
    return engine.caches.postings.get(  # type: ignore[no-any-return]
        ("phrase", options),
        lambda: frozenset().union(*(_phrase_option_docs(engine, o) for o in options)),
    )


@lru_cache(maxsize=1024)
def _phrase_options(phrase: str) -> tuple[PhraseOption, ...]:
    """A phrase in any text field of either language (empty when it has only stop words)."""
    options: list[PhraseOption] = []
    for lang in LANGS:
        tokens = phrase_tokens(lang, phrase)
        if not tokens:
            continue
        gaps = max((b[1] - a[1] for a, b in zip(tokens, tokens[1:], strict=False)), default=1)
        texts = tuple(text for text, _ in tokens)
        options += [PhraseOption(fields[lang], texts, gaps) for fields in _FIELDS.values()]
    return tuple(options)


def _phrase_option_docs(engine: WhooshEngine, option: PhraseOption) -> set[int]:
    """The documents holding the phrase's terms in order, each within `slop` of the last.

    The candidates are the documents holding every term; only their positions are read. This is
    whoosh's Phrase (an ordered SpanNear2, minimum distance 1) without a span matcher walked per
    posting.
    """
    reader = engine.searcher().reader()
    postings = [set(read_postings(reader, option.field, t).ids) for t in option.terms]
    candidates = set.intersection(*postings) if postings else set()
    if len(option.terms) == 1 or not candidates:
        return candidates
    positions = [read_positions(reader, option.field, term, candidates) for term in option.terms]
    gaps = range(1, option.slop + 1)
    found = set()
    for docnum in candidates:
        ends = set(positions[0].get(docnum, ()))
        for following in positions[1:]:
            ends = {end + gap for end in ends for gap in gaps}.intersection(
                following.get(docnum, ())
            )
            if not ends:
                break
        else:
            found.add(docnum)
    return found
