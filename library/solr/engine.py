"""A SolrCloud collection as the library's engine (library.engine.Engine): one live generation.

The local generation folder holds what every engine's does (mecp.json, the manifest, the
vocabulary) and says where the documents are: "solr_urls" (the nodes, tried in turn) and "alias"
(the collection alias searched, switched by each full build). Solr matches, ranks, counts and
highlights; this module asks in the library's terms (library.solr.queries) and reads the answers
(library.solr.answers). A Solr that cannot be reached, fails or refuses a request raises
IndexUnavailable: the web app answers 503, never 500. May import: caches, engine, errors,
generations, models, query, ranking, solr.analysis, solr.answers, solr.client, solr.fields,
solr.queries, solr.update (its schema version).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from library import generations
from library.caches import MAX_CACHED_WORDS, GenerationCaches, Table
from library.engine import EngineHit, EngineResult
from library.errors import IndexUnavailable
from library.models import Document, SearchRequest, Sort
from library.query import ParsedQuery
from library.ranking import RankingPolicy, full_match_needs, idf
from library.solr import answers, queries
from library.solr.analysis import analyse_word
from library.solr.client import Params, SolrClient, SolrRequestError, SolrServerError
from library.solr.fields import (
    BODY,
    ID,
    LANGS,
    STORED,
    TEXT_FIELDS,
    TITLE,
    TRANSLATION_OF,
    WHOLE,
    index_language,
)
from library.solr.queries import Breadth
from library.solr.update import SCHEMA_VERSION

SEARCH_TIMEOUT = 10.0  # seconds for Solr to answer one search
SEARCH_ATTEMPTS = 2  # a search a node fails (5xx) is sent once more
RELATED_TERMS = 12  # the key terms of a publication that "related" searches for
PAGE_ROWS = 500  # documents read at a time when listing every one
SPELLING_COUNT = 10  # candidate corrections asked of the spellcheck component per word


_TOO_MANY = "too many nested clauses"  # Lucene's words when a query exceeds its clause limit


class TooManyClauses(IndexUnavailable):
    """Solr refused a query larger than its clause limit (a narrower one is tried)."""


class SolrEngine:
    """One live generation whose documents are in a SolrCloud collection (through its alias)."""

    analyse = staticmethod(analyse_word)

    def __init__(
        self, path: Path, client: SolrClient, alias: str, caches: GenerationCaches
    ) -> None:
        """Search `alias` through client."""
        self.path = path
        self.client = client
        self.alias = alias
        self.caches = caches
        self._damage: list[str] | None = None
        # per generation: the languages holding a word, the documents of a query's units
        self.word_langs: Table[str, frozenset[str]] = Table(MAX_CACHED_WORDS)
        self.unit_counts: Table[Any, tuple[int, list[int]]] = Table(MAX_CACHED_WORDS)
        # A superseded generation's engine closes its connections when collected; not __del__,
        # which a collected cycle may run after the sockets' own finalizers.
        weakref.finalize(self, client.close)

    def close(self) -> None:
        """Close the pooled connections."""
        self.client.close()

    def select(self, params: Params) -> Any:
        """One search of the alias; IndexUnavailable when Solr cannot answer it.

        A search failed by a node (a 5xx) is sent once more: while a node goes down, a node
        that has not yet seen it leave may send it a shard request and fail the search, and the
        next attempt goes to the live replicas.
        """
        for attempt in range(SEARCH_ATTEMPTS):
            try:
                return self.client.search(f"{self.alias}/select", params, timeout=SEARCH_TIMEOUT)
            except SolrRequestError as exc:  # the alias or collection is gone, or a bug of ours
                raise IndexUnavailable(f"Solr cannot search {self.alias!r}: {exc}") from exc
            except SolrServerError as exc:
                if _TOO_MANY in str(exc):
                    raise TooManyClauses(str(exc)) from exc
                if attempt + 1 == SEARCH_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def search(
        self, parsed: ParsedQuery, request: SearchRequest, policy: RankingPolicy
    ) -> EngineResult:
        """Full matches (counted), then partial ones, one page of them, with facet counts."""
        first = (request.page - 1) * request.per_page
        if not parsed.searchable:
            return self._browse(request, first)
        language = self.query_language(parsed)
        for breadth in Breadth:
            try:
                return _Search(self, parsed, request, policy, language, breadth).run(first)
            except TooManyClauses:
                if breadth is Breadth.WORDS:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _browse(self, request: SearchRequest, first: int) -> EngineResult:
        """Nothing searchable was typed: every document passing the filters, in order."""
        answer = self.select(
            [
                ("q", "*:*"),
                ("defType", "lucene"),
                ("fl", ",".join(STORED)),
                *queries.filter_params(request),
                *queries.facet_params(),
                *queries.page_params(request, first, request.per_page, relevance=False),
            ]
        )
        found = [EngineHit(doc.document, None) for doc in answers.hits(answer, False, False)]
        return EngineResult(answers.total(answer), 0, False, tuple(found), answers.counts(answer))

    def query_language(self, parsed: ParsedQuery) -> str:
        """'es' when more typed words occur only in Spanish documents than only in English ones
        (the parser's stop-word guess counting as one more vote), as the whoosh engine decides."""
        votes = {"en": 0, "es": 0}
        votes[parsed.language] += 1
        for word in parsed.content:
            found = self.word_languages(word.text)
            if len(found) == 1:
                votes[next(iter(found))] += 1
        return "es" if votes["es"] > votes["en"] else "en"

    def word_languages(self, word: str) -> frozenset[str]:
        """The languages whose documents hold a word (any form of it), asked once per word."""

        def ask() -> frozenset[str]:
            answer = self.select(_word_counts(word))
            found = answer.get("facet_counts", {}).get("facet_queries", {})
            return frozenset(lang for lang in LANGS if found.get(lang))

        return self.word_langs.get(word, ask)

    def document(self, doc_id: str, with_body: bool = False) -> Document | None:
        """One document by id, or None."""
        answer = self.select(
            {
                "q": "{!term f=id v=$id}",
                "defType": "lucene",
                "id": doc_id,
                "fl": ",".join(WHOLE if with_body else STORED),
                "rows": 1,
            }
        )
        found = answers.hits(answer, False, False)
        return found[0].document if found else None

    def documents(self) -> Iterator[Document]:
        """Every live document's metadata (no text), read a page at a time."""
        cursor = "*"
        while True:
            answer = self.select(
                {
                    "q": "*:*",
                    "defType": "lucene",
                    "fl": ",".join(STORED),
                    "sort": f"{ID} asc",
                    "rows": PAGE_ROWS,
                    "cursorMark": cursor,
                }
            )
            for hit in answers.hits(answer, False, False):
                yield hit.document
            if answer.get("nextCursorMark", cursor) == cursor:
                return
            cursor = answer["nextCursorMark"]

    def editions(self, doc: Document, limit: int) -> tuple[Document, ...]:
        """The documents naming doc as their translation_of."""
        answer = self.select(
            {
                "q": f"{{!term f={TRANSLATION_OF} v=$id}}",
                "defType": "lucene",
                "id": doc.id,
                "fl": ",".join(STORED),
                "sort": f"{ID} asc",
                "rows": limit,
            }
        )
        return tuple(hit.document for hit in answers.hits(answer, False, False))

    def related(self, doc_id: str, limit: int) -> tuple[Document, ...] | None:
        """Publications most like one: Solr's MoreLikeThis of its title and text, and its topics."""
        doc = self.document(doc_id)
        if doc is None:
            return None
        lang = index_language(doc.language)
        mlt = f"{{!mlt qf={TITLE[lang]},{BODY[lang]} mintf=1 mindf=2 maxqt={RELATED_TERMS} v=$id}}"
        params: list[tuple[str, Any]] = [
            ("q", "{!bool should=$like should=$topics}"),
            ("defType", "lucene"),
            ("like", mlt),
            ("id", doc_id),
            ("self", "{!term f=id v=$id}"),
            ("all", "*:*"),
            ("fq", "{!bool must=$all must_not=$self}"),
            ("fl", ",".join(STORED)),
            ("rows", limit),
        ]
        if doc.topics:  # each shared topic counts as half a key term, as with whoosh
            params += [
                ("topics", "{!boost b=0.5 v=$tagged}"),
                ("tagged", "{!terms f=topic v=$topic_ids}"),
                ("topic_ids", ",".join(doc.topics)),
            ]
        else:
            params.append(("topics", "{!bool must_not=$all}"))
        answer = self.select(params)
        return tuple(hit.document for hit in answers.hits(answer, False, False))

    def frequency(self, word: str) -> int:
        """How many documents hold a word (any form of it) in a title, summary or body."""

        def ask() -> int:
            answer = self.select(
                {
                    "q": "{!edismax qf=$qf v=$word}",
                    "defType": "lucene",
                    "qf": " ".join(TEXT_FIELDS),
                    "word": word,
                    "rows": 0,
                }
            )
            return answers.total(answer)

        return self.caches.frequencies.get(word, ask)

    def spelling_candidates(self, language: str) -> Callable[[str, int], Iterable[str]]:
        """Indexed words close to a word (Solr's spellcheck component, the words as written).

        The component's dictionary holds the words of both languages; the library's policy then
        keeps only confident corrections.
        """

        def candidates(word: str, edits: int) -> Iterable[str]:
            answer = self.select(
                {
                    "q": "*:*",
                    "defType": "lucene",
                    "rows": 0,
                    "spellcheck": "true",
                    "spellcheck.q": word,
                    "spellcheck.count": SPELLING_COUNT,
                    "spellcheck.collate": "false",
                }
            )
            flat = answer.get("spellcheck", {}).get("suggestions", [])
            for entry in flat[1::2]:
                for suggestion in entry.get("suggestion", []):
                    yield suggestion if isinstance(suggestion, str) else suggestion["word"]

        return candidates

    def damage(self) -> list[str]:
        """What is wrong with the generation's local files (checked once), or []."""
        if self._damage is None:
            self._damage = generations.damage(self.path)
        return self._damage


class _Search:
    """One search at one breadth: the full matches with the facet counts, then the partial ones
    (or, when nothing holds enough of the words, those holding some as a fallback)."""

    def __init__(
        self,
        engine: SolrEngine,
        parsed: ParsedQuery,
        request: SearchRequest,
        policy: RankingPolicy,
        language: str,
        breadth: Breadth,
    ) -> None:
        """What to search for, and how widely."""
        self.engine, self.parsed, self.request, self.policy = engine, parsed, request, policy
        self.language, self.breadth = language, breadth
        self.scored = request.sort is Sort.RELEVANCE

    def run(self, first: int) -> EngineResult:
        """Ask Solr: the full matches and the counts, then the partial ones on the same page."""
        request, per_page = self.request, self.request.per_page
        units = (
            queries.unit_params(self.parsed, self.breadth, self.language)
            if self.policy.partial_after
            else []
        )
        rule = self._rule(units) if units else None
        full = self.engine.select(
            self._matches()
            + (queries.full_filter(units, *rule, full=True) if rule else [])
            + queries.facet_params(unfiltered=True)
            + queries.page_params(request, first, per_page, relevance=True)
        )
        head = answers.hits(full, self.scored, partial=False)
        if rule is None:
            return EngineResult(answers.total(full), 0, False, tuple(head), answers.counts(full))
        if not answers.unfiltered(full):
            return self._fallback(first, full)
        rest = max(0, per_page - len(head))
        after = self.engine.select(
            self._matches()
            + queries.full_filter(units, *rule, full=False)
            + queries.page_params(request, max(0, first - answers.total(full)), rest, True)
        )
        tail = answers.hits(after, self.scored, partial=True) if rest else []
        counts = answers.counts(full)
        return EngineResult(
            answers.total(full), answers.total(after), False, (*head, *tail), counts
        )

    def _rule(self, units: list[tuple[str, Any]]) -> tuple[list[float], float]:
        """Each unit's weight (its idf over the whole library) and what a full match needs."""
        qf = dict(queries.match_params(self.parsed, self.policy, self.language, self.breadth))
        key = (tuple(units), qf["qf"])

        def ask() -> tuple[int, list[int]]:
            answer = self.engine.select(queries.unit_count_params(units, str(qf["qf"])))
            found = answer.get("facet_counts", {}).get("facet_queries", {})
            count = sum(1 for name, _ in units if name.startswith("u"))
            return answers.total(answer), [int(found.get(f"u{i}", 0)) for i in range(count)]

        documents, frequencies = self.engine.unit_counts.get(key, ask)
        weights = [idf(documents, frequency) for frequency in frequencies]
        return weights, full_match_needs(weights, self.policy)

    def _matches(self) -> list[tuple[str, Any]]:
        """The query, filters, stored fields and snippets of a search."""
        return [
            *queries.match_params(self.parsed, self.policy, self.language, self.breadth),
            *queries.filter_params(self.request),
            *queries.highlight_params(),
            ("fl", ",".join((*STORED, "score"))),
        ]

    def _fallback(self, first: int, full: Any) -> EngineResult:
        """No document holds enough of the words: those holding some, counted (or nothing)."""
        some = self.engine.select(
            self._matches()
            + queries.facet_params(unfiltered=True)
            + queries.page_params(self.request, first, self.request.per_page, relevance=True)
        )
        if not answers.unfiltered(some):
            return EngineResult(0, 0, False, (), answers.counts(full))
        found = answers.hits(some, self.scored, partial=True)
        return EngineResult(answers.total(some), 0, True, tuple(found), answers.counts(some))


def _word_counts(word: str) -> list[tuple[str, Any]]:
    """A search counting, per language, the documents holding a word."""
    params: list[tuple[str, Any]] = [
        ("q", "*:*"),
        ("defType", "lucene"),
        ("rows", 0),
        ("facet", "true"),
        ("word", word),
    ]
    for lang in LANGS:
        qf = " ".join(f for f in TEXT_FIELDS if f.endswith("_" + lang))
        params.append(("facet.query", f"{{!edismax key={lang} qf='{qf}' v=$word}}"))
    return params


def _client(root: Path, meta: dict[str, Any]) -> tuple[SolrClient, str]:
    """The client of the generation's nodes, and the alias to search."""
    urls, alias = meta.get("solr_urls"), meta.get("alias")
    if not urls or not isinstance(alias, str) or not alias:
        raise IndexUnavailable(
            f"the index at {root} names no Solr (solr_urls and alias in its mecp.json): "
            "run `mecp ingest --engine solr --rebuild`"
        )
    try:
        return SolrClient(urls, timeout=SEARCH_TIMEOUT), alias
    except ValueError as exc:
        raise IndexUnavailable(f"the index at {root} names a bad Solr URL: {exc}") from exc


def open_engine(
    root: Path, path: Path, meta: dict[str, Any], caches: GenerationCaches
) -> SolrEngine:
    """Open a Solr generation: its local files must be whole and its schema version this
    library's; Solr is asked on first search."""
    version = meta.get("schema_version")
    if version != SCHEMA_VERSION:
        raise IndexUnavailable(
            f"the index at {root} has Solr schema version {version}, this version of the library "
            f"needs {SCHEMA_VERSION}: run `mecp ingest --engine solr --rebuild`"
        )
    problems = generations.damage(path, checksums=False)
    if problems:
        raise IndexUnavailable(
            f"the index at {root} is damaged ({'; '.join(problems[:3])}): "
            "run `mecp ingest --engine solr` to rebuild it (`mecp check` tells what is wrong)"
        )
    client, alias = _client(root, meta)
    return SolrEngine(path, client, alias, caches)
