"""Ingest measurements: our full build and unchanged re-run (`mecp ingest` in a subprocess), PDF
extraction speed, index size, and the index-only and baseline builds over the same text.

May import: bench, library, ingest.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path
from typing import Any

from bench import fts5
from bench.procs import Run, dir_size_mb, run_measured
from bench.texts import dump_texts
from ingest.extract import ExtractionError, extract_pdf
from library.generations import current_generation

_REPORT = re.compile(r"(\d+) added, (\d+) updated, (\d+) unchanged, (\d+) removed, (\d+) failed")


def measure_ingest(corpus: Path, work: Path, workers: int | None) -> dict[str, Any]:
    """Full build, unchanged re-run, text dump, index size and PDF extraction speed."""
    index_dir = work / "index"
    shutil.rmtree(index_dir, ignore_errors=True)
    args = ["-m", "mecp", "ingest", "--corpus", str(corpus), "--index", str(index_dir)]
    if workers:
        args += ["--workers", str(workers)]
    full = ingest_run(args + ["--rebuild"])
    rerun = ingest_run(args)
    texts = dump_texts(index_dir, work / "texts.jsonl")
    generation = current_generation(index_dir)
    docs = texts["documents"]
    return {
        "index_dir": str(index_dir),
        "full": {
            **run_dict(full["run"]),
            "report": full["report"],
            "documents": docs,
            "docs_per_s": round(docs / full["run"].wall_s, 2),
            "text_mb": texts["text_mb"],
            "text_mb_per_s": round(texts["text_mb"] / full["run"].wall_s, 3),
        },
        "rerun": {**run_dict(rerun["run"]), "report": rerun["report"]},
        "index_mb": round(dir_size_mb(generation), 1) if generation else None,
        "pdf": pdf_speed(corpus),
    }


def ingest_run(args: list[str]) -> dict[str, Any]:
    """Run one `mecp ingest` and parse its report line; refuse a run that did not finish."""
    run = run_measured(args)
    found = _REPORT.search(run.stdout)
    if run.returncode not in (0, 1) or not found:
        raise RuntimeError(
            f"ingest failed ({run.returncode}): {run.stderr[-2000:] or run.stdout[-2000:]}"
        )
    names = ("added", "updated", "unchanged", "removed", "failed")
    return {"run": run, "report": dict(zip(names, map(int, found.groups()), strict=True))}


def run_dict(run: Run) -> dict[str, float]:
    """The measured figures of a subprocess run."""
    return {
        "wall_s": round(run.wall_s, 3),
        "cpu_s": round(run.cpu_s, 3),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
        "largest_process_mb": round(run.largest_process_mb, 1),
        "processes": run.processes,
    }


def pdf_speed(corpus: Path) -> dict[str, float | int]:
    """Pages per second of our PDF extraction (pypdf plus clean-up), one process, files in memory."""
    pages, seconds, files = 0, 0.0, 0
    for path in sorted(corpus.rglob("*.pdf")):
        data = path.read_bytes()
        started = time.perf_counter()
        try:
            extracted = extract_pdf(data)
        except ExtractionError:
            continue
        seconds += time.perf_counter() - started
        pages += extracted.page_count or 0
        files += 1
    return {
        "files": files,
        "pages": pages,
        "seconds": round(seconds, 3),
        "pages_per_s": round(pages / seconds, 1) if seconds else 0,
    }


def measure_builds(work: Path, vocabulary: Path) -> dict[str, Any]:
    """Our index-only build and the two baselines, each in its own process, over the same text."""
    texts = work / "texts.jsonl"
    jobs = {
        "ours_index_only": ["ours", str(texts), str(work / "index-only"), str(vocabulary)],
        "whoosh": ["whoosh", str(texts), str(work / "whoosh")],
    }
    if fts5.available():
        jobs["fts5"] = ["fts5", str(texts), str(work / "fts5.db")]
    results: dict[str, Any] = {}
    for name, args in jobs.items():
        run = run_measured(["-m", "bench.builders", *args])
        if run.returncode != 0:
            raise RuntimeError(f"{name} build failed: {run.stderr[-2000:]}")
        inner = json.loads(run.stdout.strip().splitlines()[-1])
        out = Path(args[2])
        size = dir_size_mb(out) if out.is_dir() else out.stat().st_size / 2**20
        results[name] = {
            **run_dict(run),
            **inner,
            "docs_per_s": round(inner["documents"] / run.wall_s, 2),
            "index_mb": round(size, 1),
        }
    if "fts5" not in results:
        results["fts5"] = {"error": "this Python's SQLite has no FTS5"}
    return results
