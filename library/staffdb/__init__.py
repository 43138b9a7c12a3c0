"""The staff console's database (MECP_STAFF_DB, SQLite): accounts, failed sign-ins, the audit log
and reindex jobs. This package is the only code that reads or writes it; `mecp users` and the web
app both open a StaffDB. The schema has a version and migrations (schema.py).

May import: stdlib, library.passwords, and its own modules.
"""

from __future__ import annotations

from library.staffdb.accounts import (
    SIGN_IN_LIMIT,
    SIGN_IN_WINDOW,
    Account,
    AccountError,
    Accounts,
    SignIn,
    address_key,
    normalize_name,
)
from library.staffdb.audit import AuditEntry, AuditLog
from library.staffdb.connection import StaffDBError, now_iso
from library.staffdb.jobs import Job, Jobs
from library.staffdb.schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "SIGN_IN_LIMIT",
    "SIGN_IN_WINDOW",
    "Account",
    "AccountError",
    "AuditEntry",
    "Job",
    "SignIn",
    "StaffDB",
    "StaffDBError",
    "address_key",
    "normalize_name",
    "now_iso",
]


class StaffDB(Accounts, AuditLog, Jobs):
    """An open staff database: accounts, sign-in, audit log and jobs in one connection."""

    def __enter__(self) -> StaffDB:
        """Use as a context manager that closes the connection."""
        return self
