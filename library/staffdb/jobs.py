"""Reindex jobs started from the staff console: who started one, its process, how it ended.

What a job is doing is in the progress file its ingest writes; this table says which jobs exist.
May import: stdlib, connection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from library.staffdb.connection import Connection, now_iso

_COLUMNS = "id, started_at, started_by, rebuild, pid, exit_code, finished_at"


@dataclass(frozen=True, slots=True)
class Job:
    """A reindex started from the console."""

    id: int
    started_at: str
    started_by: str
    rebuild: bool
    pid: int | None
    exit_code: int | None
    finished_at: str | None


class Jobs(Connection):
    """The jobs table."""

    def start_job(
        self, started_by: str, rebuild: bool, running: Callable[[Job], bool]
    ) -> tuple[Job, bool]:
        """(a new job, True), or (the unfinished job running() says is running, False)."""
        with self._write() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM jobs WHERE finished_at IS NULL ORDER BY id DESC"
            ).fetchall()
            for job in map(_job, rows):
                if running(job):
                    return job, False
            number = conn.execute(
                "INSERT INTO jobs (started_at, started_by, rebuild) VALUES (?, ?, ?)",
                (now_iso(), started_by, int(rebuild)),
            ).lastrowid
        created = self.job(int(number or 0))
        assert created is not None  # committed just now; jobs are never deleted
        return created, True

    def set_job_pid(self, number: int, pid: int) -> None:
        """Remember the process running a job."""
        with self._write() as conn:
            conn.execute("UPDATE jobs SET pid = ? WHERE id = ?", (pid, number))

    def finish_job(self, number: int, exit_code: int) -> None:
        """Record how a job's process ended (once)."""
        with self._write() as conn:
            conn.execute(
                "UPDATE jobs SET exit_code = ?, finished_at = ? WHERE id = ? AND finished_at IS NULL",
                (exit_code, now_iso(), number),
            )

    def job(self, number: int) -> Job | None:
        """One job by number."""
        rows = self._read(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (number,))
        return _job(rows[0]) if rows else None

    def jobs(self, limit: int = 20) -> list[Job]:
        """The most recent jobs, newest first."""
        return [
            _job(r)
            for r in self._read(f"SELECT {_COLUMNS} FROM jobs ORDER BY id DESC LIMIT ?", (limit,))
        ]


def _job(row: tuple[object, ...]) -> Job:
    """A Job from its row."""
    number, started_at, started_by, rebuild, pid, exit_code, finished_at = row
    return Job(
        int(number),  # type: ignore[call-overload]
        str(started_at),
        str(started_by),
        bool(rebuild),
        pid,  # type: ignore[arg-type]
        exit_code,  # type: ignore[arg-type]
        finished_at,  # type: ignore[arg-type]
    )
