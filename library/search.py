"""search(), get_document() and related(): the library's read side.

Takes an open LibraryIndex, returns plain models; whoosh objects never leave the searcher.
May import: index, schema, query, facets, snippets, models, vocab, errors, whoosh.
"""

from __future__ import annotations

import heapq
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sized
from contextlib import contextmanager
from functools import partial, wraps
from math import log
from typing import Any, Generic, ParamSpec, TypeVar

from whoosh.query import Or, Term
from whoosh.support.levenshtein import damerau_levenshtein

from library.errors import DocumentNotFound, IndexUnavailable, InvalidRequest, LibraryError
from library.facets import FacetCache, build_cache, build_facets, filter_and_count
from library.index import BM25_B, BM25_K1, LibraryIndex, read_positions, read_postings
from library.models import (
    MAX_PAGE,
    MAX_PER_PAGE,
    Blocks,
    Document,
    SearchHit,
    SearchRequest,
    SearchResult,
    Sort,
)
from library.pages import page_at
from library.query import (
    ParsedQuery,
    PhraseOption,
    analyse_word,
    is_stop_word,
    parse_query,
    typed_words,
)
from library.schema import (
    BODY,
    ID_FIELD,
    LANGS,
    SUMMARY,
    TITLE,
    TRANSLATION_OF,
    from_stored,
    index_language,
)
from library.snippets import ENOUGH_WORDS, located_snippet, mark_all, matcher
from library.text import fold, one_line
from library.vocab import LANGUAGES

_Sized = TypeVar("_Sized", bound=Sized)
_Value = TypeVar("_Value")
_Key = TypeVar("_Key")
_Params = ParamSpec("_Params")
FEW_RESULTS = 3
RERANK = 30  # how many top results the ranking bonuses reorder
COORDINATION = 0.5  # a document with every typed word scores up to this much more
PAIR_BONUS = 0.3  # per pair of typed words found side by side in the title
LANGUAGE_BONUS = 1.5  # documents in the language a (Spanish) query is written in
MAX_CACHED_POSTINGS = 1_600_000  # about 60 MB of cached postings per index generation
MAX_CACHED_WORDS = 50_000  # word frequencies and spelling corrections per generation
MAX_CACHED_RESULTS = 500  # whole search results per generation (about 24 KB each)
COMMON_SHARE = 0.5  # body terms in more than this share of documents are not scored
_BODIES = set(BODY.values())
_FIELDS = {lang: {TITLE[lang], SUMMARY[lang], BODY[lang]} for lang in LANGS}
SPELL_FIELDS = tuple(f"spell_{TITLE[lang]}" for lang in LANGS) + tuple(
    f"spell_{BODY[lang]}" for lang in LANGS
)
RELATED_TEXT_CHARS = 20_000


def _unavailable_when_damaged(function: Callable[_Params, _Value]) -> Callable[_Params, _Value]:
    """Let an error reading a damaged generation surface as IndexUnavailable (503), not a bug.

    An engine reading a corrupt file fails in many ways; when one does, the generation's files
    are checked against their checksums (once): damage is reported as such, anything else is a
    bug and raised as it is.
    """

    @wraps(function)
    def guarded(*args: _Params.args, **kwargs: _Params.kwargs) -> _Value:
        try:
            return function(*args, **kwargs)
        except LibraryError:
            raise
        except Exception as exc:
            lib = args[0]
            if not isinstance(lib, LibraryIndex) or not lib.damage():
                raise
            raise IndexUnavailable(
                f"the index at {lib.root} is damaged ({lib.damage()[0]}): "
                "run `mecp ingest` to rebuild it (`mecp check` tells what is wrong)"
            ) from exc

    return guarded


@_unavailable_when_damaged
def search(lib: LibraryIndex, request: SearchRequest) -> SearchResult:
    """Run one search: matches, disjunctive facet counts, a page of hits, a spelling hint.

    A generation's latest results are kept: a search repeated (by another user, the back button,
    the JSON API after the page) is answered from memory.
    """
    check_request(lib, request)
    recent: _Recent[SearchRequest, SearchResult] = _once(
        lib, "results", lambda: _Recent(MAX_CACHED_RESULTS)
    )
    found = recent.get(request)
    if found is None:
        found = recent.put(request, _search(lib, request))
    return found


