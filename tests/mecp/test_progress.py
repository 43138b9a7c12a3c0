"""`mecp ingest --progress-file`: what the staff console reads while an ingest runs and after."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import build_sample_corpus
from tests.factories import write
from tests.servers import ROOT


def _ingest(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m mecp ingest ARGS`."""
    return subprocess.run(
        [sys.executable, "-m", "mecp", "ingest", "--workers", "2", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_progress_file_ends_with_the_report(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    build_sample_corpus(corpus)
    write(corpus, "reports/broken.pdf", b"%PDF-1.4 not really")
    progress = tmp_path / "jobs" / "1.json"
    result = _ingest(
        "--corpus", str(corpus), "--index", str(tmp_path / "ix"), "--progress-file", str(progress)
    )
    assert result.returncode == 1, result.stderr
    state = json.loads(progress.read_text())
    assert state["state"] == "finished"
    assert state["exit_code"] == 1
    assert state["done"] == state["total"] == 8
    assert state["summary"].startswith("7 added, 0 updated, 0 unchanged, 0 removed, 1 failed")
    report = state["report"]
    assert len(report["added"]) == 7
    assert report["failed"] == [
        {"path": "reports/broken.pdf", "reason": report["failed"][0]["reason"]}
    ]
    assert "damaged" in report["failed"][0]["reason"]
    assert {"unchanged", "removed", "warnings", "skipped", "rebuilt", "seconds"} <= set(report)
    assert not [p for p in progress.parent.iterdir() if p.name != "1.json"]  # no temporary left


def test_a_run_that_cannot_start_says_why_in_the_file(tmp_path: Path) -> None:
    progress = tmp_path / "p.json"
    result = _ingest(
        "--corpus",
        str(tmp_path / "missing"),
        "--index",
        str(tmp_path / "ix"),
        "--progress-file",
        str(progress),
    )
    assert result.returncode == 2
    state = json.loads(progress.read_text())
    assert (state["state"], state["exit_code"]) == ("failed", 2)
    assert "does not exist" in state["message"]
