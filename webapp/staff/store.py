"""The staff database for the current request: one StaffDB per request, closed at its end.

May import: flask, library.staffdb.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g

from library.staffdb import StaffDB


def init_app(app: Flask) -> None:
    """Close the request's database connection when the request ends."""
    app.teardown_appcontext(_close)


def get_db() -> StaffDB:
    """This request's connection to MECP_STAFF_DB (opened, and migrated, on first use)."""
    if "staff_db" not in g:
        g.staff_db = StaffDB(Path(current_app.config["STAFF_DB"]))
    db: StaffDB = g.staff_db
    return db


def _close(exc: BaseException | None = None) -> None:
    """Close the connection if this request opened one."""
    db = g.pop("staff_db", None)
    if db is not None:
        db.close()