def _search(lib: LibraryIndex, request: SearchRequest) -> SearchResult:
    """search() without the cache of results."""
    searcher = lib.searcher()
    corrections = _corrections(lib, typed_words(request.q), rare=False)
    parsed = parse_query(request.q, lib.vocabulary, corrections)
    cache = _cache(lib, searcher)
    matched = _matched(lib, searcher, parsed, cache)
    final, counts = filter_and_count(cache, matched, request)
    ranked = _page(lib, searcher, cache, parsed, final, request)
    hits = tuple(_hit(searcher.stored_fields(d), score, parsed) for d, score in ranked)
    if not corrections and len(final) < FEW_RESULTS:
        corrections = _corrections(lib, list(parsed.words), rare=True)
    suggestion = _suggestion(parsed.words, corrections)
    return SearchResult(
        request=request,
        total=len(final),
        hits=hits,
        facets=build_facets(counts, request, lib.vocabulary),
        suggestion=suggestion,
        expansions=parsed.expansions,
    )


class _Recent(Generic[_Key, _Value]):
    """The values of the most recently used keys, at most size of them (thread-safe)."""

    def __init__(self, size: int) -> None:
        """An empty cache."""
        self._size = size
        self._items: OrderedDict[_Key, _Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: _Key) -> _Value | None:
        """The value kept for key, now the most recently used, or None."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: _Key, value: _Value) -> _Value:
        """Keep value for key, forgetting the least recently used beyond the size; return value."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


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
    cache: FacetCache = _once(lib, "facets", lambda: build_cache(searcher.reader()))
    return cache


def _once(lib: LibraryIndex, key: Any, compute: Callable[[], _Value]) -> _Value:
    """lib.cache[key], computed on first use by one thread while others needing it wait."""
    found: _Value | None = lib.cache.get(key)
    if found is None:
        with _computing(lib, key):
            found = lib.cache.get(key)
            if found is None:
                found = lib.cache[key] = compute()
    return found


@contextmanager
def _computing(lib: LibraryIndex, key: Any) -> Iterator[None]:
    """Hold the lock of one cache entry being computed.

    Concurrent requests of a new index generation need the same common terms at once; without
    this each thread read them itself, and 8 threads answered a cold query set 2x slower than one.
    """
    locks: dict[Any, threading.Lock] = lib.cache.setdefault("computing", {})
    with locks.setdefault(key, threading.Lock()):
        yield
    locks.pop(key, None)


def _matched(
    lib: LibraryIndex, searcher: Any, parsed: ParsedQuery, cache: FacetCache
) -> frozenset[int] | set[int]:
    """Every matching document, from cached per-term document sets (set operations in C)."""
    if not parsed.searchable:
        return cache.live
    if parsed.required:
        docs = set(cache.live)
        for options in parsed.required:
            docs &= _phrase_docs(lib, searcher, options)
        return docs
    docs = set().union(
        *(_term_docs(lib, searcher, leaf) for leaf in parsed.leaves),
        *(_all_words_docs(lib, searcher, synonym) for synonym in parsed.synonyms),
    )
    return docs & cache.live


def _all_words_docs(
    lib: LibraryIndex, searcher: Any, clause: tuple[tuple[tuple[str, str, float], ...], ...]
) -> set[int]:
    """Documents holding every word of a multi-word clause, each word in any of its fields.

    An optional synonym matches by its words, not as an exact phrase: checking word positions
    in every document holding common words cost whoosh seconds per new synonym at 10,000
    documents, and a document with all the words is almost always about the same thing.
    """
    found = [
        set().union(*(_term_docs(lib, searcher, (field, term)) for field, term, _ in word))
        for word in clause
    ]
    return set.intersection(*found) if found else set()


def _term_docs(lib: LibraryIndex, searcher: Any, leaf: tuple[str, str]) -> dict[int, float]:
    """The documents holding one term, as docnum -> BM25F score (see _postings)."""
    return _postings(lib, searcher, *leaf)


def _phrase_docs(
    lib: LibraryIndex, searcher: Any, options: tuple[PhraseOption, ...]
) -> frozenset[int]:
    """The documents holding a quoted phrase in any of its fields, cached per generation."""
    return _cached(
        lib,
        ("phrase", options),
        lambda: frozenset().union(*(_phrase_option_docs(lib, searcher, o) for o in options)),
    )


def _phrase_option_docs(lib: LibraryIndex, searcher: Any, option: PhraseOption) -> set[int]:
    """The documents holding the phrase's terms in order, each within `slop` of the last.

    The candidates are the documents holding every term (from the cached posting dicts); only
    their positions are read. This is whoosh's Phrase (an ordered SpanNear2, minimum distance 1)
    without a span matcher walked per posting.
    """
    postings = [_postings(lib, searcher, option.field, term) for term in option.terms]
    rarest: dict[int, float] = min(postings, key=len)
    candidates = set(rarest).intersection(*postings)
    if len(option.terms) == 1 or not candidates:
        return candidates
    reader = searcher.reader()
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


