"""Which documents count as matches: all the words of a short query, most of a long one's;
partial matches listed after, a fallback when nothing holds enough; highlighting by whole word."""

from __future__ import annotations

import shutil

import pytest

from ingest import pipeline
from library.index import LibraryIndex, open_index
from library.models import SearchRequest
from library.search import search
from tests.conftest import VOCABULARY, settings_for
from tests.factories import write

GUIDES = {
    "both.txt": "Both Words\n\nA guide for a missing teen and the family at home.",
    "teen.txt": "Teen Only\n\nA guide about a teen and school, and nothing else at all.",
    "missing.txt": "Missing Only\n\nA guide about a missing person report and the police.",
    "mission.txt": "The Mission\n\nOur mission is to find missing people, with the unit in schools.",
    "neither.txt": "Neither\n\nA guide about bicycles and helmets for the summer.",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> LibraryIndex:
    """Five short guides, ingested through the production pipeline."""
    root = tmp_path_factory.mktemp("matching")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(VOCABULARY, corpus / "vocabulary.toml")
    for name, text in GUIDES.items():
        write(corpus, f"guides/{name}", text)
    assert pipeline.run(settings_for(corpus, root / "index")).exit_code == 0
    return open_index(root / "index")


def _listed(lib: LibraryIndex, q: str) -> list[tuple[str, bool]]:
    """(id, partial) of every result, in order."""
    return [(h.id, h.partial) for h in search(lib, SearchRequest(q=q, per_page=100)).hits]


def test_a_short_query_counts_only_documents_with_all_its_words(small: LibraryIndex) -> None:
    result = search(small, SearchRequest(q="missing teen"))
    assert result.total == 1
    assert (result.partial, result.fallback) == (3, False)
    listed = _listed(small, "missing teen")
    assert listed[0] == ("guides/both", False)
    assert {doc for doc, _ in listed[1:]} == {"guides/teen", "guides/missing", "guides/mission"}
    assert all(partial for _, partial in listed[1:])
    assert sum(v.count for v in result.facet("type").values) <= result.total  # counts: full only


def test_request_words_and_stop_words_are_not_needed_for_a_full_match(
    small: LibraryIndex,
) -> None:
    """'I am looking for information on' asks; 'missing teen' is what it is about."""
    result = search(small, SearchRequest(q="I am looking for information on a missing teen"))
    assert result.total == 1
    assert result.hits[0].id == "guides/both"


def test_nothing_holding_all_the_words_falls_back_to_partial_matches_and_says_so(
    small: LibraryIndex,
) -> None:
    result = search(small, SearchRequest(q="teen bicycles"))
    assert result.fallback
    assert {h.id for h in result.hits} == {"guides/both", "guides/teen", "guides/neither"}
    assert result.partial == 0
    assert all(h.partial for h in result.hits)


def test_nothing_at_all_is_an_honest_empty_result(small: LibraryIndex) -> None:
    result = search(small, SearchRequest(q="zebracorn"))
    assert (result.total, result.partial, result.fallback, result.hits) == (0, 0, False, ())


def test_highlighting_marks_forms_of_the_words_never_a_prefix_of_another(
    small: LibraryIndex,
) -> None:
    (hit,) = [h for h in search(small, SearchRequest(q="missing")).hits if h.id == "guides/mission"]
    assert "<mark>missing</mark>" in hit.snippet
    assert "<mark>mission" not in hit.snippet.lower()
    first = search(small, SearchRequest(q="missing mission")).hits[0]
    assert first.id == "guides/mission"
    assert "<mark>mission</mark>" in first.snippet.lower()
