"""Staff console fixtures: a real staff database, a corpus folder of its own, signed-in clients."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from library.staffdb import StaffDB
from tests.conftest import build_sample_corpus
from webapp import create_app

PASSWORD = "a long enough passphrase"
_TOKEN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


@pytest.fixture
def staff_db(tmp_path: Path) -> Path:
    """A staff database file with one account, maria."""
    path = tmp_path / "var" / "staff.sqlite3"
    with StaffDB(path) as db:
        db.add_account("maria", PASSWORD)
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus folder the console may write into: the sample corpus, copied for this test."""
    root = tmp_path / "corpus"
    root.mkdir()
    return build_sample_corpus(root)


def make_staff_app(staff_db: Path, corpus: Path, index_dir: Path, **config: Any) -> Flask:
    """The app in testing mode with the console pointed at these folders."""
    return create_app(
        {
            "TESTING": True,
            "INDEX_DIR": str(index_dir),
            "CORPUS_DIR": str(corpus),
            "VOCABULARY": str(corpus / "vocabulary.toml"),
            "STAFF_DB": str(staff_db),
            **config,
        }
    )


@pytest.fixture
def staff_app(staff_db: Path, corpus: Path, index_dir: Path) -> Flask:
    """The app over the session's sample index, its console writing into this test's corpus."""
    return make_staff_app(staff_db, corpus, index_dir)


@pytest.fixture
def guest(staff_app: Flask) -> FlaskClient:
    """A client that has not signed in."""
    return staff_app.test_client()


@pytest.fixture
def signed_in(staff_app: Flask) -> FlaskClient:
    """A client signed in as maria."""
    client = staff_app.test_client()
    response = sign_in(client, "maria", PASSWORD)
    assert response.status_code == 302, response.text
    return client


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = _TOKEN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def sign_in(
    client: FlaskClient, name: str, password: str, next_url: str = "", **kwargs: Any
) -> TestResponse:
    """Fill in and send the sign-in form as a browser would."""
    token = csrf_token(client.get("/staff/login", **kwargs).text)
    data = {"username": name, "password": password, "csrf_token": token, "next": next_url}
    return client.post("/staff/login", data=data, **kwargs)


def post_form(client: FlaskClient, page: str, data: dict[str, Any], url: str = "") -> TestResponse:
    """Send a form from page (read for its CSRF token) to url (default: the page itself)."""
    token = csrf_token(client.get(page).text)
    return client.post(url or page, data={**data, "csrf_token": token})