def _cached(lib: LibraryIndex, key: Any, compute: Callable[[], _Sized]) -> _Sized:
    """A per-generation cache of posting dicts and phrase document sets, bounded in size.

    Common terms are both the costly ones to read and the large ones to keep, so the bound is
    on total size (document numbers held), evicting the oldest entries first.
    """
    entries: dict[Any, tuple[_Sized, int]] = lib.cache.setdefault("docsets", {})
    found = entries.get(key)
    if found is None:
        with _computing(lib, ("docsets", key)):
            found = entries.get(key)
            if found is None:
                value = compute()
                with lib.cache.setdefault("docsets_lock", threading.Lock()):
                    found = entries[key] = (value, len(value))
                    size = lib.cache.get("docset_size", 0) + found[1]
                    while size > MAX_CACHED_POSTINGS and len(entries) > 1:
                        size -= entries.pop(next(iter(entries)))[1]  # the oldest entry
                    lib.cache["docset_size"] = size
    return found[0]


def _rerank(
    lib: LibraryIndex, searcher: Any, cache: FacetCache, parsed: ParsedQuery,
    scored: list[tuple[int, float]],
) -> list[tuple[int, float]]:  # fmt: skip
    """Reorder the top of the list: more typed words, typed words together in the title, language."""
    groups = [set().union(*(_term_docs(lib, searcher, leaf) for leaf in g)) for g in parsed.groups]
    language = _query_language(lib, searcher, parsed)
    head = []
    for docnum, score in scored[:RERANK]:
        bonus = 1 + COORDINATION * (sum(docnum in g for g in groups) / len(groups) if groups else 1)
        title = fold(cache.titles.get(docnum, ""))
        bonus *= 1 + PAIR_BONUS * sum(1 for p in parsed.pairs if p.search(title))
        if language != "en" and cache.languages.get(docnum) == language:
            bonus *= LANGUAGE_BONUS
        head.append((docnum, score * bonus))
    head.sort(key=lambda item: -item[1])
    return head + scored[RERANK:]


def _scored_terms(
    lib: LibraryIndex, searcher: Any, parsed: ParsedQuery, live: int
) -> list[tuple[str, str, float]]:
    """The rank query's terms without body terms found in most documents, when rarer ones remain.

    A word in most documents ('child', in this library) adds almost nothing to BM25 (its idf is
    near zero) but most of the postings to score. Such words still make documents match, and
    still count in the coordination bonus.
    """
    common = {
        (field, term)
        for field, term, _ in parsed.weighted
        if field in _BODIES and len(_term_docs(lib, searcher, (field, term))) > COMMON_SHARE * live
    }
    kept = [(f, t, b) for f, t, b in parsed.weighted if (f, t) not in common]
    if not common or not any(field in _BODIES for field, _, _ in kept):
        return list(parsed.weighted)
    return kept


def _top(
    lib: LibraryIndex, searcher: Any, parsed: ParsedQuery, final: set[int], limit: int, live: int
) -> list[tuple[int, float]]:
    """The best `limit` of final by the rank query's BM25F score, from cached per-term scores.

    The score is the one whoosh gives the rank query (a sum over the matching terms, each
    multiplied by its boost, and over the multi-word synonyms whose every word is present); here
    it is a sum of cached numbers per posting instead of a matcher tree walked per posting.
    Documents of final that no scored term reaches rank last, with score 0.
    """
    total = [0.0] * len(_docnums(lib, searcher.reader()))
    for field, term, boost in _scored_terms(lib, searcher, parsed, live):
        for docnum, score in _postings(lib, searcher, field, term).items():
            total[docnum] += boost * score
    for synonym in parsed.all_words:
        docs = _all_words_docs(lib, searcher, synonym)
        for word in synonym:
            for field, term, boost in word:
                scores = _postings(lib, searcher, field, term)
                for docnum in docs.intersection(scores):
                    total[docnum] += boost * scores[docnum]
    # ties (and documents matched only by unscored common words, at 0) in document order
    best = heapq.nlargest(limit, sorted(final), key=total.__getitem__)
    return [(docnum, total[docnum]) for docnum in best]


