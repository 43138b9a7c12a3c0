"""search(), get_document() and related(): the library's read side.

Takes an open LibraryIndex, returns plain models; whoosh objects never leave the searcher.
May import: index, schema, query, facets, snippets, models, vocab, errors, whoosh.
"""

from __future__ import annotations

from typing import Any

from whoosh import scoring
from whoosh.query import Or, Term
from whoosh.support.levenshtein import damerau_levenshtein

from library.errors import DocumentNotFound, InvalidRequest
from library.facets import FacetCache, build_cache, build_facets, filter_and_count
from library.index import LibraryIndex
from library.models import (
    MAX_PAGE,
    MAX_PER_PAGE,
    Document,
    SearchHit,
    SearchRequest,
    SearchResult,
    Sort,
)
from library.query import ParsedQuery, analyse_word, is_stop_word, parse_query, typed_words
from library.schema import BODY, ID_FIELD, LANGS, TITLE, from_stored, index_language
from library.snippets import make_snippet, matcher
from library.text import one_line
from library.vocab import LANGUAGES

WEIGHTING = scoring.BM25F(B=0.75, K1=1.2)
FEW_RESULTS = 3
SPELL_FIELDS = tuple(f"spell_{TITLE[lang]}" for lang in LANGS) + tuple(
    f"spell_{BODY[lang]}" for lang in LANGS
)
RELATED_TEXT_CHARS = 20_000


def search(lib: LibraryIndex, request: SearchRequest) -> SearchResult:
    """Run one search: matches, disjunctive facet counts, a page of hits, a spelling hint."""
    check_request(lib, request)
    with lib.ix.searcher(weighting=WEIGHTING) as searcher:
        reader = searcher.reader()
        corrections = _corrections(reader, typed_words(request.q), rare=False)
        parsed = parse_query(request.q, lib.vocabulary, corrections)
        cache = _cache(lib, searcher)
        if parsed.query is None:
            matched: frozenset[int] | set[int] = cache.live
        else:
            matched = set(searcher.docs_for_query(parsed.query)) & cache.live
        final, counts = filter_and_count(cache, matched, request)
        ranked = _page(searcher, cache, parsed, final, request)
        hits = tuple(_hit(searcher.stored_fields(d), score, parsed) for d, score in ranked)
        if not corrections and len(final) < FEW_RESULTS:
            corrections = _corrections(reader, list(parsed.words), rare=True)
        suggestion = _suggestion(parsed.words, corrections)
    return SearchResult(
        request=request,
        total=len(final),
        hits=hits,
        facets=build_facets(counts, request, lib.vocabulary),
        suggestion=suggestion,
        expansions=parsed.expansions,
    )


def check_request(lib: LibraryIndex, request: SearchRequest) -> None:
    """Refuse unknown facet values and out-of-range paging with InvalidRequest."""
    vocab = lib.vocabulary
    known = {"topic": vocab.topics, "audience": vocab.audiences, "type": vocab.types}
    for name, values in request.selections().items():
        allowed = known.get(name, LANGUAGES)
        for value in values:
            if value not in allowed:
                raise InvalidRequest(f"unknown {name} {value!r}")
    if not 1 <= request.page <= MAX_PAGE:
        raise InvalidRequest(f"page must be between 1 and {MAX_PAGE}")
    if not 1 <= request.per_page <= MAX_PER_PAGE:
        raise InvalidRequest(f"per_page must be between 1 and {MAX_PER_PAGE}")


def _cache(lib: LibraryIndex, searcher: Any) -> FacetCache:
    """The generation's facet cache, built on first use."""
    cache: FacetCache | None = lib.cache.get("facets")
    if cache is None:
        cache = lib.cache["facets"] = build_cache(searcher.reader())
    return cache


def _page(
    searcher: Any, cache: FacetCache, parsed: ParsedQuery, final: set[int], request: SearchRequest
) -> list[tuple[int, float | None]]:
    """(docnum, score) of the requested page, in the requested order."""
    first = (request.page - 1) * request.per_page
    last = first + request.per_page
    if first >= len(final):
        return []
    if request.sort is Sort.RELEVANCE and parsed.query is not None:
        results = searcher.search(parsed.rank, filter=final, limit=last)
        return [(hit.docnum, hit.score) for hit in results[first:last]]
    if request.sort is Sort.TITLE:
        order = sorted(final, key=lambda d: (cache.titles[d], d))
    else:
        newest = request.sort is not Sort.OLDEST
        order = sorted(final, key=lambda d: (cache.dates[d], cache.titles[d]), reverse=newest)
    return [(d, None) for d in order[first:last]]


