"""`mecp ingest --engine solr` on the real harness: a first build behind the alias, incremental
runs, rebuilds that prune, and a Solr that is unreachable or refuses mid-way (the live index stays)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingest import pipeline
from library import generations
from library.errors import IndexUnavailable
from library.solr.admin import SolrAdmin, new_collection_name
from library.solr.update import PENDING
from mecp import cli
from tests.conftest import build_sample_corpus, settings_for
from tests.solr.harness import Harness

EDITED = "families/guia-regreso"  # families/guia-regreso.md
GONE = "events/missing-childrens-day"  # events/missing-childrens-day.html


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A fresh copy of the sample corpus that a test may change."""
    root = tmp_path / "corpus"
    root.mkdir()
    return build_sample_corpus(root)


@pytest.fixture
def alias(request: pytest.FixtureRequest, solr_admin: SolrAdmin) -> Any:
    """An alias of the test's own; its collections are deleted afterwards."""
    name = "ingest-" + request.node.name.removeprefix("test_")[:40].replace("_", "-")
    yield name
    solr_admin.client.get("admin/collections", {"action": "DELETEALIAS", "name": name})
    for collection in solr_admin.collections():
        if collection.startswith(name + "-"):
            solr_admin.delete_collection(collection)


def _ingest(harness: Harness, corpus: Path, index: Path, alias: str, *options: str) -> int:
    """Run `mecp ingest --engine solr` on the harness's nodes; its exit status."""
    urls = ",".join(harness.nodes)
    return cli.main(
        ["ingest", "--engine", "solr", "--solr-url", urls, "--solr-alias", alias,
         "--corpus", str(corpus), "--index", str(index), "--workers", "2", *options]
    )  # fmt: skip


def _ids(admin: SolrAdmin, collection: str, q: str = "*:*") -> list[str]:
    """The ids a collection (or alias) answers a query with."""
    answer = admin.client.get(
        f"{collection}/select", {"q": q, "defType": "lucene", "df": "body_es", "fl": "id"}
    )
    return sorted(d["id"] for d in answer["response"]["docs"])


def _whoosh_ids(corpus: Path, index: Path) -> list[str]:
    """The ids the whoosh engine indexes from the same folder (its recorded count checked)."""
    report = pipeline.run(settings_for(corpus, index))
    assert report.exit_code == 0, list(report.lines())
    manifest = generations.read_manifest(generations.current_generation(index))["documents"]
    ids = sorted(i for i, record in manifest.items() if not record.get("failed"))
    assert generations.read_meta(generations.current_generation(index))["documents"] == len(ids)
    return ids


def _live(index: Path) -> dict[str, Any]:
    """The live local generation's mecp.json."""
    return generations.read_meta(generations.current_generation(index))