def _postings(lib: LibraryIndex, searcher: Any, field: str, term: str) -> dict[int, float]:
    """docnum -> BM25F score (boost 1) of every document holding a term, cached per generation.

    One dict serves as the term's document set too (set operations take its keys in C), so a
    posting list is read once and kept once: about 37 bytes a posting, as the document numbers
    and the scores are shared objects.
    """
    return _cached(lib, (field, term), lambda: _read_postings(lib, searcher, field, term))


def _read_postings(lib: LibraryIndex, searcher: Any, field: str, term: str) -> dict[int, float]:
    """Score every posting of a term as whoosh's BM25F scorer does (facet keywords: weight).

    A score depends only on the term frequency and the document's byte-quantised field length,
    so a term has few distinct scores: each is one float object shared by its postings.
    """
    reader = searcher.reader()
    ids, tfs, frequency = read_postings(reader, field, term)
    docs = map(_docnums(lib, reader).__getitem__, ids)
    if not (ids and searcher.schema[field].scorable):
        return dict(zip(docs, tfs, strict=True))
    # whoosh.scoring.bm25 with WeightingModel.idf, from the frequency read with the postings
    idf, k1 = log(reader.doc_count_all() / (frequency + 1)) + 1, BM25_K1 + 1
    norms = map(_length_norms(lib, searcher, field).__getitem__, ids)
    pairs = list(zip(tfs, norms, strict=True))
    shared = {pair: idf * ((pair[0] * k1) / (pair[0] + pair[1])) for pair in set(pairs)}
    return dict(zip(docs, map(shared.__getitem__, pairs), strict=True))


def _docnums(lib: LibraryIndex, reader: Any) -> list[int]:
    """One int object per document number, shared by every cached posting dict."""
    found: list[int] = _once(lib, "docnums", lambda: list(range(reader.doc_count_all())))
    return found


def _length_norms(lib: LibraryIndex, searcher: Any, field: str) -> list[float]:
    """Every document's BM25 length normalisation of a field, computed once per generation."""

    def compute() -> list[float]:
        reader = searcher.reader()
        average = searcher.avg_field_length(field) or 1
        return [
            BM25_K1
            * ((1 - BM25_B) + BM25_B * (reader.doc_field_length(d, field, 1) or 0) / average)
            for d in range(reader.doc_count_all())
        ]

    found: list[float] = _once(lib, ("norms", field), compute)
    return found


def _query_language(lib: LibraryIndex, searcher: Any, parsed: ParsedQuery) -> str:
    """'es' when more typed words occur only in Spanish documents than only in English ones.

    The stop-word guess of the parser ('qué', 'de') counts as one more vote.
    """
    votes = {"en": 0, "es": 0}
    votes[parsed.language] += 1
    for group in parsed.groups:
        found = {
            lang for lang in LANGS
            if any(_term_docs(lib, searcher, leaf) for leaf in group if leaf[0] in _FIELDS[lang])
        }  # fmt: skip
        if len(found) == 1:
            votes[found.pop()] += 1
    return "es" if votes["es"] > votes["en"] else "en"


def _page(
    lib: LibraryIndex,
    searcher: Any,
    cache: FacetCache,
    parsed: ParsedQuery,
    final: set[int],
    request: SearchRequest,
) -> list[tuple[int, float | None]]:
    """(docnum, score) of the requested page, in the requested order."""
    first = (request.page - 1) * request.per_page
    last = first + request.per_page
    if first >= len(final):
        return []
    if request.sort is Sort.RELEVANCE and parsed.searchable:
        scored = _top(lib, searcher, parsed, final, max(last, RERANK), len(cache.live))
        ranked: list[tuple[int, float | None]] = list(_rerank(lib, searcher, cache, parsed, scored))
        return ranked[first:last]
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
        matcher(parsed.stems.get(lang, frozenset()) | frozenset(parsed.words))
        if parsed.words
        else None
    )
    summary = one_line(doc.summary, 300)
    enough = min(ENOUGH_WORDS, len(set(parsed.words)))
    snippet, offset = located_snippet(doc.body, pattern, fallback=summary, enough=enough)
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
        snippet=snippet,
        score=score,
        format=doc.format,
        page_count=doc.page_count,
        page=page_at(doc.page_starts, offset),
    )


