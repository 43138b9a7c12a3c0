"""The search page on a phone and with a keyboard: groups, "Show more", the apply button, page
size, the skip link, forgiving filters and what each result says at a glance."""

from __future__ import annotations

import re
from html import unescape

from flask.testing import FlaskClient

from library.vocab import TOPICS
from tests.webapp.conftest import text_of


def html_of(client: FlaskClient, url: str, status: int = 200) -> str:
    """GET a page and return its HTML."""
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def group(html: str, summary: str) -> str:
    """The facet group whose summary starts with the given words."""
    for match in re.finditer(
        r'<details class="facet-group".*?</fieldset>\s*</details>', html, re.S
    ):
        if re.search(rf"<summary>{re.escape(summary)}", match.group()):
            return match.group()
    raise AssertionError(f"no group {summary!r}")


def test_filter_groups_collapse_and_open_when_they_hold_a_choice(client: FlaskClient) -> None:
    html = html_of(client, "/search?audience=families")
    assert '<details class="facet-group" data-facet-group data-wide-open open>' in group(
        html, "Audience"
    )
    assert '<details class="facet-group" data-facet-group data-wide-open>' in group(html, "Topic")
    assert '<details class="facet-group" data-facet-group>' in group(html, "Language")
    assert '<span class="badge">1 selected</span>' in group(html, "Audience")


def test_long_lists_show_the_first_values_and_the_rest_behind_show_more(
    client: FlaskClient,
) -> None:
    html = html_of(client, "/search")
    topics = group(html, "Topic")
    shown, more = topics.split('<details class="more"', 1)
    assert len(re.findall(r'type="checkbox"', shown)) == 5
    hidden = len(re.findall(r'type="checkbox"', more))
    assert f'<span class="when-closed">Show {hidden} more</span>' in more
    assert more.startswith(">")  # closed while nothing in it is chosen
    last = re.findall(r'value="([a-z-]+)"', more)[-1]
    chosen = group(html_of(client, f"/search?topic={last}"), "Topic")
    assert '<details class="more" open>' in chosen


def test_values_keep_their_place_when_a_box_is_ticked(client: FlaskClient) -> None:
    def order(url: str) -> list[str]:
        return re.findall(r'name="topic" value="([a-z-]+)"', html_of(client, url))

    before = order("/search")
    after = order("/search?audience=families")
    assert [t for t in before if t in after] == after
    assert before == [t for t in TOPICS if t in before]  # the vocabulary's order


def test_the_apply_button_says_how_many_results_it_shows(client: FlaskClient) -> None:
    html = html_of(client, "/search?q=missing")
    total = int(re.search(r"<strong>(\d+)</strong> publication", html).group(1))
    button = re.search(r'<button type="submit" class="apply"[^>]*>([^<]*)</button>', html)
    assert button
    assert button.group(1) == f"Show {total} results"
    assert 'data-one="Show {n} result"' in button.group()
    assert 'data-other="Show {n} results"' in button.group()
    spanish = html_of(client, "/search?q=missing&lang=es")
    assert f">Ver {total} resultados</button>" in spanish


def test_a_page_size_can_be_chosen(client: FlaskClient) -> None:
    html = html_of(client, "/search?per_page=25")
    menu = re.search(r'<select id="per_page" name="per_page">.*?</select>', html, re.S)
    assert menu
    assert re.findall(r'<option value="(\d+)"', menu.group()) == ["10", "25", "50"]
    assert '<option value="25" selected>' in menu.group()
    odd = html_of(client, "/search?per_page=7")
    assert '<option value="7" selected>' in odd
    assert 'name="per_page" value=' not in odd  # no hidden duplicate of the menu


def test_skip_to_results_is_the_second_thing_on_the_page(client: FlaskClient) -> None:
    html = html_of(client, "/search?q=missing")
    links = re.findall(r'<a class="skip-link" href="(#[a-z]+)">([^<]+)</a>', html)
    assert links == [("#main", "Skip to main content"), ("#results", "Skip to results")]
    target = html.index('id="results" tabindex="-1"')
    assert target < html.index('<ol class="results"')
    empty = html_of(client, "/search?q=zzzzqqq")
    assert '<h2 id="results" tabindex="-1">No publications found</h2>' in empty


def test_the_sort_menu_shows_the_order_actually_used(client: FlaskClient) -> None:
    assert '<option value="newest" selected>' in html_of(client, "/search")
    assert '<option value="relevance" selected>' in html_of(client, "/search?q=missing")
    assert '<option value="title" selected>' in html_of(client, "/search?q=missing&sort=title")


def test_an_old_bookmark_s_unknown_filter_is_dropped_with_a_notice(client: FlaskClient) -> None:
    html = unescape(html_of(client, "/search?q=missing&topic=amber-alerts&topic=abduction"))
    assert "The filter “Topic: amber-alerts” no longer exists, so it was left out." in html
    assert 'value="abduction" checked' in html
    assert "amber-alerts" not in html.split("no longer exists")[1]  # no link keeps it
    assert client.get("/api/search?topic=amber-alerts").status_code == 400


def test_reversed_years_are_swapped_and_said_so(client: FlaskClient) -> None:
    html = unescape(html_of(client, "/search?year_min=2020&year_max=2010"))
    assert "The years were the wrong way round, so this search is from 2010 to 2020." in html
    assert 'id="year_min" name="year_min" min="1900" max="2100" value="2010"' in html
    assert 'href="/search?year_min=2010"' in html  # the chip removing the upper bound


def test_an_unknown_sort_falls_back_to_the_usual_order(client: FlaskClient) -> None:
    html = unescape(html_of(client, "/search?q=missing&sort=random"))
    assert "“random” is not an order we know, so the results are in the usual order." in html
    assert '<option value="relevance" selected>' in html


def test_each_result_says_its_type_audience_and_format(client: FlaskClient) -> None:
    words = text_of(html_of(client, "/search?q=child+abduction+response"))
    assert re.search(
        r"Report · For Law Enforcement(, [A-Za-z ]+)? · PDF, 2 pages · June 2016", words
    )
