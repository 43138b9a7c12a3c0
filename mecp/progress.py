"""`mecp ingest --progress-file PATH`: the run's progress, then its report, as a JSON file.

The staff console starts an ingest as a process of its own and reads this file to show it. The
file is replaced atomically (a temporary file, then a rename), so a reader never sees half of
it: when the run starts, at most every UPDATE_SECONDS while files are extracted, and at the end.
  {"state": "running", "pid", "started_at", "updated_at", "done", "total", "current"}
  {"state": "finished", ..., "exit_code": 0 or 1, "summary": "3 added, ...", "report": {...}}
  {"state": "failed", ..., "exit_code": 2 or 130, "message": "why it stopped"}
"report" is Report.to_dict(): added, updated, unchanged, removed, failed (path, reason),
skipped, warnings, rebuilt, seconds. May import: ingest.report, library.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingest.report import Report
from library.generations import atomic_write

UPDATE_SECONDS = 0.5
FORMAT = 1  # the layout above; raised if it ever changes incompatibly


class ProgressFile:
    """The progress file of one ingest run; call it as the pipeline's progress callback."""

    def __init__(self, path: Path) -> None:
        """Start the file: running, nothing done yet."""
        self.path = path
        self._last = 0.0
        self._state: dict[str, Any] = {
            "format": FORMAT,
            "state": "running",
            "pid": os.getpid(),
            "started_at": _now(),
            "done": 0,
            "total": None,
            "current": "",
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write()

    def __call__(self, done: int, total: int, name: str) -> None:
        """One more file extracted (written at most every UPDATE_SECONDS, and the last one)."""
        self._state.update(done=done, total=total, current=name)
        now = time.monotonic()
        if now - self._last >= UPDATE_SECONDS or done >= total:
            self._last = now
            self._write()

    def finish(self, report: Report) -> None:
        """The run ended: its report and exit status."""
        summary = next((line for line in report.lines() if line[:1].isdigit()), "")
        self._state.update(
            state="finished",
            current="",
            exit_code=report.exit_code,
            summary=summary,
            report=report.to_dict(),
        )
        self._write()

    def fail(self, message: str, exit_code: int) -> None:
        """The run stopped before its end: why."""
        self._state.update(state="failed", current="", exit_code=exit_code, message=message)
        self._write()

    def _write(self) -> None:
        """Replace the file with the current state."""
        self._state["updated_at"] = _now()
        atomic_write(self.path, json.dumps(self._state, ensure_ascii=False, indent=1))


def combine(
    *callbacks: Callable[[int, int, str], None] | None,
) -> Callable[[int, int, str], None] | None:
    """One progress callback that calls each given one (None when none is given)."""
    given = [c for c in callbacks if c is not None]
    if not given:
        return None

    def progress(done: int, total: int, name: str) -> None:
        """Tell every callback."""
        for callback in given:
            callback(done, total, name)

    return progress


def _now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
