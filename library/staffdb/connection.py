"""The connection to the staff database: opening, migrating, and write transactions.

The base of StaffDB; the account, audit and job tables build on it. WAL journaling lets every
serving process read while one writes; a write transaction is taken at once (BEGIN IMMEDIATE),
so concurrent writers queue for up to BUSY_TIMEOUT instead of failing. May import: stdlib, schema.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from library.staffdb.schema import MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT = 10  # seconds to wait for another process's write


class StaffDBError(OSError):
    """The database cannot be opened or used (newer schema, damaged file, read-only folder)."""


def now_iso() -> str:
    """The current UTC time as the database stores it (ISO 8601, to the second)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Connection:
    """An open connection to the staff database; one per thread (or request), then close()."""

    def __init__(self, path: Path) -> None:
        """Open (creating it with mode 0600 if missing) and migrate the database at path."""
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))  # never readable by others
            self._conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StaffDBError(f"cannot open the staff database {path}: {_reason(exc)}") from exc
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
            _migrate(self._conn, path)
        except sqlite3.Error as exc:
            self._conn.close()
            raise StaffDBError(f"cannot open the staff database {path}: {exc}") from exc
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> Connection:
        """Use as a context manager that closes the connection."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close on leaving the with block."""
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed at the end of the block, rolled back on an error."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StaffDBError(f"the staff database {self.path} is not writable: {exc}") from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise StaffDBError(f"the staff database {self.path} was not changed: {exc}") from exc
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _read(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        """The rows of one query."""
        try:
            return self._conn.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise StaffDBError(f"the staff database {self.path} cannot be read: {exc}") from exc


def _reason(exc: BaseException) -> str:
    """An OSError's words without its errno prefix."""
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema to SCHEMA_VERSION; refuse a database made by a newer version."""
    if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have
        if version > SCHEMA_VERSION:
            raise StaffDBError(
                f"the staff database {path} has schema version {version}, newer than this "
                f"version of the library knows ({SCHEMA_VERSION}): upgrade the library"
            )
        for statements in MIGRATIONS[version:]:
            for statement in statements:
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
