"""What an ingest did, for people (lines) and machines (to_dict), and the exit status it means.

May import: stdlib.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Report:
    """What an ingest did: every file it did not index is named with the reason."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): fix and rerun
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): by design
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    rebuilt: str = ""  # why the index was rebuilt from scratch, if it was
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 when all is well, 1 when some files failed (the rest indexed)."""
        return 1 if self.failed else 0

    def forget(self, path: str) -> None:
        """Drop what was reported about one file (it is being reported again)."""
        for paths in (self.added, self.updated):
            while path in paths:
                paths.remove(path)
        self.failed = [item for item in self.failed if item[0] != path]
        self.warnings = [item for item in self.warnings if item[0] != path]

    def lines(self) -> Iterator[str]:
        """The report as text lines."""
        if self.rebuilt:
            yield f"Rebuilt the index from scratch: {self.rebuilt}."
        skipped = f", {len(self.skipped)} skipped" if self.skipped else ""
        yield (
            f"{len(self.added)} added, {len(self.updated)} updated, {self.unchanged} unchanged, "
            f"{len(self.removed)} removed, {len(self.failed)} failed{skipped} "
            f"({self.seconds:.1f} s)"
        )
        for path, reason in sorted(self.failed):
            yield f"FAILED  {_printable(path)}: {reason}"
        for path, reason in sorted(self.skipped):
            yield f"SKIPPED {_printable(path)}: {reason}"
        for path, message in sorted(self.warnings):
            yield f"warning {_printable(path)}: {message}"

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values."""
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": [{"path": p, "reason": r} for p, r in sorted(self.failed)],
            "skipped": [{"path": p, "reason": r} for p, r in sorted(self.skipped)],
            "warnings": [{"path": p, "message": m} for p, m in sorted(self.warnings)],
            "rebuilt": self.rebuilt,
            "seconds": round(self.seconds, 2),
        }


def _printable(path: str) -> str:
    """A path as one line of the report: control characters shown as escapes."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in path)
