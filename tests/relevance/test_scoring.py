"""The ranking's own BM25F sums and phrase matches equal whoosh's, on the whole corpus."""

from __future__ import annotations

import pytest
from whoosh.query import And, Or, Phrase, Term

from library.index import LibraryIndex
from library.query import parse_query
from library.search import _cache, _phrase_option_docs, _scored_terms, _top

QUERIES = [
    "amber alert",
    "what should I do in the first hours if my child is missing",
    "CSEC",  # an acronym: multi-word expansion scored when every word is present
    "runaway teen safety planning for families",
    "sextortion",
    "ni\u00f1o desaparecido familia",
    '"forensic interview" training',  # a quoted phrase, scored by its words
    "child",  # a word in most documents: nothing rarer to score instead
]


@pytest.mark.parametrize("q", QUERIES)
def test_cached_term_scores_rank_as_whoosh_scores(corpus_lib: LibraryIndex, q: str) -> None:
    """Same documents, same order, same scores as whoosh's BM25F over the same clauses."""
    searcher = corpus_lib.searcher()
    parsed = parse_query(q, corpus_lib.vocabulary)
    live = _cache(corpus_lib, searcher).live
    terms = _scored_terms(corpus_lib, searcher, parsed, len(live))
    clauses = [Term(f, t, boost=b) for f, t, b in terms]
    clauses += [And([Or([Term(*leaf) for leaf in word]) for word in c]) for c in parsed.all_words]
    theirs = [
        (hit.docnum, hit.score) for hit in searcher.search(Or(clauses), limit=30, filter=set(live))
    ]
    ours = _top(corpus_lib, searcher, parsed, set(live), 30, len(live))
    assert theirs
    assert len(ours) == min(30, len(live))
    assert [d for d, _ in ours[: len(theirs)]] == [d for d, _ in theirs]
    assert [s for _, s in ours[: len(theirs)]] == pytest.approx([s for _, s in theirs], rel=1e-6)
    assert all(score == 0 for _, score in ours[len(theirs) :])  # the rest of live: no term


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
    searcher = corpus_lib.searcher()
    (options,) = parse_query(f'"{phrase}"', corpus_lib.vocabulary).required
    found = 0
    for option in options:
        ours = _phrase_option_docs(corpus_lib, searcher, option)
        if len(option.terms) == 1:
            theirs = set(searcher.docs_for_query(Term(option.field, option.terms[0])))
        else:
            query = Phrase(option.field, list(option.terms), slop=option.slop)
            theirs = set(searcher.docs_for_query(query))
        assert ours == theirs, option
        found += len(ours)
    assert found or phrase == "child missing"
