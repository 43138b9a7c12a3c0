"""The solr engine behind the library's seam, on the harness: searches, facets, snippets, sorts,
pages, documents, related publications and editions, the web app on a Solr generation, and a
dead Solr answered with 503."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from library import generations
from library.facets import selected
from library.index import LibraryIndex, open_index
from library.models import Document, SearchRequest, Sort
from library.search import get_document, reading_view, related, search, translations
from library.solr.admin import SolrAdmin
from library.solr.engine import SolrEngine
from mecp import cli
from tests.conftest import VOCABULARY
from tests.servers import ROOT
from tests.solr.conftest import DOCUMENTS
from tests.solr.generation import publish_solr_generation
from tests.solr.harness import Harness
from webapp import create_app, index_access

ALIAS = "library-engine-test"
PARITY_ALIAS = "library-parity-test"
EDITION = Document(
    id="families/coming-home", title="When Your Child Comes Home", language="en",
    path="families/coming-home.md", format="md", type="guide", date="2020-02-02",
    topics=("recovery-reunification",), audiences=("families",),
    translation_of="families/guia-regreso",
    body="When your missing child comes home, the family needs time and support.",
    blocks=(("h2", "Coming home"), ("p", "When your missing child comes home, the family needs "
                                          "time and support.")),
)  # fmt: skip
ENGINE_DOCUMENTS = (*DOCUMENTS, EDITION)


@pytest.fixture(scope="module")
def solr_root(
    solr_admin: SolrAdmin, configset: str, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """An index folder whose live generation is a Solr collection of ENGINE_DOCUMENTS."""
    root = tmp_path_factory.mktemp("solr-index")
    publish_solr_generation(
        root, solr_admin, configset, ALIAS, ENGINE_DOCUMENTS, VOCABULARY.read_text(), root
    )
    return root


@pytest.fixture(scope="module")
def solr_lib(solr_root: Path) -> Iterator[LibraryIndex]:
    """The Solr generation, opened as the web app opens it."""
    lib = open_index(solr_root)
    yield lib
    lib.close()


def _ids(lib: LibraryIndex, request: SearchRequest) -> list[str]:
    """The ids of one page of a search, in order."""
    return [hit.id for hit in search(lib, request).hits]


def test_the_live_generation_opens_with_the_solr_engine(solr_lib: LibraryIndex) -> None:
    assert isinstance(solr_lib.engine, SolrEngine)
    assert solr_lib.engine.alias == ALIAS


@pytest.mark.parametrize(
    ("q", "total", "ids"),
    [
        ("investigators together", 1, ["reports/response-teams"]),
        ("kidnapping", 1, ["reports/response-teams"]),  # an equivalent of "abduction"
        ("first hours", 2, ["guides/first-hours", "reports/response-teams"]),
        ("sextortion trusted adult", 1, ["fact-sheets/sextortion"]),
        ("zebra", 0, []),
    ],
)
def test_a_search_finds_and_ranks_the_full_matches(
    solr_lib: LibraryIndex, q: str, total: int, ids: list[str]
) -> None:
    result = search(solr_lib, SearchRequest(q=q))
    assert (result.total, [hit.id for hit in result.hits]) == (total, ids)
    assert not any(hit.partial for hit in result.hits)


def test_partial_matches_are_listed_after_the_full_ones(solr_lib: LibraryIndex) -> None:
    result = search(solr_lib, SearchRequest(q="missing child photo"))
    assert result.total == 1
    assert result.hits[0].id == "guides/first-hours"
    assert result.partial == len(result.hits) - 1 > 0
    assert all(hit.partial for hit in result.hits[1:])


def test_with_no_full_match_the_partial_ones_are_a_fallback(solr_lib: LibraryIndex) -> None:
    result = search(solr_lib, SearchRequest(q="runaway zebra"))
    assert result.fallback
    assert result.total == 1
    assert result.partial == 0
    assert [(hit.id, hit.partial) for hit in result.hits] == [("newsletters/spring-2011", True)]
    assert result.facet("type").values[0].count == 1


@pytest.mark.parametrize(
    ("q", "ids"),
    [
        ('"abduction response team"', ["reports/response-teams"]),
        ('"hours after an abduction"', ["reports/response-teams"]),  # a stop word keeps its place
        ('"response abduction"', []),  # the words in their order
        ('"kidnapping"', []),  # unquoted, the equivalent of "abduction" finds the report
        ('"hijo desaparecido"', ["families/guia-regreso"]),
    ],
)
def test_a_quoted_phrase_finds_its_words_in_order_and_not_their_equivalents(
    solr_lib: LibraryIndex, q: str, ids: list[str]
) -> None:
    result = search(solr_lib, SearchRequest(q=q))
    # the words apart, or their equivalents, are at most partial matches
    assert [hit.id for hit in result.hits if not (hit.partial or result.fallback)] == ids


def test_a_spanish_document_is_found_by_a_spanish_stemmed_word(solr_lib: LibraryIndex) -> None:
    assert _ids(solr_lib, SearchRequest(q="regresar")) == ["families/guia-regreso"]
    assert _ids(solr_lib, SearchRequest(q="confusion miedo")) == ["families/guia-regreso"]


def test_snippets_are_escaped_text_with_the_matches_marked(solr_lib: LibraryIndex) -> None:
    hit = search(solr_lib, SearchRequest(q="train together")).hits[0]
    assert "<mark>train</mark> &lt;b&gt;<mark>together</mark>&lt;/b&gt;" in hit.snippet
    assert "&amp; better" in hit.snippet
    assert "<b>" not in hit.snippet


def test_filters_narrow_and_each_facet_counts_without_its_own_filter(
    solr_lib: LibraryIndex,
) -> None:
    request = SearchRequest(q="child", facets=selected(type=["guide"]), year_min=2015)
    result = search(solr_lib, request)
    ids = {hit.id for hit in result.hits}
    assert ids == {"guides/first-hours", "families/guia-regreso", "families/coming-home"}
    counts = {f.name: {v.value: v.count for v in f.values} for f in result.facets}
    assert counts["type"] == {"guide": 3, "report": 1}  # ticking "report" would add one
    assert counts["year"] == {"2019": 2, "2020": 1}  # the guides' years, the range not applied
    assert counts["language"] == {"en": 2, "es": 1}


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        (Sort.NEWEST, "fact-sheets/sextortion", "training/interview-course"),
        (Sort.OLDEST, "training/interview-course", "fact-sheets/sextortion"),
        (Sort.TITLE, "families/guia-regreso", "families/coming-home"),
    ],
)
def test_every_sort_orders_the_whole_result_and_pages_partition_it(
    solr_lib: LibraryIndex, sort: Sort, first: str, last: str
) -> None:
    pages = [_ids(solr_lib, SearchRequest(sort=sort, page=p, per_page=3)) for p in (1, 2, 3)]
    listed = [i for page in pages for i in page]
    assert [len(page) for page in pages] == [3, 3, 1]
    assert sorted(listed) == sorted(d.id for d in ENGINE_DOCUMENTS)
    assert (listed[0], listed[-1]) == (first, last)
    if sort is Sort.TITLE:
        titles = {d.id: d.title for d in ENGINE_DOCUMENTS}
        assert [titles[i] for i in listed] == sorted(titles.values(), key=str.casefold)


def test_pages_of_a_search_run_through_the_full_then_the_partial_matches(
    solr_lib: LibraryIndex,
) -> None:
    whole = search(solr_lib, SearchRequest(q="missing child photo", per_page=20))
    paged = [
        hit.id
        for page in range(1, 5)
        for hit in search(
            solr_lib, SearchRequest(q="missing child photo", page=page, per_page=2)
        ).hits
    ]
    assert paged == [hit.id for hit in whole.hits]


def test_a_document_comes_whole_with_its_editions_and_related_ones(
    solr_lib: LibraryIndex,
) -> None:
    doc = get_document(solr_lib, "families/coming-home", with_body=True)
    assert doc == EDITION
    original = get_document(solr_lib, "families/guia-regreso")
    assert [d.id for d in translations(solr_lib, original)] == ["families/coming-home"]
    assert [d.id for d in translations(solr_lib, doc)] == ["families/guia-regreso"]
    assert reading_view(solr_lib, doc.id, "home")[1][1].count("<mark>") == 1
    found = [d.id for d in related(solr_lib, "guides/first-hours")]
    assert found
    assert "guides/first-hours" not in found


def test_every_document_is_listed(solr_lib: LibraryIndex) -> None:
    listed = {d.id: d for d in solr_lib.engine.documents()}
    assert listed == {d.id: dataclasses.replace(d, body="", blocks=()) for d in ENGINE_DOCUMENTS}


def test_a_misspelt_query_is_searched_corrected(solr_lib: LibraryIndex) -> None:
    result = search(solr_lib, SearchRequest(q="abducton"))
    assert result.corrected == "abduction"
    assert [hit.id for hit in result.hits] == ["reports/response-teams"]


# --- parity with the whoosh engine on the same documents


@pytest.fixture(scope="module")
def parity(
    sample_corpus: Path,
    solr_harness: Harness,
    solr_admin: SolrAdmin,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LibraryIndex]:
    """The sample corpus ingested with `mecp ingest --engine solr` (beside `lib`, its whoosh
    index), opened."""
    root = tmp_path_factory.mktemp("solr-parity")
    code = cli.main(
        ["ingest", "--engine", "solr", "--solr-url", ",".join(solr_harness.nodes),
         "--solr-alias", PARITY_ALIAS, "--corpus", str(sample_corpus), "--index", str(root),
         "--workers", "2", "--quiet"]
    )  # fmt: skip
    assert code == 0
    opened = open_index(root)
    yield opened
    opened.close()


PARITY_REQUESTS = [
    SearchRequest(),
    SearchRequest(facets=selected(type=["guide", "newsletter"])),
    SearchRequest(facets=selected(audience=["families"], language=["es"])),
    SearchRequest(year_min=2015),
    SearchRequest(year_max=2016, facets=selected(topic=["abduction", "amber-alert"])),
    SearchRequest(q="missing children"),
    SearchRequest(q="runaway youth trafficking"),
    SearchRequest(q="child", facets=selected(audience=["families"])),
    SearchRequest(q="niños", year_min=2010),
    SearchRequest(q='"first hours"'),
    SearchRequest(q='"missing child"'),  # quoted phrases with equivalents in the vocabulary
    SearchRequest(q='"amber alert" tribal'),
    SearchRequest(q='"child abduction response team"'),
    SearchRequest(q='"niño desaparecido"'),
    SearchRequest(q="what should parents do in the first hours when a child goes missing"),
    SearchRequest(q="runaway youth trafficking tribal communities state plan"),
]


@pytest.mark.parametrize("request_", PARITY_REQUESTS, ids=repr)
def test_totals_and_facet_counts_equal_the_whoosh_engines(
    lib: LibraryIndex, parity: LibraryIndex, request_: SearchRequest
) -> None:
    whoosh, solr = search(lib, request_), search(parity, request_)

    def facts(result: object) -> object:
        return (
            result.total,  # type: ignore[attr-defined]
            result.fallback,  # type: ignore[attr-defined]
            {f.name: {v.value: v.count for v in f.values} for f in result.facets},  # type: ignore[attr-defined]
            sorted(hit.id for hit in result.hits if not hit.partial),  # type: ignore[attr-defined]
        )

    assert facts(solr) == facts(whoosh)


# --- the web app on a Solr generation


@contextlib.contextmanager
def _web_client(root: Path) -> Iterator[FlaskClient]:
    """A test client of an app serving the index at root; its engine closed afterwards."""
    app = create_app({"TESTING": True, "INDEX_DIR": str(root)})
    try:
        yield app.test_client()
    finally:
        opened = app.extensions[index_access.EXTENSION].lib
        if opened is not None:
            opened.close()


@pytest.fixture(scope="module")
def web(solr_root: Path) -> Iterator[FlaskClient]:
    """A test client of an app whose live generation is the Solr one."""
    with _web_client(solr_root) as client:
        yield client


def test_the_search_page_and_the_api_answer_from_solr(web: FlaskClient) -> None:
    page = web.get("/search?q=train+together")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Response Teams in the Field" in html
    assert "&lt;b&gt;<mark>together</mark>&lt;/b&gt;" in html
    answer = web.get("/api/search?q=kidnapping").get_json()
    assert answer["total"] == 1
    assert answer["results"][0]["id"] == "reports/response-teams"
    assert {v["value"]: v["count"] for v in answer["facets"]["type"]} == {"report": 1}


def test_a_document_page_shows_the_document_and_its_edition(web: FlaskClient) -> None:
    page = web.get("/documents/families/guia-regreso")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Cuando su hijo regresa a casa" in html
    assert "/documents/families/coming-home" in html
    assert web.get("/documents/families/nothing-here").status_code == 404


def _closed_port() -> int:
    """A port of 127.0.0.1 nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(params=["dead node", "no such alias"])
