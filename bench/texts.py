"""The extracted text of every indexed document, read back from our index into a JSON-lines file,
so the baselines index exactly the text and metadata our ingest produced.

May import: library.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from library.index import open_index
from library.models import Document
from library.search import get_document


def dump_texts(index_dir: Path, out: Path) -> dict[str, float]:
    """Write one {"meta", "body"} line per indexed document; count documents and text MB."""
    lib = open_index(index_dir)
    docs, text_bytes = 0, 0
    with open(out, "w", encoding="utf-8") as handle:
        for listed in lib.engine.documents():
            doc = get_document(lib, listed.id, with_body=True)
            handle.write(json.dumps({"meta": doc.metadata(), "body": doc.body}, ensure_ascii=False))
            handle.write("\n")
            docs += 1
            text_bytes += len(doc.body.encode("utf-8"))
    return {"documents": docs, "text_mb": round(text_bytes / 2**20, 2)}


def iter_texts(path: Path) -> Iterator[dict[str, Any]]:
    """The dumped records, one at a time."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def to_document(record: dict[str, Any]) -> Document:
    """A dumped record as the Document our ingest built."""
    meta = dict(record["meta"])
    meta.pop("year", None)
    meta["topics"] = tuple(meta["topics"])
    meta["audiences"] = tuple(meta["audiences"])
    return Document(**meta, body=record["body"])
