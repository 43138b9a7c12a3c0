"""The staff database's schema: numbered migrations and the version they lead to.

MIGRATIONS[n] takes a database from version n (SQLite's user_version) to n + 1. A change to the
schema is a new entry at the end, never an edit of an old one. The audit log is append-only:
triggers refuse to change or delete its rows. May import: stdlib.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE accounts (
            name TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            session_stamp TEXT NOT NULL,
            created_at TEXT NOT NULL,
            password_changed_at TEXT NOT NULL,
            last_sign_in_at TEXT)""",
        """CREATE TABLE sign_in_failures (
            id INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            address TEXT NOT NULL,
            at REAL NOT NULL)""",
        "CREATE INDEX sign_in_failures_by_account ON sign_in_failures (account, at)",
        "CREATE INDEX sign_in_failures_by_address ON sign_in_failures (address, at)",
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            doc_id TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '')""",
        "CREATE INDEX audit_by_document ON audit (doc_id, id)",
        """CREATE TRIGGER audit_rows_are_never_changed BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TRIGGER audit_rows_are_never_deleted BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TABLE jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at TEXT NOT NULL,
            started_by TEXT NOT NULL,
            rebuild INTEGER NOT NULL DEFAULT 0,
            pid INTEGER,
            exit_code INTEGER,
            finished_at TEXT)""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
