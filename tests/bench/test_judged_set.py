"""The judged query set over the bundled corpus is well formed and every grade names a publication."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.corpus

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
COLLECTION = ROOT / "bench" / "relevance" / "collections" / "mecp"
PUBLICATION_SUFFIXES = (".pdf", ".html", ".htm", ".txt", ".md")
# Queries the corpus cannot answer: judged with zeros only, so that "no results" is the right answer.
UNANSWERABLE = {"m63", "m103", "m104", "m105", "m106"}


def _queries() -> list[dict[str, str]]:
    """The queries, one JSON object a line."""
    lines = (COLLECTION / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _qrels() -> list[list[str]]:
    """The judgments as rows of query id, document id and grade."""
    lines = (COLLECTION / "qrels.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip()]


def _publication_ids() -> set[str]:
    """Every publication id of the bundled corpus, as ingest forms it."""
    return {
        path.relative_to(CORPUS).with_suffix("").as_posix()
        for path in CORPUS.rglob("*")
        if path.suffix in PUBLICATION_SUFFIXES
        and path.name != "README.md"
        and not any(part.startswith("_") for part in path.relative_to(CORPUS).parts)
    }


def test_queries_have_unique_ids_a_kind_of_user_and_a_language() -> None:
    """Each query is an object with an id, its text, who typed it and en or es."""
    queries = _queries()
    assert all(set(q) == {"id", "text", "who", "lang"} for q in queries)
    assert len({q["id"] for q in queries}) == len(queries)
    assert all(q["text"].strip() and q["who"].strip() for q in queries)
    assert {q["lang"] for q in queries} == {"en", "es"}


def test_the_set_is_large_enough_and_speaks_both_languages() -> None:
    """At least 70 queries, at least 12 of them in Spanish."""
    languages = Counter(q["lang"] for q in _queries())
    assert sum(languages.values()) >= 70
    assert languages["es"] >= 12


def test_every_judgment_names_a_query_a_publication_and_a_grade() -> None:
    """Rows have three columns, a known query, an existing publication and a grade of 0 to 2."""
    query_ids = {q["id"] for q in _queries()}
    publications = _publication_ids()
    rows = _qrels()
    assert all(len(row) == 3 for row in rows)
    assert {row[0] for row in rows} <= query_ids
    assert sorted({row[1] for row in rows} - publications) == []
    assert {row[2] for row in rows} <= {"0", "1", "2"}
    assert len({(row[0], row[1]) for row in rows}) == len(rows)


def test_every_query_is_judged_and_only_the_unanswerable_have_no_relevant_document() -> None:
    """Each query has judgments; all but the deliberately unanswerable have a grade of 1 or 2."""
    rows = _qrels()
    judged = {row[0] for row in rows}
    answered = {row[0] for row in rows if row[2] != "0"}
    query_ids = {q["id"] for q in _queries()}
    assert judged == query_ids
    assert query_ids - answered == UNANSWERABLE
