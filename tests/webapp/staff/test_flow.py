"""The whole flow, as staff live it: an account made with the command, sign in, upload a PDF
with its metadata, reindex, find it in /api/search, edit its title, remove it, and read all of it
in the audit log. A real `mecp ingest` runs in the background each time."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ingest import pipeline
from tests.conftest import settings_for
from tests.factories import pdf_bytes
from tests.servers import ROOT
from tests.webapp.staff.conftest import csrf_token, make_staff_app, sign_in
from tests.webapp.staff.test_publications import post_multipart

PASSWORD = "river stone lantern morning"
JOB_TIMEOUT = 120  # seconds for one background ingest of the small corpus
PDF = pdf_bytes([
    "Reunification After a Long-Term Absence\nA guide for families and the professionals who "
    "help them when a child comes home after months or years away.",
])  # fmt: skip


@pytest.fixture
def live_app(tmp_path: Path, corpus: Path) -> Flask:
    """The app over an index of this test's corpus, built the production way."""
    index = tmp_path / "index"
    assert pipeline.run(settings_for(corpus, index)).exit_code == 0
    staff_db = tmp_path / "var" / "staff.sqlite3"
    made = subprocess.run(
        [sys.executable, "-m", "mecp", "users", "add", "maria", "--password-stdin", "--db", str(staff_db)],
        input=PASSWORD,
        text=True,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return make_staff_app(staff_db, corpus, index)


def reindex(client: FlaskClient) -> str:
    """Press "Reindex now" and follow the job page until the job is over; its page."""
    token = csrf_token(client.get("/staff/").text)
    response = client.post("/staff/reindex", data={"csrf_token": token})
    assert response.status_code == 302
    job_url = response.headers["Location"]
    assert job_url.startswith("/staff/jobs/")
    return wait_for(client, job_url)


def wait_for(client: FlaskClient, job_url: str) -> str:
    """The job's page once it no longer refreshes itself (the job has ended)."""
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        page = client.get(job_url).text
        if 'http-equiv="refresh"' not in page:
            return page
        time.sleep(0.3)
    pytest.fail(f"{job_url} still running after {JOB_TIMEOUT} s")


def titles(client: FlaskClient, q: str) -> list[str]:
    """Titles /api/search returns for q."""
    data = json.loads(client.get("/api/search", query_string={"q": q}).text)
    return [hit["title"] for hit in data["results"]]


def test_add_reindex_find_edit_remove_and_audit(live_app: Flask, corpus: Path) -> None:
    client = live_app.test_client()
    assert sign_in(client, "maria", PASSWORD).status_code == 302

    form = {
        "csrf_token": csrf_token(client.get("/staff/upload").text),
        "file": (io.BytesIO(PDF), "reunification-guide.pdf"),
        "folder": "families",
        "title": "Coming Home After Years Away",
        "summary": "What families can expect when a long-missing child returns.",
        "date": "2024-05-25",
        "type": "guide",
        "topics": ["recovery-reunification"],
        "audiences": ["families"],
        "language": "en",
        "after": "reindex",
    }
    added = post_multipart(client, "/staff/upload", form)
    assert added.status_code == 302
    assert added.headers["Location"].startswith("/staff/jobs/")  # "reindex now"
    report = wait_for(client, added.headers["Location"])
    assert "1 added" in report
    assert "families/coming-home-after-years-away.pdf" in report
    assert "Coming Home After Years Away" in titles(client, "coming home years away")
    hit = json.loads(client.get("/api/documents/families/coming-home-after-years-away").text)
    assert (hit["type"], hit["date"], hit["topics"]) == (
        "guide",
        "2024-05-25",
        ["recovery-reunification"],
    )

    page = "/staff/documents/families/coming-home-after-years-away"
    edit = {
        "csrf_token": csrf_token(client.get(page).text),
        "action": "save",
        "title": "When a Child Comes Home After Years Away",
        "date": "2024-05-25",
        "type": "guide",
        "topics": ["recovery-reunification"],
        "audiences": ["families"],
        "language": "en",
    }
    assert client.post(page, data=edit).status_code == 302
    assert "1 updated" in reindex(client)
    assert "When a Child Comes Home After Years Away" in titles(client, "comes home years away")

    removal = {"csrf_token": csrf_token(client.get(page).text), "action": "remove"}
    assert client.post(page, data=removal).status_code == 302
    assert "1 removed" in reindex(client)
    assert not [t for t in titles(client, "comes home years away") if "Years Away" in t]
    assert (corpus / "_removed/families/coming-home-after-years-away.pdf").is_file()
    assert client.get("/documents/families/coming-home-after-years-away").status_code == 404

    audit = client.get("/staff/audit").text
    order = ["signed in", "added", "reindex started", "edited", "removed"]
    positions = [audit.rfind(f"<td>{action}</td>") for action in order]
    assert all(p > 0 for p in positions), positions
    assert positions == sorted(positions, reverse=True)  # newest first
    assert (
        "title: &#39;Coming Home After Years Away&#39; -&gt; &#39;When a Child Comes Home" in audit
    )


def test_a_second_reindex_while_one_runs_shows_the_running_one(live_app: Flask) -> None:
    client = live_app.test_client()
    sign_in(client, "maria", PASSWORD)
    token = csrf_token(client.get("/staff/").text)
    first = client.post("/staff/reindex", data={"csrf_token": token}).headers["Location"]
    second = client.post("/staff/reindex", data={"csrf_token": token}, follow_redirects=True)
    if "already running" in second.text:  # the first had not finished yet
        assert second.request.path == first
    wait_for(client, first)


def test_an_ingest_started_from_the_shell_is_shown_and_not_doubled(
    live_app: Flask, corpus: Path, tmp_path: Path
) -> None:
    from library.generations import ingest_lock

    client = live_app.test_client()
    sign_in(client, "maria", PASSWORD)
    token = csrf_token(client.get("/staff/").text)
    with ingest_lock(tmp_path / "index"):  # what `mecp ingest` holds while it runs
        assert "started from the server" in client.get("/staff/").text
        refused = client.post("/staff/reindex", data={"csrf_token": token}, follow_redirects=True)
        assert "started outside the console" in refused.text
    assert not list((tmp_path / "var").glob("jobs/*.json"))


def test_a_job_that_fails_says_why(live_app: Flask, corpus: Path) -> None:
    client = live_app.test_client()
    sign_in(client, "maria", PASSWORD)
    (corpus / "vocabulary.toml").write_text("this is [not toml", encoding="utf-8")
    assert "vocabulary cannot be read" in client.get("/staff/").text
    upload = client.get("/staff/upload")
    assert upload.status_code == 503
    assert "vocabulary.toml" in upload.text
    page = reindex(client)
    assert "The reindex stopped" in page
    assert "vocabulary" in page
    assert "still shows the library as it was" in page
