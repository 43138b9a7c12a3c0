"""/files/<id>: only the original file of an indexed publication, never anything else."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from flask.testing import FlaskClient

from library.models import Document
from webapp.pages import SANDBOX_POLICY, corpus_file


def fetch(client: FlaskClient, url: str) -> tuple[int, str, dict[str, str], bytes]:
    """Status, mimetype, headers and body of a GET, with the file handle closed."""
    with client.get(url) as response:
        return response.status_code, response.mimetype, dict(response.headers), response.data


def test_a_pdf_is_served_inline_with_its_own_bytes(
    client: FlaskClient, sample_corpus: Path
) -> None:
    status, mimetype, headers, body = fetch(client, "/files/reports/cart-report")
    assert (status, mimetype) == (200, "application/pdf")
    assert headers["Content-Disposition"] == "inline; filename=cart-report.pdf"
    assert body == (sample_corpus / "reports/cart-report.pdf").read_bytes()
    assert headers["X-Content-Type-Options"] == "nosniff"
    # object-src/default-src would blank Chrome's PDF viewer; framing is still refused.
    assert headers["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_an_html_original_runs_in_a_sandbox(client: FlaskClient) -> None:
    status, mimetype, headers, body = fetch(client, "/files/guides/first-hours")
    assert (status, mimetype) == (200, "text/html")
    assert headers["Content-Security-Policy"] == SANDBOX_POLICY
    assert headers["Content-Security-Policy"].startswith("sandbox;")
    assert b"The First Hours" in body


@pytest.mark.parametrize(
    ("doc_id", "mimetype"),
    [
        ("families/guia-regreso", "text/plain"),
        ("training/forensic-interviewing-course", "text/plain"),
    ],
)
def test_text_originals_are_plain_text(client: FlaskClient, doc_id: str, mimetype: str) -> None:
    status, served, headers, body = fetch(client, f"/files/{doc_id}")
    assert (status, served) == (200, mimetype)
    assert headers["Content-Security-Policy"].startswith("default-src 'none';")
    assert body


@pytest.mark.parametrize(
    "url",
    [
        "/files/../../etc/passwd",
        "/files/%2e%2e/%2e%2e/etc/passwd",
        "/files/..%2f..%2f..%2fetc%2fpasswd",
        "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/files//etc/passwd",
        "/files/%2Fetc%2Fpasswd",
        "/files/reports/../../../../etc/passwd",
        "/files/reports/cart-report.pdf",
        "/files/guides/first-hours.toml",
        "/files/vocabulary",
        "/files/guides",
        "/files/",
        "/files/guides/first-hours%00",
        "/files/guides/first-hours%00.toml",
        "/files/guides%5cfirst-hours",
        "/files/" + "a/" * 400,
        "/documents/../../etc/passwd",
        "/documents/%2e%2e/%2e%2e/etc/passwd",
        "/documents/guides/first-hours%00",
        "/api/documents/..%2f..%2fetc%2fpasswd",
        "/api/documents/guides/first-hours%00",
    ],
)
def test_traversal_and_unindexed_paths_are_refused(client: FlaskClient, url: str) -> None:
    status, _, _, body = fetch(client, url)
    assert status in (400, 404)
    assert b"root:" not in body
    assert b'type = "guide"' not in body  # the sidecar's content


def test_no_stored_path_can_leave_the_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (corpus / "inside.txt").write_text("fine")
    (corpus / "link.txt").symlink_to(tmp_path / "secret.txt")
    lib = SimpleNamespace(corpus_dir=corpus)

    def doc(path: str) -> Document:
        return Document(id="x", title="x", path=path, format="txt")

    assert corpus_file(lib, doc("inside.txt")) == (corpus / "inside.txt").resolve()  # type: ignore[arg-type]
    for path in ("../secret.txt", str(tmp_path / "secret.txt"), "link.txt", "", "missing.txt"):
        assert corpus_file(lib, doc(path)) is None  # type: ignore[arg-type]
