"""The families' side end to end in Debian's chromium: the Spanish interface, editions, the
emergency numbers on a phone, the quick exit, and the phone filter flow."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
STEP_TIMEOUT_MS = 15_000
NEUTRAL = "https://www.google.com/"


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh phone-sized browser context (English, JavaScript on)."""
    ctx = browser.new_context(viewport=PHONE, locale="en-US")
    ctx.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


def _errors(page: Page) -> list[str]:
    """The console errors of a page, collected as it runs."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_the_interface_is_spanish_by_accept_language_and_by_lang(
    server: str, browser: Browser, context: BrowserContext
) -> None:
    spanish = browser.new_context(viewport=PHONE, locale="es-MX")
    try:
        page = spanish.new_page()
        page.goto(server + "/")
        assert page.locator("html").get_attribute("lang") == "es"
        assert "Encuentre ayuda" in page.locator("h1").inner_text()
    finally:
        spanish.close()
    page = context.new_page()
    errors = _errors(page)
    page.goto(server + "/?lang=es")
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("link", name="Para familias").first.click()
    page.wait_for_url(re.compile(r"/families\?lang=es$"))
    assert page.locator("h1").inner_text() == "Para familias"
    page.get_by_role("link", name="English", exact=True).click()
    page.wait_for_url(re.compile(r"/families\?lang=en$"))
    assert page.locator("h1").inner_text() == "For families"
    assert errors == []


def test_a_spanish_guide_reads_in_spanish_and_links_its_english_edition(
    server: str, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(server + "/documents/families/primeras-horas-nino-desaparecido?lang=es")
    assert page.locator("html").get_attribute("lang") == "es"
    facts = page.locator("dl.facts").inner_text()
    assert "Publicado" in facts
    assert "20 de julio de 2015" in facts
    assert page.locator("section.reading h3").count() >= 5  # its headings, kept
    page.get_by_role("link", name="Read in English").click()
    page.wait_for_url(re.compile(r"/documents/families/first-48-hours-missing-child\?lang=en$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("The First 48 Hours")
    assert page.get_by_role("link", name="Leer en español").count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/search?q=runaway",
        "/documents/reports/cart-assessment-2016",
        "/documents/families/when-your-child-comes-home",
    ],
)
def test_the_emergency_numbers_are_buttons_above_the_fold_on_a_phone(
    server: str, context: BrowserContext, path: str
) -> None:
    page = context.new_page()
    page.goto(server + path)
    for number in ("tel:911", "tel:+18008435678"):
        link = page.locator(f"a.tel[href='{number}']").first
        box = link.bounding_box()
        assert box is not None
        assert box["width"] >= 44 and box["height"] >= 44, (number, box)  # noqa: PT018
        assert box["y"] + box["height"] <= PHONE["height"], (path, number, box)


def test_leave_this_site_works_with_esc_and_without_javascript(
    server: str, browser: Browser, context: BrowserContext
) -> None:
    def neutral(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body="<title>Weather</title>")

    page = context.new_page()
    page.route(NEUTRAL + "**", neutral)
    page.goto(server + "/")
    page.goto(server + "/families")
    page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL)
    page.go_back()
    assert page.url == server + "/"  # the family page was replaced, not kept in history

    plain = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = plain.new_page()
        page.route(NEUTRAL + "**", neutral)
        page.goto(server + "/documents/families/when-your-teen-runs-away")
        page.get_by_role("link", name="Leave this site").click()
        page.wait_for_url(NEUTRAL)
        assert plain.cookies() == []
    finally:
        plain.close()


def test_on_a_phone_filters_are_opened_ticked_and_applied_at_once(
    server: str, context: BrowserContext
) -> None:
    page = context.new_page()
    errors = _errors(page)
    page.goto(server + "/search?q=missing")
    page.locator("details.filters > summary").click()
    page.locator("details.facet-group > summary", has_text="Topic").click()
    apply = page.locator("button[data-show-results]")
    assert apply.is_visible()
    boxes = page.locator("input[name=topic]:not(:checked) >> visible=true")
    chosen = [boxes.nth(0).get_attribute("id"), boxes.nth(1).get_attribute("id")]
    first_label = apply.inner_text()
    for box_id in chosen:
        page.locator(f"#{box_id}").check()
    assert "topic=" not in page.url  # nothing is applied until the button is pressed
    page.wait_for_function(  # the count of both boxes, not the answer to the first
        "label => { const b = document.querySelector('button[data-show-results]');"
        " return b.textContent !== label && !b.hasAttribute('aria-busy'); }",
        arg=first_label,
    )
    promised = int(re.sub(r"\D", "", apply.inner_text()))
    box = apply.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"]  # the button sticks in reach
    apply.click()
    page.wait_for_url(re.compile(r"topic=.*topic="))
    count = int(page.locator("#result-count strong").inner_text().replace(",", ""))
    assert count == promised
    chips = page.get_by_role("link", name=re.compile(r"^Remove filter Topic: "))
    assert chips.count() == 2
    assert errors == []


def test_the_first_result_is_three_tab_stops_away(server: str, browser: Browser) -> None:
    desktop = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = desktop.new_page()
        page.goto(server + "/search?q=missing")
        first = page.locator(".results .doc-title a").first.get_attribute("href")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to results"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == first
        page.goto(server + "/search?q=missing")  # and without the skip link, how far is it?
        for _stop in range(45):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.getAttribute('href')") == first:
                break
        else:
            pytest.fail("the first result is 46 or more Tab stops away")
    finally:
        desktop.close()


def test_the_emergency_numbers_print(server: str, context: BrowserContext) -> None:
    page = context.new_page()
    page.emulate_media(media="print")
    for path, box in (("/search?q=runaway", ".emergency-bar"), ("/families", ".emergency")):
        page.goto(server + path)
        assert page.locator(box).is_visible(), path
        assert "1-800-843-5678" in page.locator(box).inner_text()
        assert not page.locator(".site-header").is_visible()  # the rest of the frame does not
