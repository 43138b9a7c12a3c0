"""The BM25 reference, computed in the same run: bm25s with k1 1.2, b 0.75, Snowball stemming and
English stop words over title and text as one field, top 100, as the collections' README measured.

For the bundled corpus the documents' text comes from the library's own index (what the ingest
extracted), so both rankings see the same words. May import: stdlib, bm25s, Stemmer.
"""

from __future__ import annotations

from collections.abc import Iterable

import bm25s  # type: ignore[import-untyped]
import Stemmer  # type: ignore[import-not-found]

K1, B, DEPTH = 1.2, 0.75, 100


def bm25_run(documents: Iterable[tuple[str, str]], queries: dict[str, str]) -> dict[str, list[str]]:
    """query id -> the ids of its top 100 by BM25 (documents as (id, text))."""
    ids, texts = zip(*documents, strict=True)
    stemmer = Stemmer.Stemmer("english")
    tokens = bm25s.tokenize(list(texts), stopwords="en", stemmer=stemmer, show_progress=False)
    model = bm25s.BM25(k1=K1, b=B)
    model.index(tokens, show_progress=False)
    run = {}
    for query_id, text in queries.items():
        query = bm25s.tokenize([text], stopwords="en", stemmer=stemmer, show_progress=False)
        if not query.vocab:
            run[query_id] = []
            continue
        found, scores = model.retrieve(query, k=min(DEPTH, len(ids)), show_progress=False)
        run[query_id] = [ids[i] for i, s in zip(found[0], scores[0], strict=True) if s > 0]
    return run
