"""End to end in a real browser: a real `mecp serve` over the bundled corpus, driven in Debian's
chromium by Playwright (never a downloaded browser). Skipped when chromium is absent, except
under CI, where that is a failure."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

STEP_TIMEOUT_MS = 15_000  # each browser action


def _count(page: Page) -> int:
    """The total the result count announces."""
    text = page.locator("#result-count strong").inner_text()
    return int(text.replace(",", ""))


def _open_page(browser: Browser, width: int, javascript: bool = True) -> tuple[Page, list[str]]:
    """A new page of the given width, and the list its console errors are collected into."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


def _pick_topic(page: Page, total: int) -> tuple[str, int]:
    """The id and count of the first topic checkbox that would narrow the results."""
    boxes = page.locator("input[name=topic]:not(:checked)")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if not box.is_visible():  # behind a closed "Show more"
            continue
        box_id = box.get_attribute("id")
        label = page.locator(f"label[for='{box_id}'] .count").inner_text()
        if 0 < int(label) < total:
            return box_id, int(label)
    pytest.fail("no topic narrows the results")


def test_a_person_searches_ticks_a_facet_and_opens_a_document(
    server: str, browser: Browser
) -> None:
    page, errors = _open_page(browser, width=1280)
    page.goto(server + "/")
    assert "MECP Resource Library" in page.title()
    page.get_by_label("Search the library").fill("amber alert")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search\?q=amber\+alert$"))
    before = _count(page)
    assert before > 1

    box_id, expected = _pick_topic(page, before)
    with page.expect_navigation():
        page.locator(f"#{box_id}").check()  # app.js submits
    topic = box_id.removeprefix("f-topic-")
    assert f"topic={topic}" in page.url
    assert _count(page) == expected < before
    assert page.locator(f"#{box_id}").is_checked()
    assert page.evaluate("document.activeElement.id") == box_id
    chip = page.get_by_role("link", name=re.compile(r"^Remove filter Topic: "))
    assert chip.count() == 1

    first = page.locator(".results .doc-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/documents/"))
    assert page.locator("h1").inner_text() == title
    assert (
        page.get_by_role("link", name=re.compile(r"^(Open the |Read it on this page)")).count() == 1
    )
    assert errors == []  # no CSP violation, no script error, no missing resource


def test_filters_work_without_javascript_on_a_phone(server: str, browser: Browser) -> None:
    page, errors = _open_page(browser, width=390, javascript=False)
    page.goto(server + "/search?q=amber+alert")
    before = _count(page)
    panel = page.locator("details.filters")
    assert panel.get_attribute("open") is None  # a closed drawer on a phone
    page.get_by_text("Filters", exact=True).click()
    page.locator("details.facet-group > summary", has_text="Topic").click()
    box_id, expected = _pick_topic(page, before)
    page.locator(f"#{box_id}").check()
    assert "topic=" not in page.url  # nothing submits by itself
    page.get_by_role("button", name=re.compile(r"^Show \d+ results?$")).click()
    page.wait_for_url(re.compile(r"topic="))
    assert _count(page) == expected
    assert page.get_by_role("link", name=re.compile(r"^Remove filter Topic: ")).count() == 1
    assert errors == []


def test_a_practitioner_subscribes_cites_and_opens_a_pdf_at_its_page(
    server: str, browser: Browser
) -> None:
    """Subscribe link, suggestions as typed, the Cite block, and a PDF hit opening at its page."""
    page, errors = _open_page(browser, width=1280)
    page.goto(server + "/")
    subscribe = page.get_by_role("link", name="Subscribe to new publications")
    assert subscribe.get_attribute("href") == "/search.atom"

    box = page.get_by_role("combobox", name="Search the library")
    box.press_sequentially("amber al", delay=30)
    options = page.get_by_role("listbox").get_by_role("option")
    options.first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=amber\+al$"))
    page.goto(server + "/search?q=Amber+Hagerman")
    assert page.get_by_role("link", name="Subscribe to this search").count() == 1

    hit = page.locator(
        ".result",
        has=page.locator("a[href^='/documents/reports/amber-alert-indian-country-2020?']"),
    )
    link = hit.get_by_role("link", name=re.compile(r"^Open the PDF at page \d+$"))
    href = link.get_attribute("href") or ""
    number = int(href.rsplit("#page=", 1)[1])
    assert href == f"/files/reports/amber-alert-indian-country-2020#page={number}"
    assert number > 1
    with page.expect_response(
        re.compile(r"/files/reports/amber-alert-indian-country-2020$")
    ) as info:
        link.click()
    assert info.value.headers["content-type"] == "application/pdf"
    page.wait_for_url(re.compile(rf"#page={number}$"))

    page.goto(server + "/documents/reports/amber-alert-indian-country-2020")
    cite = page.locator("section.cite")
    assert cite.get_by_role("heading", name="Cite").count() == 1
    assert cite.locator(".reference").count() == 3
    assert (
        "Missing and Exploited Children's Program" in cite.locator(".reference").first.inner_text()
    )
    assert errors == []
