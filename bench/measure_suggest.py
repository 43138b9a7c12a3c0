"""Latency of search suggestions (library.suggest, what /api/suggest calls) over prefixes of the
corpus's own titles and vocabulary labels, as a person types them, and the per-generation build.

May import: bench, library.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path
from typing import Any

from bench.stats import summarize_ms

LENGTHS = (1, 2, 3, 5, 8, 12)  # characters typed so far
WORDS = re.compile(r"\w+")


def typed_prefixes(texts: list[str], count: int, seed: int) -> list[str]:
    """count prefixes: from a random word start of a random text, each of LENGTHS characters."""
    rng = random.Random(seed)
    found: list[str] = []
    while len(found) < count:
        text = rng.choice(texts)
        starts = [m.start() for m in WORDS.finditer(text)] or [0]
        start = rng.choice(starts)
        found.append(text[start : start + LENGTHS[len(found) % len(LENGTHS)]])
    return found


def measure_suggest(index_dir: Path, count: int = 600, seed: int = 5) -> dict[str, Any]:
    """Build time of the suggestion table, then latency percentiles of count prefixes."""
    from library.catalog import listing
    from library.index import open_index
    from library.suggest import suggest, vocabulary_entries

    lib = open_index(index_dir)
    started = time.perf_counter()
    titles = [item.title for item in listing(lib)]
    suggest(lib, "a")  # builds the generation's table
    build_ms = (time.perf_counter() - started) * 1000
    labels = [entry.text for entry in vocabulary_entries(lib.vocabulary)]
    prefixes = typed_prefixes(titles, count * 3 // 4, seed) + typed_prefixes(
        labels, count - count * 3 // 4, seed
    )
    random.Random(seed).shuffle(prefixes)
    timings, empty = [], 0
    for prefix in prefixes:
        begin = time.perf_counter()
        found = suggest(lib, prefix)
        timings.append(time.perf_counter() - begin)
        empty += not found
    return {
        "entries": len(titles) + len(labels),
        "build_ms": round(build_ms, 1),
        "latency": summarize_ms(timings),
        "empty_share": round(empty / len(prefixes), 3),
    }
