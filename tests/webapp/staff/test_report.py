"""The health report on a corpus with one of each problem, ingested the production way."""

from __future__ import annotations

import csv
import io
import os
import re

import pytest
from flask.testing import FlaskClient

from ingest import pipeline
from library.staffdb import StaffDB
from tests.conftest import build_sample_corpus, settings_for
from tests.factories import pdf_bytes, write
from tests.webapp.staff.conftest import PASSWORD, make_staff_app, sign_in

TWIN = pdf_bytes(["Interviewing Children After Disclosure\nThe same file, saved twice by mistake."])
SAME_FILE = ("reports/interviewing-a", "reports/interviewing-b")
OLD_DAY = 1_500_000_000  # 2017-07-14, a file's timestamp the ingest falls back on


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """A signed-in client over a corpus with a publication for every section of the report."""
    root = tmp_path_factory.mktemp("report")
    corpus = root / "corpus"
    corpus.mkdir()
    build_sample_corpus(corpus)
    write(corpus, "reports/broken.pdf", b"%PDF-1.4 cut short")
    for doc_id in SAME_FILE:
        write(corpus, f"{doc_id}.pdf", TWIN)
    write(corpus, "reports/interviewing-b.toml", 'titel = "A typo in the key"\n')
    undated = write(corpus, "training/notes.txt", "Short notes\n\nNothing dated here at all.\n")
    os.utime(undated, (OLD_DAY, OLD_DAY))
    write(corpus, "families/first-hours-es.md", "# Las primeras horas\n\nUna guía para las familias "
          "cuando un niño desaparece: llame a la policía de inmediato y no espere.\n")  # fmt: skip
    write(corpus, "families/first-hours-es.toml", 'translation_of = "guides/first-hours"\n')
    write(corpus, "families/lost-link.md", "# Guía sin par\n\nEsta guía dice que su edición en "
          "inglés existe, pero el enlace no lleva a ninguna publicación de la biblioteca.\n")  # fmt: skip
    write(corpus, "families/lost-link.toml", 'translation_of = "families/nowhere"\n')
    write(corpus, "fact-sheets/formula.txt", "=HYPERLINK(\"http://evil.example\")\n\nA title "
          "that a spreadsheet would run as a formula, and text long enough to be a summary.\n")  # fmt: skip
    write(corpus, "fact-sheets/markup.txt", "<script>alert(1)</script>\n\nA title with markup "
          "in it, which every page must show as text and never run as a script.\n")  # fmt: skip
    assert pipeline.run(settings_for(corpus, root / "index")).exit_code == 1  # broken.pdf
    with StaffDB(root / "var" / "staff.sqlite3") as db:
        db.add_account("maria", PASSWORD)
    app = make_staff_app(root / "var" / "staff.sqlite3", corpus, root / "index")
    signed = app.test_client()
    assert sign_in(signed, "maria", PASSWORD).status_code == 302
    return signed


def _section(html: str, key: str) -> str:
    """One section of the report page."""
    match = re.search(rf'<section class="report-section" id="{key}".*?</section>', html, re.S)
    assert match, key
    return match.group(0)


@pytest.fixture(scope="module")
def report(client: FlaskClient) -> str:
    """The report page."""
    response = client.get("/staff/report")
    assert response.status_code == 200
    return response.text


def test_failed_files_come_with_the_reason_and_what_to_do(report: str) -> None:
    failed = _section(report, "failed")
    assert "reports/broken" in failed
    assert "damaged or unreadable PDF" in failed
    assert "replace it with a good copy" in failed


def test_ignored_metadata_is_listed_with_its_warning(report: str) -> None:
    warnings = _section(report, "warnings")
    assert "reports/interviewing-b" in warnings
    assert "unknown key &#39;titel&#39; (did you mean &#39;title&#39;?)" in warnings


def test_publications_without_a_sidecar_show_what_was_inferred(report: str) -> None:
    inferred = _section(report, "inferred")
    assert "events/missing-childrens-day" in inferred
    assert "inferred type: Event" in inferred
    assert "guides/first-hours" not in inferred  # it has a sidecar


def test_missing_summaries_and_timestamp_dates_are_listed(report: str) -> None:
    incomplete = _section(report, "incomplete")
    assert "training/notes" in incomplete
    assert "no summary" in incomplete
    assert "its date (2017-07-14) is only the day the file was saved" in incomplete
    assert "guides/first-hours" not in incomplete


def test_the_same_file_twice_and_the_same_title_twice_are_likely_duplicates(report: str) -> None:
    duplicates = _section(report, "duplicates")
    assert "the same file as reports/interviewing-b" in duplicates
    assert "the same file as reports/interviewing-a" in duplicates
    assert "guides/first-hours" not in duplicates


def test_editions_without_a_pair_and_broken_links_are_listed(report: str) -> None:
    editions = _section(report, "editions")
    assert "families/guia-regreso" in editions  # Spanish, no English edition named
    assert "in Spanish, not linked to an English edition" in editions
    assert "its edition families/nowhere is not in the library" in editions
    assert "families/first-hours-es" not in editions  # paired with guides/first-hours
    assert "guides/first-hours" not in editions  # its Spanish edition names it


def test_thin_topics_are_listed_with_their_counts(report: str) -> None:
    topics = _section(report, "topics")
    assert "Tribal Communities" in topics
    assert re.search(r"Tribal Communities.*?<td>1 publication</td>", topics, re.S)


def test_markup_in_titles_is_shown_as_text(report: str) -> None:
    assert "<script>alert(1)</script>" not in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report


def test_the_csv_has_every_item_and_no_formula(client: FlaskClient, report: str) -> None:
    response = client.get("/staff/report.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="library-health-'
    )
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["section", "id", "file", "title", "problem", "what to do"]
    shown = sum(int(n) for n in re.findall(r"</a>: <strong>(\d+)</strong>", report))
    assert len(rows) - 1 == shown
    assert {row[0] for row in rows[1:]} >= {"Could not be indexed", "Likely duplicates"}
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
    assert any(c.startswith("'=HYPERLINK") for c in cells)


def test_the_report_is_linked_from_the_console_only(client: FlaskClient) -> None:
    assert "/staff/report" in client.get("/staff/").text
    assert "/staff/report" not in client.get("/").text
