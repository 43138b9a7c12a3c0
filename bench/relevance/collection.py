"""Test collections in the common format of ../shared/relevance/, and how each becomes a corpus.

A public collection's documents (docs.jsonl) are written as `d<id>.txt` files, the title on the
first line, a blank line, then the text, as its README asks; the project's own judged set is
over the bundled corpus itself. May import: stdlib.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "relevance"
OWN = Path(__file__).resolve().parent / "collections"
VOCABULARY = REPO / "corpus" / "vocabulary.toml"


@dataclass(frozen=True, slots=True)
class Collection:
    """A judged collection: its queries, its judgements, and where its documents come from."""

    name: str
    folder: Path
    queries: dict[str, str]  # id -> text
    qrels: dict[str, dict[str, int]]  # query id -> document id -> grade
    bundled: bool  # the documents are the bundled corpus, not docs.jsonl

    def doc_id(self, library_id: str) -> str:
        """The collection's id of a library document (d123 -> 123 for a public collection)."""
        return library_id if self.bundled else library_id.removeprefix("d")


def available() -> list[str]:
    """Names of the collections found beside the repository and in it."""
    names = [p.name for p in sorted(SHARED.glob("*")) if (p / "queries.jsonl").is_file()]
    return names + [p.name for p in sorted(OWN.glob("*")) if (p / "queries.jsonl").is_file()]


def load(name: str) -> Collection:
    """Read a collection by name (../shared/relevance/<name> or bench/relevance/collections/)."""
    folder = SHARED / name if (SHARED / name / "queries.jsonl").is_file() else OWN / name
    if not (folder / "queries.jsonl").is_file():
        raise FileNotFoundError(f"no relevance collection {name!r} in {SHARED} or {OWN}")
    queries = {q["id"]: q["text"] for q in _jsonl(folder / "queries.jsonl")}
    qrels: dict[str, dict[str, int]] = {}
    for line in (folder / "qrels.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip():
            query, doc, grade = line.split("\t")
            qrels.setdefault(query, {})[doc] = int(grade)
    bundled = not (folder / "docs.jsonl").is_file()
    return Collection(name, folder, queries, qrels, bundled)


def documents(collection: Collection) -> Iterator[tuple[str, str, str]]:
    """(id, title, text) of a public collection's documents."""
    for doc in _jsonl(collection.folder / "docs.jsonl"):
        yield str(doc["id"]), doc.get("title", ""), doc.get("text", "")


def write_corpus(collection: Collection, folder: Path) -> Path:
    """The corpus folder to ingest: the bundled corpus, or the documents written as text files."""
    if collection.bundled:
        return REPO / "corpus"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(VOCABULARY, folder / "vocabulary.toml")
    for doc_id, title, text in documents(collection):
        path = folder / f"d{doc_id}.txt"
        content = f"{title}\n\n{text}\n"
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")  # unchanged files keep their mtime
    return folder


def _jsonl(path: Path) -> Iterator[dict[str, str]]:
    """The JSON objects of a JSON-lines file."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
