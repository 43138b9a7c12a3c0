"""Adding, editing, replacing and removing publications from the console, on a real corpus folder."""

from __future__ import annotations

import io
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import EnvironBuilder, TestResponse

from library.staffdb import StaffDB
from tests.factories import html_page, pdf_bytes
from tests.webapp.staff.conftest import PASSWORD, csrf_token, make_staff_app, sign_in

PDF = pdf_bytes(["Planning for Safety: A Guide for Families\nWhat to do before and after."])


def upload(
    client: FlaskClient, data: bytes = PDF, filename: str = "guide.pdf", **fields: Any
) -> TestResponse:
    """Send the upload form with a file and fields, as a browser would."""
    token = csrf_token(client.get("/staff/upload").text)
    form = {"csrf_token": token, "folder": "guides", "type": "", "language": "", **fields}
    form["file"] = (io.BytesIO(data), filename)
    return post_multipart(client, "/staff/upload", form)


def post_multipart(client: FlaskClient, url: str, form: dict[str, Any]) -> TestResponse:
    """POST a multipart form; the encoded body is closed afterwards, even if the app never read it."""
    builder = EnvironBuilder(url, method="POST", data=form, content_type="multipart/form-data")
    environ = builder.get_environ()
    builder.close()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()


def files_under(root: Path) -> set[str]:
    """Every file beneath root, relative."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def audit_actions(staff_db: Path) -> list[tuple[str, str]]:
    """(action, id) of the audit log, oldest first."""
    with StaffDB(staff_db) as db:
        return [(e.action, e.doc_id) for e in reversed(db.audit_log())]


def test_an_upload_writes_the_file_and_its_sidecar_into_the_chosen_folder(
    signed_in: FlaskClient, corpus: Path, staff_db: Path
) -> None:
    before = files_under(corpus)
    response = upload(
        signed_in,
        title="Planning for Safety",
        summary="What families can do.",
        date="2024-02-01",
        type="guide",
        topics=["prevention", "abduction"],
        audiences=["families"],
        language="en",
        source_url="https://example.org/safety",
        authors="Doe, Jane\nMissing and Exploited Children's Program",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/documents/guides/planning-for-safety"
    assert files_under(corpus) - before == {
        "guides/planning-for-safety.pdf",
        "guides/planning-for-safety.toml",
    }
    assert (corpus / "guides/planning-for-safety.pdf").read_bytes() == PDF
    table = tomllib.loads((corpus / "guides/planning-for-safety.toml").read_text())
    assert table == {
        "title": "Planning for Safety",
        "summary": "What families can do.",
        "date": "2024-02-01",
        "type": "guide",
        "topics": ["abduction", "prevention"],  # the vocabulary's order
        "audiences": ["families"],
        "language": "en",
        "source_url": "https://example.org/safety",
        "authors": ["Doe, Jane", "Missing and Exploited Children's Program"],
    }
    assert not [p for p in (corpus / "guides").iterdir() if p.name.startswith(".")]  # no temp
    assert audit_actions(staff_db)[-1] == ("added", "guides/planning-for-safety")
    page = signed_in.get(response.headers["Location"])
    assert "It appears on the public site after the next reindex" in page.text


def test_without_a_title_or_name_the_id_comes_from_the_file_name(
    signed_in: FlaskClient, corpus: Path
) -> None:
    assert upload(signed_in, filename="Guía Rápida 2024.PDF").status_code == 302
    assert (corpus / "guides/guia-rapida-2024.pdf").is_file()
    assert not (corpus / "guides/guia-rapida-2024.toml").exists()  # nothing given: no sidecar


@pytest.mark.parametrize(
    "name", ["../../x.pdf", "..\\..\\x.pdf", "/etc/x.pdf", "guides/../../../x.pdf"]
)
def test_a_file_name_with_folders_in_it_never_writes_outside_the_corpus(
    signed_in: FlaskClient, corpus: Path, tmp_path: Path, name: str
) -> None:
    before = files_under(tmp_path)
    assert upload(signed_in, filename=name).status_code == 302
    assert files_under(tmp_path) - before == {"corpus/guides/x.pdf"}
    assert (corpus / "guides/x.pdf").read_bytes() == PDF


@pytest.mark.parametrize("folder", ["../..", "/tmp", "guides/../..", "_removed", "missing"])
def test_a_folder_that_is_not_one_of_the_corpus_is_refused(
    signed_in: FlaskClient, corpus: Path, folder: str
) -> None:
    before = files_under(corpus)
    response = upload(signed_in, folder=folder, title="Anything")
    assert response.status_code == 400
    assert "Not a valid choice" in response.text
    assert files_under(corpus) == before


def test_a_symlinked_folder_pointing_out_is_not_offered_nor_written_through(
    signed_in: FlaskClient, corpus: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (corpus / "shared").symlink_to(elsewhere, target_is_directory=True)
    form = signed_in.get("/staff/upload").text
    assert 'value="shared"' not in form
    assert upload(signed_in, folder="shared", title="Escape").status_code == 400
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (
            html_page("Hello", "<p>A web page.</p>").encode(),
            "report.pdf",
            "named .pdf but it is HTML",
        ),
        (PDF, "notes.txt", "named .txt but it is PDF"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "photo.pdf", "it is an image"),
        (b"PK\x03\x04" + bytes(64), "letter.docx", ".docx is not a publication type"),
        (b"", "empty.pdf", "the file is empty"),
        (PDF, "no-extension", "is not a publication type"),
    ],
)
def test_a_file_whose_content_does_not_match_its_name_is_refused(
    signed_in: FlaskClient, corpus: Path, data: bytes, filename: str, message: str
) -> None:
    before = files_under(corpus)
    response = upload(signed_in, data=data, filename=filename, title="Something")
    assert response.status_code == 400
    assert message in response.text
    assert files_under(corpus) == before


@pytest.mark.parametrize("megabytes", [1.5, 3])
def test_a_file_over_the_size_limit_answers_413(
    staff_db: Path, corpus: Path, index_dir: Path, megabytes: float
) -> None:
    client = make_staff_app(staff_db, corpus, index_dir, MAX_FILE_MB=1).test_client()
    sign_in(client, "maria", PASSWORD)
    before = files_under(corpus)
    big = PDF + b"%" * int(megabytes * 2**20)
    response = upload(client, data=big, title="Too big")
    assert response.status_code == 413
    assert "1 MB limit" in response.text
    assert files_under(corpus) == before


def test_an_existing_publication_is_kept_unless_replace_is_ticked(
    signed_in: FlaskClient, corpus: Path, staff_db: Path
) -> None:
    old = (corpus / "guides/first-hours.html").read_bytes()
    taken = upload(signed_in, name="first-hours", title="Another")
    assert taken.status_code == 409
    assert "already in the library" in taken.text
    assert (corpus / "guides/first-hours.html").read_bytes() == old
    replaced = upload(signed_in, name="first-hours", title="The first hours", replace="y")
    assert replaced.status_code == 302
    assert (corpus / "guides/first-hours.pdf").read_bytes() == PDF
    assert not (corpus / "guides/first-hours.html").exists()  # one file per id
    assert (corpus / "_removed/guides/first-hours.html").read_bytes() == old
    assert (corpus / "_removed/guides/first-hours.toml").is_file()  # the old sidecar, kept
    assert tomllib.loads((corpus / "guides/first-hours.toml").read_text()) == {
        "title": "The first hours"
    }
    assert audit_actions(staff_db)[-1] == ("replaced", "guides/first-hours")


@pytest.mark.parametrize("name", ["vocabulary", "readme"])
def test_the_corpus_s_own_files_cannot_be_overwritten(
    signed_in: FlaskClient, corpus: Path, name: str
) -> None:
    vocabulary = (corpus / "vocabulary.toml").read_bytes()
    response = upload(signed_in, folder="", name=name, title="Mine", replace="y")
    assert response.status_code == 400
    assert "reserved" in response.text
    assert (corpus / "vocabulary.toml").read_bytes() == vocabulary


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": "2019-02-30"}, "does not exist on the calendar"),
        ({"date": "March 2019"}, "YYYY-MM-DD"),
        ({"source_url": "javascript:alert(1)"}, "starting with https://"),
        ({"translation_of": "families/no-such-guide"}, "No publication in the corpus has the id"),
        ({"translation_of": "../../etc/passwd"}, "other edition"),
        ({"type": "poem"}, "Not a valid choice"),
        ({"topics": ["amber-alerts"]}, "not a valid choice"),
        ({"language": "fr"}, "Not a valid choice"),
        ({"title": "x" * 301}, "300"),
    ],
)
def test_metadata_the_ingest_would_not_accept_is_refused_with_a_reason(
    signed_in: FlaskClient, corpus: Path, fields: dict[str, Any], message: str
) -> None:
    before = files_under(corpus)
    response = upload(signed_in, **fields)
    assert response.status_code == 400
    assert message.lower() in response.text.lower()
    assert files_under(corpus) == before


def test_an_edit_rewrites_the_sidecar_keeping_keys_the_form_does_not_know(
    signed_in: FlaskClient, corpus: Path, staff_db: Path
) -> None:
    sidecar = corpus / "guides/first-hours.toml"
    sidecar.write_text(sidecar.read_text() + 'reviewed_by = "Maria"\n')
    page = "/staff/documents/guides/first-hours"
    form = signed_in.get(page).text
    assert 'value="2019-03-04"' in form  # the sidecar's values fill the form
    data = {
        "csrf_token": csrf_token(form),
        "action": "save",
        "title": "The First Hours",
        "date": "2019-03-04",
        "type": "guide",
        "topics": ["missing-investigations", "abduction"],
        "audiences": ["families"],
        "language": "",
    }
    response = signed_in.post(page, data=data)
    assert response.status_code == 302
    table = tomllib.loads(sidecar.read_text())
    assert table["title"] == "The First Hours"
    assert table["topics"] == ["abduction", "missing-investigations"]
    assert table["reviewed_by"] == "Maria"
    with StaffDB(staff_db) as db:
        entry = db.audit_log()[0]
    assert (entry.action, entry.doc_id) == ("edited", "guides/first-hours")
    assert "title: set to 'The First Hours'" in entry.detail
    assert "topics: +abduction" in entry.detail


def test_replacing_the_file_keeps_the_metadata_and_the_old_file(
    signed_in: FlaskClient, corpus: Path, staff_db: Path
) -> None:
    page = "/staff/documents/reports/cart-report"
    old = (corpus / "reports/cart-report.pdf").read_bytes()
    data = {
        "csrf_token": csrf_token(signed_in.get(page).text),
        "action": "replace",
        "file": (io.BytesIO(PDF), "cart-2017.pdf"),
    }
    response = post_multipart(signed_in, page, data)
    assert response.status_code == 302
    assert (corpus / "reports/cart-report.pdf").read_bytes() == PDF
    assert (corpus / "_removed/reports/cart-report.pdf").read_bytes() == old
    assert audit_actions(staff_db)[-1] == ("file replaced", "reports/cart-report")


def test_removing_moves_file_and_sidecar_to_removed(
    signed_in: FlaskClient, corpus: Path, staff_db: Path
) -> None:
    page = "/staff/documents/fact-sheets/sextortion"
    token = csrf_token(signed_in.get(page).text)
    response = signed_in.post(page, data={"csrf_token": token, "action": "remove"})
    assert response.status_code == 302
    assert not (corpus / "fact-sheets/sextortion.pdf").exists()
    assert (corpus / "_removed/fact-sheets/sextortion.pdf").is_file()
    assert (corpus / "_removed/fact-sheets/sextortion.toml").is_file()
    assert audit_actions(staff_db)[-1] == ("removed", "fact-sheets/sextortion")
    still_indexed = signed_in.get(page)
    assert "no longer in the corpus" in still_indexed.text
    upload(signed_in, folder="fact-sheets", name="sextortion", title="Again")
    again = signed_in.post(page, data={"csrf_token": token, "action": "remove"})
    assert again.status_code == 302
    names = {p.name for p in (corpus / "_removed/fact-sheets").iterdir()}
    assert len(names) == 4  # the second removal is kept beside the first, paired by name
    stems = {Path(n).stem for n in names}
    assert len(stems) == 2


@pytest.mark.parametrize(
    "doc_id", ["../vocabulary", "_removed/fact-sheets/sextortion", ".hidden/x", "no/such/thing"]
)
def test_ids_outside_the_publications_are_not_found(signed_in: FlaskClient, doc_id: str) -> None:
    assert signed_in.get(f"/staff/documents/{doc_id}").status_code == 404


MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_markup_in_every_field_is_shown_escaped_on_staff_pages(
    signed_in: FlaskClient, corpus: Path
) -> None:
    response = upload(
        signed_in,
        data=PDF,
        filename="<script>alert(1)</script>.pdf",
        name="markup",
        title=MARKUP,
        summary=MARKUP,
        authors=MARKUP,
    )
    assert response.status_code == 302
    for page in ("/staff/documents/guides/markup", "/staff/audit"):
        html = signed_in.get(page).text
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert" in html
    refused = upload(signed_in, source_url=MARKUP, translation_of=MARKUP, date=MARKUP)
    assert refused.status_code == 400
    assert "<script>alert" not in refused.text
    assert "&lt;script&gt;" in refused.text


def test_file_names_beginning_with_a_dot_are_hidden_from_the_ingest() -> None:
    # The console writes to '.staff-*.tmp' before renaming: the ingest must skip such names.
    from ingest.scan import scan_corpus

    root = Path(os.environ.get("TMPDIR", "/tmp")) / f"scan-{os.getpid()}"
    (root / "guides").mkdir(parents=True, exist_ok=True)
    (root / "guides" / ".staff-abc.tmp").write_bytes(PDF)
    (root / "guides" / "real.pdf").write_bytes(PDF)
    try:
        assert set(scan_corpus(root, 2**20).entries) == {"guides/real"}
    finally:
        for path in (root / "guides").iterdir():
            path.unlink()
        (root / "guides").rmdir()
        root.rmdir()


def test_a_removed_folder_that_is_not_a_folder_is_a_clear_refusal(
    signed_in: FlaskClient, corpus: Path
) -> None:
    (corpus / "_removed").write_text("someone made a file here")
    page = "/staff/documents/fact-sheets/sextortion"
    token = csrf_token(signed_in.get(page).text)
    response = signed_in.post(page, data={"csrf_token": token, "action": "remove"})
    assert response.status_code == 400
    assert "is not a folder" in response.text
    assert (corpus / "fact-sheets/sextortion.pdf").is_file()


def test_a_write_the_file_system_refuses_is_a_clear_page_not_a_crash(
    signed_in: FlaskClient, corpus: Path
) -> None:
    (corpus / "guides" / "odd.pdf").mkdir()  # a folder where the file would go
    response = upload(signed_in, name="odd", title="Odd", replace="y")
    assert response.status_code == 503
    assert "could not change the corpus" in response.text
    assert (corpus / "guides" / "odd.pdf").is_dir()
    assert not [p for p in (corpus / "guides").iterdir() if p.name.startswith(".staff-")]
