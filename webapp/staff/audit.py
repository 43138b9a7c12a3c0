"""The audit log's page (/staff/audit) and record(), which every change in the console calls.

May import: flask, library.staffdb, and the staff package's own modules.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, request

from webapp.staff.store import get_db

bp = Blueprint("audit", __name__)
PAGE_SIZE = 100


def record(action: str, doc_id: str = "", detail: str = "") -> None:
    """Append a line to the audit log in the name of the signed-in account."""
    get_db().record(g.account.name, action, doc_id, detail)


@bp.get("/audit")
def log() -> str:
    """The audit log, newest first, a page at a time; ?id= narrows it to one publication."""
    before = request.args.get("before", type=int)
    if before is not None and not 0 < before < 2**63:  # SQLite's integers are 64-bit
        before = None
    doc_id = request.args.get("id") or None
    entries = get_db().audit_log(limit=PAGE_SIZE + 1, before=before, doc_id=doc_id)
    more = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    return render_template(
        "staff/audit.html",
        entries=entries,
        doc_id=doc_id,
        older=entries[-1].id if more and entries else None,
    )
