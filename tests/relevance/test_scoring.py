"""The ranking's BM25F sums and phrase matches, checked against plain computations from whoosh's
own reader on the whole corpus."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import pytest
from whoosh.query import Phrase, Term

from library.index import LibraryIndex
from library.query import parse_query
from library.ranking import DEFAULT
from library.whoosh.analysis import analyse_word, analyzer
from library.whoosh.schema import BODY, LANGS, SUMMARY, TITLE
from library.whoosh.scoring import match, phrase_docs, word_idf

QUERIES = [
    "amber alert",
    "what should I do in the first hours if my child is missing",
    "sextortion",
    "ni\u00f1o desaparecido familia",
    "runaway teen safety planning for families",
    "child",  # a word in most documents
]
FIELDS = (("title", TITLE), ("summary", SUMMARY), ("body", BODY))


def _reference(lib: LibraryIndex, words: list[str]) -> dict[int, float]:
    """BM25F written out plainly: each word's idf over the library, its frequencies per field
    normalised by that field's length (averaged over the documents having the field), weighted,
    summed, then saturated."""
    reader = lib.engine.searcher().reader()
    count = reader.doc_count_all()
    lengths = {
        field[lang]: [reader.doc_field_length(d, field[lang], 0) or 0 for d in range(count)]
        for _, field in FIELDS
        for lang in LANGS
    }
    scores: defaultdict[int, float] = defaultdict(float)
    for word, times in Counter(words).items():
        terms = [(lang, analyse_word(lang, word)[0]) for lang in LANGS if analyse_word(lang, word)]
        tfs: defaultdict[int, float] = defaultdict(float)
        per_term: dict[tuple[str, str], dict[int, float]] = {}
        for lang, term in terms:
            combined: defaultdict[int, float] = defaultdict(float)
            for kind, field in FIELDS:
                name = field[lang]
                if (name, term) not in reader:
                    continue
                having = [n for n in lengths[name] if n]
                average = sum(having) / len(having)
                matcher = reader.postings(name, term)
                while matcher.is_active():
                    d = matcher.id()
                    norm = 1 - DEFAULT.b + DEFAULT.b * lengths[name][d] / average
                    combined[d] += DEFAULT.weight(kind) * matcher.weight() / norm
                    matcher.next()
            per_term[(lang, term)] = combined
            for d in combined:
                tfs[d] = 1
        idf = math.log(1 + (count - len(tfs) + 0.5) / (len(tfs) + 0.5))
        for combined in per_term.values():
            for d, f in combined.items():
                scores[d] += times * idf * f / (DEFAULT.k1 + f)
    return dict(scores)


@pytest.mark.parametrize("q", QUERIES)
def test_scores_equal_bm25f_written_out_from_the_raw_postings(
    corpus_lib: LibraryIndex, q: str
) -> None:
    parsed = parse_query(q, corpus_lib.vocabulary, analyse_word)
    bare = parsed.__class__(words=parsed.words, language=parsed.language)  # no alternatives
    ours = match(corpus_lib.engine, bare, DEFAULT).scores
    theirs = _reference(corpus_lib, [w.text for w in parsed.words])
    assert theirs
    assert set(ours) == set(theirs)
    for docnum, score in theirs.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-6)


def test_an_equivalent_never_counts_more_than_the_word_it_stands_for(
    corpus_lib: LibraryIndex,
) -> None:
    """Each alternative word adds at most expansion_weight x the typed word's idf (a saturated
    frequency is below 1), however rare the alternative is ('desaparecido' is in the Spanish
    documents only; 'missing' in most)."""
    parsed = parse_query("missing", corpus_lib.vocabulary, analyse_word)
    assert "desaparecido" in parsed.expansions
    with_them = match(corpus_lib.engine, parsed, DEFAULT).scores
    alone = match(corpus_lib.engine, parsed.__class__(words=parsed.words), DEFAULT).scores
    alternative_words = sum(len(a.phrase.split()) for a in parsed.alternatives)
    bound = (
        DEFAULT.expansion_weight
        * word_idf(corpus_lib.engine, "missing", DEFAULT)
        * alternative_words
    )
    rare = word_idf(corpus_lib.engine, "desaparecido", DEFAULT)
    assert rare > 5 * word_idf(corpus_lib.engine, "missing", DEFAULT)
    for docnum, score in with_them.items():
        assert score - alone.get(docnum, 0.0) <= bound + 1e-9


PHRASES = [
    "missing child",
    "child missing",  # the same words in the other order
    "national center for missing and exploited children",  # stop words widen the gaps
    "amber alert plan",
    "forensic interview",
    "ni\u00f1o desaparecido",
    "centro nacional para ni\u00f1os desaparecidos",
    "runaway",  # one word
]


@pytest.mark.parametrize("phrase", PHRASES)
def test_quoted_phrases_match_the_documents_whoosh_phrases_match(
    corpus_lib: LibraryIndex, phrase: str
) -> None:
    """Every field's form of a quoted phrase finds exactly whoosh's Phrase documents."""
    searcher = corpus_lib.engine.searcher()
    (words,) = parse_query(f'"{phrase}"', corpus_lib.vocabulary, analyse_word).phrases
    theirs: set[int] = set()
    for lang in LANGS:
        terms = [t for w in words for t in analyse_word(lang, w)[:1]]
        tokens = [(t.text, t.pos) for t in analyzer(lang)(phrase, positions=True)]
        gaps = max((b[1] - a[1] for a, b in zip(tokens, tokens[1:], strict=False)), default=1)
        for _, field in FIELDS:
            if len(terms) == 1:
                theirs |= set(searcher.docs_for_query(Term(field[lang], terms[0])))
            elif terms:
                theirs |= set(searcher.docs_for_query(Phrase(field[lang], terms, slop=gaps)))
    assert set(phrase_docs(corpus_lib.engine, words, DEFAULT)) == theirs
    if phrase != "child missing":
        assert theirs
