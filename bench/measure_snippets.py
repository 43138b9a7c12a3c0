"""What a hit's snippet costs, alone and with its PDF page (library.snippets, library.pages), over
the top 10 documents of every timed query: the texts are read first, so only the snippet pass and
the page lookup are timed (best of three rounds).

May import: bench, library.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.queries import Query

ROUNDS = 3
Case = tuple[str, tuple[int, ...], Any, int, Any]  # text, page starts, pattern, enough, keep


def measure_snippets(index_dir: Path, queries: dict[str, list[Query]]) -> dict[str, Any]:
    """Microseconds a snippet takes per hit, without and with finding its page."""
    from library.pages import page_at
    from library.snippets import located_snippet, make_snippet

    cases = _cases(index_dir, queries)

    def alone(case: Case) -> None:
        make_snippet(case[0], case[2], enough=case[3], keep=case[4])

    def with_page(case: Case) -> None:
        page_at(case[1], located_snippet(case[0], case[2], enough=case[3], keep=case[4])[1])

    return {
        "hits": len(cases),
        "hits_in_pdfs_of_pages": sum(1 for case in cases if len(case[1]) > 1),
        "snippet_us": _best(cases, alone),
        "snippet_and_page_us": _best(cases, with_page),
    }


def _cases(index_dir: Path, queries: dict[str, list[Query]]) -> list[Case]:
    """The text, page starts, pattern and word count of each query's top 10 documents."""
    from library.index import open_index
    from library.models import SearchRequest
    from library.query import analysed_language, parse_query
    from library.search import get_document, search
    from library.snippets import ENOUGH_WORDS

    lib = open_index(index_dir)
    analyse = lib.engine.analyse
    cases: list[Case] = []
    for batch in queries.values():
        for query in batch:
            parsed = parse_query(query.text, lib.vocabulary, analyse)
            if not parsed.words:
                continue
            enough = min(ENOUGH_WORDS, len(set(parsed.every_word)))
            for hit in search(lib, SearchRequest(q=query.text)).hits:
                doc = get_document(lib, hit.id, with_body=True)
                pattern, keep = parsed.marking(analysed_language(doc.language), analyse)
                cases.append((doc.body, doc.page_starts, pattern, enough, keep))
    return cases


def _best(cases: list[Case], run: Callable[[Case], None]) -> float:
    """The fastest of ROUNDS passes over the cases, in microseconds per case."""
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for case in cases:
            run(case)
        best = min(best, (time.perf_counter() - started) / max(1, len(cases)) * 1e6)
    return round(best, 1)