def dead_root(request: pytest.FixtureRequest, solr_root: Path, tmp_path: Path) -> Path:
    """A copy of the Solr generation that names a Solr no longer listening, or an alias that
    Solr does not know (its collections deleted)."""
    live = generations.current_generation(solr_root)
    assert live is not None
    meta = generations.read_meta(live)
    if request.param == "dead node":
        meta["solr_urls"] = [f"http://127.0.0.1:{_closed_port()}/solr"]
    else:
        meta["alias"] = "library-engine-test-deleted"
    path = generations.new_generation(tmp_path)
    vocabulary = (live / generations.VOCABULARY).read_text(encoding="utf-8")
    generations.publish(tmp_path, path, meta, generations.read_manifest(live), vocabulary)
    return tmp_path


@pytest.mark.parametrize(
    "url",
    [
        "/search?q=child",
        "/search",
        "/api/search?q=child",
        "/documents/guides/first-hours",
        "/api/documents/guides/first-hours",
    ],
)
def test_a_dead_solr_is_a_503_saying_the_library_is_unavailable(dead_root: Path, url: str) -> None:
    with _web_client(dead_root) as client:
        response = client.get(url)
    assert response.status_code == 503
    if url.startswith("/api/"):
        assert response.get_json()["message"].startswith("The library is temporarily unavailable")
    else:
        assert "The library is not available right now" in response.get_data(as_text=True)


def test_a_long_question_of_words_with_many_equivalents_is_answered(
    solr_lib: LibraryIndex,
) -> None:
    # Each of these words brings dozens of equivalents: sent whole, the query is over Lucene's
    # clause limit, so it is sent narrower instead of failing.
    q = "sextortion blackmail runaway trafficking kidnapping exploitation grooming"
    result = search(solr_lib, SearchRequest(q=q))
    assert "fact-sheets/sextortion" in [hit.id for hit in result.hits]


def test_mecp_serve_engine_solr_serves_the_solr_generation(solr_root: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "mecp", "serve", "--index", str(solr_root), "--engine", "solr",
         "--port", "0", "--processes", "1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    ) as proc:  # fmt: skip
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().split(" on ", 1)[1].split()[0].rstrip("/")
            with urllib.request.urlopen(f"{url}/api/search?q=kidnapping", timeout=30) as answer:
                found = json.load(answer)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    assert [hit["id"] for hit in found["results"]] == ["reports/response-teams"]
