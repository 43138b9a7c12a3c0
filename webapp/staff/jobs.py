"""Reindexing from the console: POST /staff/reindex and /staff/jobs/<n>.

A reindex is the real command, `python -m mecp ingest ... --progress-file`, in a process of its
own (never the request's thread), which takes the ingest lock like any other ingest: one at a
time, whoever started it. Its progress and report come back through the progress file, which
the job page reads, refreshing itself without JavaScript while the job runs. A thread of the
serving process that started it waits for the process and records its exit status.
May import: flask, flask_babel, library (never ingest), and the staff package's own modules.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext

from library.generations import ingest_running
from library.staffdb import Job, StaffDB, StaffDBError
from webapp.staff.advice import advice
from webapp.staff.audit import record
from webapp.staff.forms import ConfirmForm
from webapp.staff.store import get_db

log = logging.getLogger(__name__)
bp = Blueprint("jobs", __name__)
REFRESH_SECONDS = 2
LOG_TAIL = 4000  # characters of a job's output shown when it stopped without a report


@bp.post("/reindex")
def reindex() -> Response:
    """Start an ingest (unless one is running) and show its page."""
    ConfirmForm()  # the CSRF token was checked before the view ran
    job = start_reindex(rebuild=False)
    if job is None:
        return redirect(url_for("staff.home.dashboard"))  # type: ignore[return-value]
    return redirect(url_for("staff.jobs.show", number=job.id))  # type: ignore[return-value]


def start_reindex(rebuild: bool) -> Job | None:
    """Start a reindex job, or find the one running; None (and a message) if the shell's runs."""
    db = get_db()
    index_dir = Path(current_app.config["INDEX_DIR"])
    ours = next((j for j in db.jobs(5) if j.finished_at is None and state(j)["running"]), None)
    if ours is None and ingest_running(index_dir):
        flash(
            gettext(
                "An ingest started outside the console (from the server's shell) is running. "
                "Reindex again once it has finished."
            ),
            "error",
        )
        return None
    job, created = db.start_job(g.account.name, rebuild, running=lambda j: state(j)["running"])
    if not created:
        flash(gettext("A reindex is already running: here it is."))
        return job
    _spawn(job, index_dir)
    record("reindex started", detail=f"job {job.id}" + (" (rebuild)" if rebuild else ""))
    return job


@bp.get("/jobs/<int:number>")
def show(number: int) -> str:
    """A job's progress while it runs (the page refreshes itself), then its report."""
    job = get_db().job(number) if 0 < number < 2**63 else None
    if job is None:
        abort(404, gettext("There is no reindex job %(n)s.", n=number))
    found = state(job)
    return render_template(
        "staff/job.html",
        job=job,
        found=found,
        refresh=REFRESH_SECONDS if found["running"] else None,
        advice=advice,
        confirm=ConfirmForm(formdata=None),
    )


def jobs_dir() -> Path:
    """Where jobs' progress files and output go: jobs/ beside the staff database."""
    return Path(current_app.config["STAFF_DB"]).parent / "jobs"


def state(job: Job) -> dict[str, Any]:
    """What a job's progress file and process say: its state, progress and report."""
    progress = _read(jobs_dir() / f"{job.id}.json")
    phase = progress.get("state", "starting")
    finished = phase in ("finished", "failed")
    running = not finished and job.exit_code is None and _alive(progress.get("pid") or job.pid)
    if not finished and not running:
        phase = "stopped"
    found = {**progress, "state": phase, "running": running}
    if phase in ("failed", "stopped"):
        found["log"] = _tail(jobs_dir() / f"{job.id}.log")
    return found


def _spawn(job: Job, index_dir: Path) -> None:
    """Run `mecp ingest` for job in a process of its own, and a thread that waits for it."""
    folder = jobs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    config = current_app.config
    command = [
        sys.executable, "-m", "mecp", "ingest", "--quiet", "--wait",
        "--corpus", str(Path(config["CORPUS_DIR"]).resolve()),
        "--index", str(index_dir.resolve()),
        "--vocabulary", str(Path(config["VOCABULARY"]).resolve()),
        "--progress-file", str(folder / f"{job.id}.json"),
    ] + (["--rebuild"] if job.rebuild else [])  # fmt: skip
    with open(folder / f"{job.id}.log", "ab") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a server stopped with Ctrl-C lets the ingest finish
            close_fds=True,
        )
    get_db().set_job_pid(job.id, process.pid)
    database = Path(config["STAFF_DB"])
    threading.Thread(
        target=_wait, args=(process, database, job.id), name=f"reindex-{job.id}", daemon=True
    ).start()


def _wait(process: subprocess.Popen[bytes], database: Path, number: int) -> None:
    """Wait for a job's process to end and record its exit status."""
    code = process.wait()
    try:
        with StaffDB(database) as db:
            db.finish_job(number, code)
    except StaffDBError:
        log.exception("could not record the end of reindex job %s", number)


def _alive(pid: object) -> bool:
    """Whether a process with this id exists (and is not a zombie waiting to be collected)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return status.rsplit(")", 1)[-1].split()[:1] != ["Z"]


def _read(path: Path) -> dict[str, Any]:
    """A progress file (empty until the ingest has written one)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _tail(path: Path) -> str:
    """The end of a job's output."""
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, os.fstat(handle.fileno()).st_size - LOG_TAIL))
            return handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