def test_a_first_build_makes_a_collection_behind_the_alias_with_what_whoosh_indexes(
    solr_harness: Harness,
    solr_admin: SolrAdmin,
    corpus: Path,
    tmp_path: Path,
    alias: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    expected = _whoosh_ids(corpus, tmp_path / "index")  # the same index folder, whoosh first
    assert _ingest(solr_harness, corpus, tmp_path / "index", alias) == 0
    out = capsys.readouterr().out
    assert "Rebuilt the index from scratch: the index engine changed (whoosh -> solr)." in out
    meta = _live(tmp_path / "index")
    collection = meta["collection"]
    assert meta | {"engine": "solr", "alias": alias, "solr_urls": solr_harness.nodes} == meta
    assert collection.startswith(alias + "-")
    assert solr_admin.alias_target(alias) == collection
    assert _ids(solr_admin, alias) == expected
    assert meta["documents"] == len(expected) == 7
    replicas = solr_admin.replicas(collection)
    assert sorted(r.shard for r in replicas) == ["shard1", "shard1", "shard2", "shard2"]
    assert not list(generations.current_generation(tmp_path / "index").glob(".solr-batch-*"))
    assert cli.main(["check", "--index", str(tmp_path / "index")]) == 0


def test_an_incremental_run_updates_and_deletes_in_the_live_collection(
    solr_harness: Harness,
    solr_admin: SolrAdmin,
    corpus: Path,
    tmp_path: Path,
    alias: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    index = tmp_path / "index"
    assert _ingest(solr_harness, corpus, index, alias, "--shards", "1", "--replicas", "1") == 0
    collection = _live(index)["collection"]
    assert _ids(solr_admin, alias, "zanahorias") == []
    with open(corpus / f"{EDITED}.md", "a", encoding="utf-8") as handle:
        handle.write("\nLas zanahorias también ayudan.\n")
    (corpus / f"{GONE}.html").unlink()
    capsys.readouterr()
    assert _ingest(solr_harness, corpus, index, alias) == 0
    assert "0 added, 1 updated, 5 unchanged, 1 removed" in capsys.readouterr().out
    assert _live(index)["collection"] == collection  # updated in place, no new collection
    assert solr_admin.alias_target(alias) == collection
    assert _ids(solr_admin, alias, "zanahorias") == [EDITED]
    assert GONE not in _ids(solr_admin, alias)
    assert _ids(solr_admin, alias) == _whoosh_ids(corpus, tmp_path / "whoosh")
    assert _live(index)["documents"] == 6
    assert not (index / PENDING).exists()


def test_a_run_that_names_no_engine_keeps_the_live_index_s_engine(
    solr_harness: Harness,
    solr_admin: SolrAdmin,
    corpus: Path,
    tmp_path: Path,
    alias: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The staff console's reindex runs `mecp ingest` with the server's environment, which may
    not say MECP_ENGINE=solr: it must update the Solr index, not rebuild it as whoosh."""
    index = tmp_path / "index"
    assert _ingest(solr_harness, corpus, index, alias, "--shards", "1", "--replicas", "1") == 0
    collection = _live(index)["collection"]
    (corpus / f"{GONE}.html").unlink()
    monkeypatch.delenv("MECP_ENGINE", raising=False)
    monkeypatch.setenv("MECP_SOLR_URL", ",".join(solr_harness.nodes))
    monkeypatch.setenv("MECP_SOLR_ALIAS", alias)
    capsys.readouterr()
    assert cli.main(["ingest", "--corpus", str(corpus), "--index", str(index)]) == 0
    out = capsys.readouterr().out
    assert "0 added, 0 updated, 6 unchanged, 1 removed" in out
    assert "engine changed" not in out
    assert _live(index) | {"engine": "solr", "collection": collection} == _live(index)
    assert GONE not in _ids(solr_admin, alias)
    assert (
        cli.main(["ingest", "--engine", "whoosh", "--corpus", str(corpus), "--index", str(index)])
        == 0
    )
    assert "the index engine changed (solr -> whoosh)" in capsys.readouterr().out
    assert _live(index)["engine"] == "whoosh"


def test_a_rebuild_is_a_new_collection_and_only_the_previous_one_is_kept_for_a_rollback(
    solr_harness: Harness, solr_admin: SolrAdmin, corpus: Path, tmp_path: Path, alias: str
) -> None:
    index, small = tmp_path / "index", ("--shards", "1", "--replicas", "1")
    built = []
    for run in range(3):
        assert _ingest(solr_harness, corpus, index, alias, "--rebuild", *small) == 0
        built.append(_live(index)["collection"])
        assert solr_admin.alias_target(alias) == built[-1]
        assert len(_ids(solr_admin, alias)) == 7
        ours = [c for c in solr_admin.collections() if c.startswith(alias + "-")]
        assert ours == built[-2:]  # the live one and the one before it, as with generations
        if run == 0:  # what a build killed before it went live leaves behind
            orphan = new_collection_name(alias)
            solr_admin.create_collection(orphan, _live(index)["configset"], 1, 1)
    assert orphan not in solr_admin.collections()
    assert len(set(built)) == 3
    assert len(solr_admin.replicas(built[-1])) == 1


@pytest.mark.parametrize("rebuild", [False, True])
def test_an_unreachable_solr_fails_the_ingest_with_one_line_and_the_alias_keeps_serving(
    solr_harness: Harness,
    solr_admin: SolrAdmin,
    corpus: Path,
    tmp_path: Path,
    alias: str,
    capsys: pytest.CaptureFixture[str],
    rebuild: bool,
) -> None:
    index = tmp_path / "index"
    small = ("--shards", "1", "--replicas", "1")
    assert _ingest(solr_harness, corpus, index, alias, *small) == 0
    live, before = generations.current_generation(index), _ids(solr_admin, alias)
    (corpus / f"{GONE}.html").unlink()
    capsys.readouterr()
    code = cli.main(
        ["ingest", "--engine", "solr", "--solr-url", "http://127.0.0.1:9/solr", "--solr-alias",
         alias, "--corpus", str(corpus), "--index", str(index), *(["--rebuild"] if rebuild else [])]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert "Solr is unreachable (http://127.0.0.1:9/solr" in err
    assert "the live index was not changed" in err
    assert generations.current_generation(index) == live
    assert [p.name for p in index.glob("gen-*")] == [live.name]  # nothing half-made is left
    assert _ids(solr_admin, alias) == before
    assert GONE in before


def test_a_solr_that_refuses_mid_way_leaves_no_new_collection_and_the_alias_as_it_was(
    solr_harness: Harness, solr_admin: SolrAdmin, corpus: Path, tmp_path: Path, alias: str
) -> None:
    index = tmp_path / "index"
    assert _ingest(solr_harness, corpus, index, alias, "--shards", "1", "--replicas", "1") == 0
    live, old = generations.current_generation(index), _live(index)["collection"]
    made: list[str] = []

    def refuse_updates(done: int, total: int, path: str) -> None:
        """Once the new collection exists, make Solr refuse every update to it."""
        if not made:
            made.extend(c for c in solr_admin.collections() if c.startswith(alias) and c != old)
            for name in made:
                solr_admin.client.get(
                    "admin/collections",
                    {"action": "MODIFYCOLLECTION", "collection": name, "readOnly": "true"},
                )

    settings = settings_for(
        corpus, index, engine="solr", solr_url=",".join(solr_harness.nodes), solr_alias=alias,
        solr_shards=1, solr_replicas=1,
    )  # fmt: skip
    with pytest.raises(IndexUnavailable, match="read-only.*the live index was not changed"):
        pipeline.run(settings, rebuild=True, progress=refuse_updates)
    assert len(made) == 1
    assert made[0] not in solr_admin.collections()  # dropped
    assert solr_admin.alias_target(alias) == old
    assert len(_ids(solr_admin, alias)) == 7
    assert generations.current_generation(index) == live
    assert [p.name for p in index.glob("gen-*")] == [live.name]


def test_an_update_in_place_that_stops_part_way_is_redone_in_a_new_collection(
    solr_harness: Harness,
    solr_admin: SolrAdmin,
    corpus: Path,
    tmp_path: Path,
    alias: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    index = tmp_path / "index"
    assert _ingest(solr_harness, corpus, index, alias, "--shards", "1", "--replicas", "1") == 0
    old = _live(index)["collection"]
    (corpus / f"{GONE}.html").unlink()
    settings = settings_for(
        corpus, index, engine="solr", solr_url=",".join(solr_harness.nodes), solr_alias=alias
    )

    def read_only(value: str) -> None:
        """Make Solr refuse (or take again) updates to the live collection."""
        solr_admin.client.get(
            "admin/collections",
            {"action": "MODIFYCOLLECTION", "collection": old, "readOnly": value},
        )

    read_only("true")
    try:
        with pytest.raises(IndexUnavailable, match="read-only"):
            pipeline.run(settings)
    finally:
        read_only("false")
    assert (index / PENDING).read_text(encoding="utf-8") == old + "\n"
    assert GONE in _ids(solr_admin, alias)
    capsys.readouterr()
    assert _ingest(solr_harness, corpus, index, alias, "--shards", "1", "--replicas", "1") == 0
    assert "stopped part-way through updating the collection" in capsys.readouterr().out
    assert _live(index)["collection"] != old
    assert GONE not in _ids(solr_admin, alias)
    assert not (index / PENDING).exists()
