"""The health report: /staff/report (the page staff open every morning) and /staff/report.csv.

It gathers what health.build() needs: every indexed publication, the live manifest, the corpus's
vocabulary, the last console reindex's report, and (for the few whose date equals their file's
date) their sidecar's date. May import: flask, flask_babel, library, the staff package's modules.
"""

from __future__ import annotations

import csv
import io
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, render_template

from library.errors import LibraryError
from library.models import Document
from library.search import get_document
from webapp.staff import corpus, health, sidecars
from webapp.staff.context import corpus_root, live_index, vocabulary
from webapp.staff.forms import ConfirmForm
from webapp.staff.jobs import state
from webapp.staff.store import get_db

bp = Blueprint("report", __name__)
CSV_COLUMNS = ("section", "id", "file", "title", "problem", "what to do")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these as formulas
_LOCK = threading.Lock()


@bp.get("/report")
def page() -> str:
    """Every section, with counts at the top and what to do on every line."""
    sections, facts = gather()
    return render_template(
        "staff/report.html", sections=sections, facts=facts, confirm=ConfirmForm(formdata=None)
    )


@bp.get("/report.csv")
def download() -> Response:
    """The same report as a CSV file, one line per item."""
    sections, facts = gather()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for section in sections:
        for item in section.items:
            row = (section.heading, item.doc_id, item.path, item.title, item.problem, item.todo)
            writer.writerow([_cell(value) for value in row])
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    return Response(
        "\ufeff" + out.getvalue(),  # the BOM makes spreadsheet programs read UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="library-health-{day}.csv"'},
    )


def _cell(value: str) -> str:
    """A CSV value a spreadsheet shows as text, never evaluates."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def gather() -> tuple[list[health.Section], dict[str, Any]]:
    """The sections and their facts, computed once per index generation and reindex job.

    Building them reads every publication's stored fields (about 0.4 s for 1,000 once the
    index is warm, measured): the morning's second look is answered from memory.
    """
    lib = live_index()
    job, _ = _last_report()
    try:
        key = (
            str(lib.path) if lib else "",
            job,
            Path(current_app.config["VOCABULARY"]).stat().st_mtime_ns,
        )
    except OSError:
        key = None
    cache = current_app.extensions.setdefault("staff_report", {})
    with _LOCK:
        if key is not None and key in cache:
            return cache[key]  # type: ignore[no-any-return]
    found = _build(lib)
    with _LOCK:
        cache.clear()
        if key is not None:
            cache[key] = found
    return found


def _build(lib: Any) -> tuple[list[health.Section], dict[str, Any]]:
    """The sections, and facts about where they come from."""
    manifest = lib.manifest() if lib else {}
    records = manifest.get("documents", {})
    records = records if isinstance(records, dict) else {}
    documents = [_document(lib, doc_id) for doc_id, r in records.items() if not r.get("failed")]
    job, last = _last_report()
    sections = health.build(
        [d for d in documents if d is not None], records, vocabulary(), last, _sidecar_date
    )
    facts = {
        "indexed": lib is not None,
        "built_at": lib.built_at if lib else "",
        "publications": sum(d is not None for d in documents),
        "job": job,
        "problems": sum(len(s.items) for s in sections),
    }
    return sections, facts


def _document(lib: Any, doc_id: str) -> Document | None:
    """An indexed publication's metadata, or None if the index does not have it."""
    try:
        return get_document(lib, doc_id)
    except LibraryError:
        return None


def _last_report() -> tuple[int | None, dict[str, Any] | None]:
    """The newest finished console reindex: its number and report."""
    for job in get_db().jobs(20):
        found = state(job)
        if found["state"] == "finished" and isinstance(found.get("report"), dict):
            return job.id, found["report"]
    return None, None


def _sidecar_date(doc_id: str) -> str | None:
    """The date a publication's sidecar gives, if any."""
    publication = corpus.find(corpus_root(), doc_id)
    if publication is None:
        return None
    table, _ = sidecars.read(publication.sidecar)
    value = table.get("date")
    return str(value) if value is not None else None
