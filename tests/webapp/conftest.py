"""Web fixtures: the app over the session's sample index, its test client, HTML helpers, and for
the browser tests one real server over the bundled corpus and one headless chromium, shared by
every browser test module of the session."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, sync_playwright

from ingest import pipeline
from library.settings import load_settings
from tests.servers import running_server
from webapp import create_app

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
LAUNCH_TIMEOUT_MS = 15_000


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


def require_chromium() -> None:
    """Skip (or, under CI, fail) when Debian's chromium is not installed."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(reason + "; CI must run the browser test")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real waitress server over an index of the bundled corpus; always stopped afterwards."""
    require_chromium()
    index = tmp_path_factory.mktemp("e2e-index")
    settings = load_settings({}, corpus_dir=ROOT / "corpus", index_dir=index, ingest_workers=2)
    assert pipeline.run(settings).exit_code in (0, 1)  # 1: some file failed, the rest indexed
    with running_server(index) as (url, _proc):
        yield url


@pytest.fixture(scope="session")
def browser(server: str) -> Iterator[Browser]:
    """Debian's chromium, headless, launched once through Playwright."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=LAUNCH_TIMEOUT_MS
        )
        try:
            yield chromium
        finally:
            chromium.close()
