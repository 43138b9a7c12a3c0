"""The judged query sets over the bundled corpus are well formed and every grade names a publication."""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.corpus

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
COLLECTIONS = ROOT / "bench" / "relevance" / "collections"
PUBLICATION_SUFFIXES = (".pdf", ".html", ".htm", ".txt", ".md")
# Each set: its least number of queries, its least number in Spanish, and the queries the corpus
# cannot answer (judged with zeros only, so that "no results" is the right answer).
SETS = {
    "mecp": (70, 12, {"m63", "m103", "m104", "m105", "m106"}),
    "mecp-everyday": (40, 10, set()),
}
EVERYDAY = "mecp-everyday"
# The professional words the everyday set must do without, as stems of accent-free lowercase words.
PROFESSIONAL_TERMS = re.compile(
    r"\b(runaway|abduct|sextort|traffick|groom|entic|amber|ncic|forensic|reunif|hague|kidnap"
    r"|fugad|fuga\b|secuestr|sustraccion|sustraid|sextors|trata\b|captacion|entrevista forense)"
)


def _queries(name: str) -> list[dict[str, str]]:
    """The queries of a set, one JSON object a line."""
    lines = (COLLECTIONS / name / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _qrels(name: str) -> list[list[str]]:
    """The judgments of a set as rows of query id, document id and grade."""
    lines = (COLLECTIONS / name / "qrels.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip()]


def _publications() -> dict[str, Path]:
    """Every publication of the bundled corpus by its id, as ingest forms the id."""
    return {
        path.relative_to(CORPUS).with_suffix("").as_posix(): path
        for path in CORPUS.rglob("*")
        if path.suffix in PUBLICATION_SUFFIXES
        and path.name != "README.md"
        and not any(part.startswith("_") for part in path.relative_to(CORPUS).parts)
    }


def _language(path: Path) -> str:
    """A publication's language as its sidecar gives it; every Spanish publication has one."""
    sidecar = path.with_suffix(".toml")
    if not sidecar.exists():
        return "en"
    return str(tomllib.loads(sidecar.read_text(encoding="utf-8")).get("language", "en"))


def _plain(text: str) -> str:
    """Lowercase text without accents, for matching word stems."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@pytest.mark.parametrize("name", SETS)
def test_queries_have_unique_ids_a_kind_of_user_and_a_language(name: str) -> None:
    """Each query is an object with an id, its text, who typed it and en or es."""
    queries = _queries(name)
    assert all(set(q) == {"id", "text", "who", "lang"} for q in queries)
    assert len({q["id"] for q in queries}) == len(queries)
    assert all(q["text"].strip() and q["who"].strip() for q in queries)
    assert {q["lang"] for q in queries} == {"en", "es"}


@pytest.mark.parametrize("name", SETS)
def test_the_set_is_large_enough_and_speaks_both_languages(name: str) -> None:
    """Each set has at least its number of queries and of Spanish queries."""
    least, least_spanish, _ = SETS[name]
    languages = Counter(q["lang"] for q in _queries(name))
    assert sum(languages.values()) >= least
    assert languages["es"] >= least_spanish


@pytest.mark.parametrize("name", SETS)
def test_every_judgment_names_a_query_a_publication_and_a_grade(name: str) -> None:
    """Rows have three columns, a known query, an existing publication and a grade of 0 to 2."""
    query_ids = {q["id"] for q in _queries(name)}
    publications = set(_publications())
    rows = _qrels(name)
    assert all(len(row) == 3 for row in rows)
    assert {row[0] for row in rows} <= query_ids
    assert sorted({row[1] for row in rows} - publications) == []
    assert {row[2] for row in rows} <= {"0", "1", "2"}
    assert len({(row[0], row[1]) for row in rows}) == len(rows)


@pytest.mark.parametrize("name", SETS)
def test_every_query_is_judged_and_only_the_unanswerable_have_no_relevant_document(
    name: str,
) -> None:
    """Each query has judgments; all but the deliberately unanswerable have a grade of 1 or 2."""
    rows = _qrels(name)
    judged = {row[0] for row in rows}
    answered = {row[0] for row in rows if row[2] != "0"}
    query_ids = {q["id"] for q in _queries(name)}
    assert judged == query_ids
    assert query_ids - answered == SETS[name][2]


def test_everyday_queries_tell_what_happened_without_the_professional_word() -> None:
    """No query of the everyday set names the term a practitioner would use for its situation."""
    named = {
        q["id"]: m.group(0)
        for q in _queries(EVERYDAY)
        if (m := PROFESSIONAL_TERMS.search(_plain(q["text"])))
    }
    assert named == {}


def test_everyday_grades_respect_the_language_of_the_query() -> None:
    """A Spanish query grades an English publication at most 1; an English one grades Spanish 0."""
    languages = {q["id"]: q["lang"] for q in _queries(EVERYDAY)}
    publications = _publications()
    wrong = [
        row
        for row in _qrels(EVERYDAY)
        if row[1] in publications  # an unknown id is the previous test's failure
        and _language(publications[row[1]]) != languages[row[0]]
        and int(row[2]) > (1 if languages[row[0]] == "es" else 0)
    ]
    assert wrong == []
