"""Pages inside PDFs: a hit's page from its snippet, and the pages a document's words are on."""

from __future__ import annotations

import pytest

from library.index import LibraryIndex
from library.models import SearchRequest
from library.pages import MAX_PAGES_LISTED, matching_pages, page_at, search_within
from library.search import search
from library.snippets import matcher


@pytest.mark.parametrize(
    ("starts", "offset", "page"),
    [
        ((0, 10, 20), 0, 1),
        ((0, 10, 20), 9, 1),
        ((0, 10, 20), 10, 2),
        ((0, 10, 20), 999, 3),
        ((0, 0, 5), 0, 2),  # an empty first page: the words are on the second
        ((0,), 3, None),  # one page: no page to name
        ((), 3, None),
        ((0, 10), None, None),
    ],
)
def test_page_at(starts: tuple[int, ...], offset: int | None, page: int | None) -> None:
    """bisect over the page starts."""
    assert page_at(starts, offset) == page


def test_a_hit_inside_a_pdf_names_the_page_of_its_snippet(lib: LibraryIndex) -> None:
    """The CART report's recommendations are on its second page."""
    result = search(lib, SearchRequest(q="recommendations deploying"))
    hit = next(h for h in result.hits if h.id == "reports/cart-report")
    assert hit.page == 2
    assert "<mark>" in hit.snippet
    first = search(lib, SearchRequest(q="investigators together"))
    assert next(h for h in first.hits if h.id == "reports/cart-report").page == 1


def test_hits_outside_multi_page_pdfs_have_no_page(lib: LibraryIndex) -> None:
    """A web page, a one-page PDF or a browse without words names no page."""
    for hit in search(lib, SearchRequest(q="sextortion missing child")).hits:
        if hit.id != "reports/cart-report":
            assert hit.page is None, hit.id
    assert all(h.page is None for h in search(lib, SearchRequest()).hits)


def test_search_within_lists_the_pages_holding_the_words(lib: LibraryIndex) -> None:
    """Stemmed words match ('deploy' finds 'deploying'); each page once, with its count."""
    within = search_within(lib, "reports/cart-report", "deploy abduction")
    assert [p.page for p in within.pages] == [1, 2]
    assert within.total_pages == 2
    assert within.pages[1].matches >= 1
    assert "<mark>deploying</mark>" in within.pages[1].snippet
    assert search_within(lib, "reports/cart-report", "sextortion").pages == ()
    assert search_within(lib, "reports/cart-report", "!!!").total_matches == 0


def test_matching_pages_lists_at_most_the_first_pages_and_counts_them_all() -> None:
    """A word on every one of 80 pages: 50 listed, 80 counted; accents ignored."""
    text = "\n\n".join(f"page {n} niño" for n in range(1, 81))
    starts = [0]
    for n in range(1, 80):
        starts.append(text.index(f"page {n + 1} "))
    within = matching_pages(text, starts, matcher(frozenset({"nino"})))
    assert len(within.pages) == MAX_PAGES_LISTED
    assert within.total_pages == 80
    assert within.pages[6].page == 7


def test_a_quoted_phrase_lists_only_the_pages_holding_it(lib: LibraryIndex) -> None:
    """'"law enforcement agencies"' is on page 2 only, though 'law' alone may be elsewhere."""
    within = search_within(lib, "reports/cart-report", '"Law Enforcement agencies"')
    assert [p.page for p in within.pages] == [2]
    assert "<mark>law enforcement agencies</mark>" in within.pages[0].snippet
    assert search_within(lib, "reports/cart-report", '"agencies law"').pages == ()
