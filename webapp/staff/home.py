"""The staff console's front page (/staff/): the state of the library and what to do next.

May import: flask, library, and the staff package's own modules.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, render_template

from library.errors import VocabularyError
from library.generations import ingest_running
from library.models import SearchRequest
from library.search import search
from webapp.staff.context import live_index
from webapp.staff.forms import ConfirmForm
from webapp.staff.jobs import state
from webapp.staff.report import gather
from webapp.staff.store import get_db

bp = Blueprint("home", __name__)
RECENT_JOBS = 5


@bp.get("/")
def dashboard() -> str:
    """What the library holds, whether an ingest runs, the latest reindexes."""
    lib = live_index()
    total = search(lib, SearchRequest(per_page=1)).total if lib else None
    jobs = [(job, state(job)) for job in get_db().jobs(RECENT_JOBS)]
    ours_running = any(found["running"] for _, found in jobs)
    shell_running = not ours_running and ingest_running(Path(current_app.config["INDEX_DIR"]))
    try:
        sections, _ = gather() if lib else ([], {})
    except VocabularyError as exc:  # the overview still opens, to reindex once it is fixed
        sections, vocabulary_problem = [], str(exc)
    else:
        vocabulary_problem = ""
    return render_template(
        "staff/home.html",
        sections=sections,
        vocabulary_problem=vocabulary_problem,
        total=total,
        built_at=lib.built_at if lib else "",
        jobs=jobs,
        shell_running=shell_running,
        confirm=ConfirmForm(formdata=None),
    )
