"""The staff console end to end in Debian's chromium: a real `mecp serve` over a corpus of its
own; sign in, add a publication with "reindex now", watch the job finish (the page refreshes
itself, no script), and find the publication on the public search page."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from ingest import pipeline
from tests.conftest import build_sample_corpus, settings_for
from tests.factories import pdf_bytes
from tests.servers import ROOT, running_server
from tests.webapp.conftest import require_chromium

pytestmark = pytest.mark.browser

PASSWORD = "harbor willow cobalt sunrise"
JOB_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server whose console writes into its own corpus: (base URL, folder of test files)."""
    require_chromium()
    root = tmp_path_factory.mktemp("console")
    corpus = root / "corpus"
    corpus.mkdir()
    build_sample_corpus(corpus)
    index, staff_db = root / "index", root / "var" / "staff.sqlite3"
    assert pipeline.run(settings_for(corpus, index)).exit_code == 0
    subprocess.run(
        [sys.executable, "-m", "mecp", "users", "add", "maria", "--password-stdin", "--db", str(staff_db)],
        input=PASSWORD, text=True, cwd=ROOT, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    (root / "files").mkdir()
    (root / "files" / "Bilingual Hotline Card.pdf").write_bytes(
        pdf_bytes(["A Bilingual Hotline Card for Families\nCall 911 first, then 1-800-THE-LOST."])
    )
    serve = ("--corpus", str(corpus), "--db", str(staff_db), "--processes", "1")
    with running_server(index, *serve) as (url, _process):
        yield url, root / "files"


def test_staff_sign_in_add_a_publication_reindex_and_see_it_on_the_site(
    console: tuple[str, Path], browser: Browser
) -> None:
    url, files = console
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(url + "/staff/upload")
    page.wait_for_url(re.compile(r"/staff/login\?next=/staff/upload"))
    page.get_by_label("Account name").fill("maria")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/staff/upload$"))

    page.get_by_label("File", exact=True).set_input_files(files / "Bilingual Hotline Card.pdf")
    page.get_by_label("Folder").select_option("fact-sheets")
    page.get_by_label("Title").fill("Bilingual Hotline Card")
    page.get_by_label("Type").select_option("fact-sheet")
    page.get_by_label("Families").check()
    page.get_by_label("Child Abduction").check()
    page.get_by_role("button", name="Add it and reindex now").click()
    page.wait_for_url(re.compile(r"/staff/jobs/\d+$"))
    expect(page.get_by_text(re.compile(r"^Finished: 1 added"))).to_be_visible(
        timeout=JOB_TIMEOUT_MS
    )
    assert page.get_by_role("link", name="fact-sheets/bilingual-hotline-card.pdf").count() == 1

    page.goto(url + "/search?q=bilingual+hotline+card")
    first = page.locator(".results .doc-title a").first
    assert first.inner_text() == "Bilingual Hotline Card"
    assert "/staff" not in page.content()  # the public page does not know the console
    first.click()
    page.wait_for_url(re.compile(r"/documents/fact-sheets/bilingual-hotline-card(\?|$)"))
    assert page.locator("h1").inner_text() == "Bilingual Hotline Card"
    assert errors == []  # no CSP violation, no script error, no missing resource
    context.close()
