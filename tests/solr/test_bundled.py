"""The bundled corpus on both engines: browsing, and each facet value chosen alone, count the
same documents and the same facet values (the library's own publications, not a test corpus)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from library.facets import selected
from library.index import LibraryIndex, open_index
from library.models import SearchRequest, SearchResult
from library.search import search
from mecp import cli
from tests.servers import ROOT
from tests.solr.harness import Harness

CORPUS = ROOT / "corpus"
ALIAS = "bundled-parity"


@pytest.fixture(scope="module")
def engines(
    solr_harness: Harness, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LibraryIndex, LibraryIndex]]:
    """The bundled corpus ingested by `mecp ingest` with whoosh and with solr, both opened."""
    base = tmp_path_factory.mktemp("bundled")
    solr = ["--engine", "solr", "--solr-url", ",".join(solr_harness.nodes), "--solr-alias", ALIAS]
    for name, extra in (("whoosh", []), ("solr", solr)):
        command = ["ingest", "--corpus", str(CORPUS), "--index", str(base / name), "--quiet"]
        assert cli.main([*command, "--workers", "2", *extra]) == 0
    opened = open_index(base / "whoosh"), open_index(base / "solr")
    yield opened
    for lib in opened:
        lib.close()


def _counts(result: SearchResult) -> tuple[int, dict[str, dict[str, int]]]:
    """The total and every facet's counts."""
    return result.total, {f.name: {v.value: v.count for v in f.values} for f in result.facets}


def test_browsing_and_each_facet_value_alone_count_the_same(
    engines: tuple[LibraryIndex, LibraryIndex],
) -> None:
    whoosh, solr = engines
    requests = [SearchRequest()]
    for facet in search(whoosh, SearchRequest()).facets:
        for value in facet.values:
            if facet.name != "year":
                requests.append(SearchRequest(facets=selected(**{facet.name: [value.value]})))
            elif value.value.isdigit():
                requests.append(SearchRequest(year_min=int(value.value), year_max=int(value.value)))
    assert len(requests) > 40  # every topic, audience, type, language and year
    differ = [r for r in requests if _counts(search(solr, r)) != _counts(search(whoosh, r))]
    assert differ == []