def _corrections(lib: LibraryIndex, typed: list[str], rare: bool) -> dict[str, str]:
    """Likely corrections of unknown words (or, when rare, of words in at most one document)."""
    found = {}
    for word in dict.fromkeys(typed):
        if len(word) < 4 or word.isdigit() or is_stop_word(word, anywhere=True):
            continue
        frequency = _frequency(lib, word)
        if frequency == 0 or (rare and frequency <= 1):
            better = _word_cache(
                lib, "corrections", word, partial(_correction, lib, word, frequency)
            )
            if better:
                found[word] = better
    return found


def _suggestion(typed: tuple[str, ...], corrections: dict[str, str]) -> str | None:
    """The query with its corrections applied, or None when there are none."""
    if not corrections:
        return None
    return " ".join(corrections.get(word, word) for word in typed)


def _frequency(lib: LibraryIndex, word: str) -> int:
    """How many documents hold the word (any form of it) in a title or body, in any language."""
    reader = lib.searcher().reader()
    return _word_cache(
        lib,
        "frequencies",
        word,
        lambda: max(
            (
                int(reader.doc_frequency(field[lang], stem))
                for lang in LANGS
                for stem in analyse_word(lang, word)[:1]
                for field in (TITLE, BODY)
            ),
            default=0,
        ),
    )


def _word_cache(lib: LibraryIndex, name: str, word: str, compute: Callable[[], _Value]) -> _Value:
    """A per-generation table of small per-word answers, emptied when it reaches MAX_CACHED_WORDS."""
    table: dict[str, _Value] = lib.cache.setdefault(name, {})
    try:
        return table[word]
    except KeyError:
        pass
    if len(table) >= MAX_CACHED_WORDS:
        table.clear()
    found = table[word] = compute()  # another thread may clear the table before it is read
    return found


def _correction(lib: LibraryIndex, word: str, frequency: int) -> str | None:
    """The nearest indexed word, preferring fewer edits, then more documents."""
    reader = lib.searcher().reader()
    best: tuple[int, int, str] | None = None
    for field in SPELL_FIELDS:
        for candidate in reader.terms_within(field, word, 2, prefix=1):
            if candidate == word:
                continue
            count = _frequency(lib, candidate)  # spelling fields list words, not counts
            if count <= frequency:  # a correction must be more common than the word
                continue
            key = (damerau_levenshtein(word, candidate), -count, candidate)
            if best is None or key < best:
                best = key
    return best[2] if best else None


@_unavailable_when_damaged
def get_document(lib: LibraryIndex, doc_id: str, with_body: bool = False) -> Document:
    """One document's metadata (and its text, with_body); DocumentNotFound if not indexed."""
    stored = lib.searcher().document(**{ID_FIELD: doc_id})
    if stored is None:
        raise DocumentNotFound(f"no publication with id {doc_id!r}")
    return from_stored(stored, with_body=with_body)


@_unavailable_when_damaged
def reading_view(lib: LibraryIndex, doc_id: str, q: str = "") -> Blocks:
    """The document's headings, paragraphs and list items as HTML-safe text (escaped), with the
    words of the search q marked as in snippets; () when its format keeps no structure (PDF)."""
    stored = lib.searcher().document(**{ID_FIELD: doc_id})
    if stored is None:
        raise DocumentNotFound(f"no publication with id {doc_id!r}")
    doc = from_stored(stored, with_body=True)
    pattern = None
    if q.strip():
        parsed = parse_query(q, lib.vocabulary)
        stems = parsed.stems.get(index_language(doc.language), frozenset())
        pattern = matcher(stems | frozenset(parsed.words)) if parsed.words else None
    return tuple((kind, mark_all(text, pattern)) for kind, text in doc.blocks)


@_unavailable_when_damaged
def translations(lib: LibraryIndex, doc: Document, limit: int = 10) -> tuple[Document, ...]:
    """The document's editions in other languages: the one it names, and those naming it."""
    searcher = lib.searcher()
    found: dict[str, Document] = {}
    if doc.translation_of and doc.translation_of != doc.id:
        stored = searcher.document(**{ID_FIELD: doc.translation_of})
        if stored is not None:
            found[doc.translation_of] = from_stored(stored)
    for hit in searcher.search(Term(TRANSLATION_OF, doc.id), limit=limit):
        edition = from_stored(hit.fields())
        found.setdefault(edition.id, edition)
    found.pop(doc.id, None)
    return tuple(sorted(found.values(), key=lambda d: (d.language, d.id)))[:limit]


@_unavailable_when_damaged
def related(lib: LibraryIndex, doc_id: str, limit: int = 5) -> tuple[Document, ...]:
    """Publications most like this one: its key terms and its topics."""
    searcher = lib.searcher()
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
