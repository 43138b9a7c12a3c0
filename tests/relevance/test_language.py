"""Same language first: a query is answered first in the language it is written in, and the
other language's documents reached through translations come after."""

from __future__ import annotations

import pytest

from library.index import LibraryIndex
from library.models import SearchRequest
from library.search import search

pytestmark = pytest.mark.corpus


def _languages(lib: LibraryIndex, q: str, n: int = 20) -> list[str]:
    """The languages of the first n results."""
    return [h.language for h in search(lib, SearchRequest(q=q, per_page=n)).hits]


@pytest.mark.parametrize(
    "q",
    ["niño desaparecido", "nino desaparecido que hago", "mi hijo se fue de casa", "alerta amber"],
)
def test_a_spanish_query_is_answered_with_spanish_publications_first(
    corpus_lib: LibraryIndex, q: str
) -> None:
    found = _languages(corpus_lib, q)
    assert found[:3] == ["es"] * 3


@pytest.mark.parametrize("q", ["missing child", "kidnapping", "sextortion", "son"])
def test_an_english_query_keeps_spanish_editions_after_the_english_answers(
    corpus_lib: LibraryIndex, q: str
) -> None:
    """Spanish guides reached through translations ('alerta amber', 'niño desaparecido') come
    after every English document that holds the typed words."""
    hits = search(corpus_lib, SearchRequest(q=q, per_page=100)).hits
    english = [
        i
        for i, h in enumerate(hits)
        if h.language == "en" and "<mark>" in h.snippet and not h.partial
    ]
    # a Spanish document whose snippet marks none of the typed words holds none of them
    translated = [i for i, h in enumerate(hits) if h.language == "es" and "<mark>" not in h.snippet]
    assert english
    assert translated, "the translations reach the Spanish editions"
    assert max(english) < min(translated)


@pytest.mark.parametrize("q", ["secuestro", "niño desaparecido", "fugado"])
def test_a_spanish_query_keeps_english_documents_reached_by_translation_after_spanish_ones(
    corpus_lib: LibraryIndex, q: str
) -> None:
    hits = search(corpus_lib, SearchRequest(q=q, per_page=100)).hits
    spanish = [
        i
        for i, h in enumerate(hits)
        if h.language == "es" and "<mark>" in h.snippet and not h.partial
    ]
    translated = [i for i, h in enumerate(hits) if h.language == "en" and "<mark>" not in h.snippet]
    assert spanish
    assert translated, "the translations reach the English publications"
    assert max(spanish) < min(translated)