def _hit(stored: dict[str, Any], score: float | None, parsed: ParsedQuery) -> SearchHit:
    """A result row with a highlighted snippet."""
    doc = from_stored(stored, with_body=True)
    lang = index_language(doc.language)
    pattern = (
        matcher(parsed.stems.get(lang, frozenset()) | set(parsed.words)) if parsed.words else None
    )
    summary = one_line(doc.summary, 300)
    return SearchHit(
        id=doc.id,
        title=doc.title,
        type=doc.type,
        date=doc.date,
        year=doc.year,
        language=doc.language,
        topics=doc.topics,
        audiences=doc.audiences,
        summary=summary,
        snippet=make_snippet(doc.body, pattern, fallback=summary),
        score=score,
    )


def _corrections(reader: Any, typed: list[str], rare: bool) -> dict[str, str]:
    """Likely corrections of unknown words (or, when rare, of words in at most one document)."""
    found = {}
    for word in dict.fromkeys(typed):
        if len(word) < 4 or word.isdigit() or is_stop_word(word, anywhere=True):
            continue
        frequency = _frequency(reader, word)
        if frequency == 0 or (rare and frequency <= 1):
            better = _correction(reader, word, frequency)
            if better:
                found[word] = better
    return found


def _suggestion(typed: tuple[str, ...], corrections: dict[str, str]) -> str | None:
    """The query with its corrections applied, or None when there are none."""
    if not corrections:
        return None
    return " ".join(corrections.get(word, word) for word in typed)


def _frequency(reader: Any, word: str) -> int:
    """How many documents hold the word (any form of it) in a title or body, in any language."""
    return max(
        int(reader.doc_frequency(field[lang], stem))
        for lang in LANGS
        for stem in analyse_word(lang, word)[:1]
        for field in (TITLE, BODY)
    ) if any(analyse_word(lang, word) for lang in LANGS) else 0  # fmt: skip


def _correction(reader: Any, word: str, frequency: int) -> str | None:
    """The nearest indexed word, preferring fewer edits, then more documents."""
    best: tuple[int, int, str] | None = None
    for field in SPELL_FIELDS:
        for candidate in reader.terms_within(field, word, 2, prefix=1):
            if candidate == word:
                continue
            count = _frequency(reader, candidate)  # spelling fields list words, not counts
            if count <= frequency:  # a correction must be more common than the word
                continue
            key = (damerau_levenshtein(word, candidate), -count, candidate)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def get_document(lib: LibraryIndex, doc_id: str) -> Document:
    """One document's metadata (no body); DocumentNotFound if the id is not indexed."""
    with lib.ix.searcher() as searcher:
        stored = searcher.document(**{ID_FIELD: doc_id})
    if stored is None:
        raise DocumentNotFound(f"no publication with id {doc_id!r}")
    return from_stored(stored)


def related(lib: LibraryIndex, doc_id: str, limit: int = 5) -> tuple[Document, ...]:
    """Publications most like this one: its key terms and its topics."""
    with lib.ix.searcher(weighting=WEIGHTING) as searcher:
        docnum = searcher.document_number(**{ID_FIELD: doc_id})
        if docnum is None:
            raise DocumentNotFound(f"no publication with id {doc_id!r}")
        doc = from_stored(searcher.stored_fields(docnum), with_body=True)
        field = BODY[index_language(doc.language)]
        text = f"{doc.title}\n{doc.summary}\n{doc.body[:RELATED_TEXT_CHARS]}"
        terms = searcher.key_terms_from_text(field, text, numterms=12)
        clauses = [Term(field, term, boost=weight) for term, weight in terms]
        clauses += [Term("topic", topic, boost=0.5) for topic in doc.topics]
        if not clauses:
            return ()
        results = searcher.search(Or(clauses), limit=limit + 1, mask={docnum})
        return tuple(from_stored(hit.fields()) for hit in results[:limit])
