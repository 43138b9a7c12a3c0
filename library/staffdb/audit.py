"""The audit log: who changed what, when, and which publication; lines are only ever added.

May import: stdlib, connection.
"""

from __future__ import annotations

from dataclasses import dataclass

from library.staffdb.connection import Connection, now_iso


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: str  # UTC, ISO 8601
    actor: str  # an account name, or "command line" for `mecp users`
    action: str
    doc_id: str
    detail: str


class AuditLog(Connection):
    """The append-only audit table."""

    def record(self, actor: str, action: str, doc_id: str = "", detail: str = "") -> None:
        """Append one line to the audit log."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO audit (at, actor, action, doc_id, detail) VALUES (?, ?, ?, ?, ?)",
                (now_iso(), actor, action, doc_id, detail),
            )

    def audit_log(
        self, limit: int = 100, before: int | None = None, doc_id: str | None = None
    ) -> list[AuditEntry]:
        """Newest lines first: at most limit, older than line `before`, about doc_id if given."""
        where: list[str] = []
        args: list[object] = []
        if before is not None:
            where.append("id < ?")
            args.append(before)
        if doc_id is not None:
            where.append("doc_id = ?")
            args.append(doc_id)
        sql = "SELECT id, at, actor, action, doc_id, detail FROM audit"
        sql += (" WHERE " + " AND ".join(where)) if where else ""
        rows = self._read(sql + " ORDER BY id DESC LIMIT ?", (*args, limit))
        return [AuditEntry(*row) for row in rows]  # type: ignore[arg-type]
