"""WCAG 2.1 A and AA, checked by axe-core (bundled by axe-playwright-python: no network) in
Debian's chromium, over every kind of page in both languages at desktop and phone sizes."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
# Every kind of page: (what it is, its address on the bundled corpus)
PAGES = [
    ("home", "/"),
    ("families", "/families"),
    ("audience page", "/for/law-enforcement"),
    ("about", "/about"),
    ("search with filters", "/search?q=missing&topic=missing-investigations&audience=families"),
    ("zero results", "/search?q=zzzzqqq"),
    ("a PDF", "/documents/fact-sheets/amber-alert-criteria"),
    ("a web page, read on its page", "/documents/families/first-48-hours-missing-child"),
    ("a text file", "/documents/families/papers-and-information-checklist"),
    ("a Markdown file", "/documents/families/cuando-su-hijo-regresa-a-casa"),
    (
        "the reading view from a search",
        "/documents/newsletters/mecp-news-fall-2011?q=certification",
    ),
    ("404", "/documents/no/such/publication"),
    ("400", "/search?page=0"),
]
STEP_TIMEOUT_MS = 15_000
_AXE = Axe()


def _violations(page: Page, where: str) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line each."""
    results: dict[str, Any] = _AXE.run(page, options=AXE_OPTIONS).response
    return [
        f"{where}: {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:3]}: {v['help']}"
        for v in results["violations"]
    ]


def _with_lang(path: str, lang: str) -> str:
    """The address with lang set."""
    return path + ("&" if "?" in path else "?") + f"lang={lang}"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("size", list(SIZES))
def test_every_kind_of_page_has_no_wcag_21_aa_violation(
    server: str, browser: Browser, size: str, lang: str
) -> None:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.set_default_timeout(STEP_TIMEOUT_MS)
        found: list[str] = []
        for name, path in PAGES:
            page.goto(server + _with_lang(path, lang))
            assert page.locator("html").get_attribute("lang") == lang, name
            found += _violations(page, f"{name} ({size}, {lang})")
        if size == "phone":  # the drawer open, a group and its "Show more" open too
            page.goto(server + _with_lang(PAGES[4][1], lang))
            page.locator("details.filters > summary").click()
            page.locator("details.facet-group:not([open]) > summary").first.click()
            page.locator("details.more:not([open]) > summary >> visible=true").first.click()
            found += _violations(page, f"search with the filter drawer open ({lang})")
        assert found == []
    finally:
        context.close()
