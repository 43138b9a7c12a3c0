"""Web fixtures: the app over the session's sample index, its test client, and HTML helpers."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app


@pytest.fixture
def app(index_dir: Path) -> Flask:
    """The app, in testing mode, reading the sample index."""
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


def text_of(html: str) -> str:
    """The visible words of an HTML fragment, tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def json_ld(html: str) -> dict[str, Any]:
    """The page's schema.org JSON-LD block, parsed."""
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    data: dict[str, Any] = json.loads(match.group(1))
    return data
