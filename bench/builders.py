"""Index builds over the dumped text, each run in its own process so its time, CPU and RSS are
its own: `python -m bench.builders {ours,whoosh,fts5} TEXTS OUT [VOCABULARY]`.

`ours` is our schema and writer (library.index) without extraction: it separates the cost of
indexing from the cost of extracting. Prints one JSON line. May import: library, bench.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

from bench import fts5, plain_whoosh
from bench.texts import iter_texts, to_document
from library import index
from library.vocab import load_vocabulary


def build_ours(texts: Path, out: Path, vocabulary: Path) -> int:
    """Index the dumped Documents through library.index, as the ingest does after extraction."""
    shutil.rmtree(out, ignore_errors=True)
    update = index.begin_update(out, rebuild=True)
    count = 0
    for record in iter_texts(texts):
        update.upsert(to_document(record))
        count += 1
    update.publish({"documents": {}}, load_vocabulary(vocabulary), texts.parent)
    return count


def main(argv: list[str]) -> int:
    """Build one index and print {"documents", "seconds", "cpu_s"}."""
    kind, texts, out = argv[0], Path(argv[1]), Path(argv[2])
    wall, cpu = time.perf_counter(), time.process_time()
    if kind == "ours":
        count = build_ours(texts, out, Path(argv[3]))
    elif kind == "whoosh":
        shutil.rmtree(out, ignore_errors=True)
        count = plain_whoosh.build(texts, out)
    elif kind == "fts5":
        count = fts5.build(texts, out)
    else:
        print(f"unknown builder {kind!r}", file=sys.stderr)
        return 2
    result = {
        "documents": count,
        "seconds": round(time.perf_counter() - wall, 3),
        "cpu_s": round(time.process_time() - cpu, 3),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
