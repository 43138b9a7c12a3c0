"""Admin calls on the real harness: configsets, a 2x2 collection, publishing through an alias, pruning."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from library.models import Document
from library.solr.admin import SolrAdmin, new_collection_name
from library.solr.client import SolrRequestError
from library.solr.configset import build_configset, configset_name
from library.solr.fields import to_solr
from library.vocab import load_vocabulary, parse_vocabulary
from mecp import cli
from tests.conftest import VOCABULARY
from tests.solr.harness import Harness


def _ids(admin: SolrAdmin, collection: str) -> list[str]:
    """The ids of every document a collection (or alias) answers with."""
    docs = admin.client.get(f"{collection}/select", {"q": "*:*", "fl": "id", "rows": 100})
    return sorted(d["id"] for d in docs["response"]["docs"])


def test_the_configset_is_uploaded_once_under_its_contents_name(
    solr_admin: SolrAdmin, configset: str
) -> None:
    files = build_configset(load_vocabulary(VOCABULARY))
    assert configset == configset_name(files)
    assert solr_admin.upload_configset(files) == configset  # already there: not sent again
    assert solr_admin.configsets().count(configset) == 1


def test_mecp_solr_upload_and_status(
    solr_harness: Harness, configset: str, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = ",".join(solr_harness.nodes)
    assert cli.main(["solr", "upload", "--solr-url", urls, "--vocabulary", str(VOCABULARY)]) == 0
    assert f"configset {configset} is on" in capsys.readouterr().out
    assert cli.main(["solr", "status", "--solr-url", urls]) == 0
    out = capsys.readouterr().out
    assert "live nodes: " in out
    assert configset in out


def test_a_collection_has_two_shards_each_on_both_nodes(
    solr_admin: SolrAdmin, collection: str
) -> None:
    replicas = solr_admin.replicas(collection)
    assert Counter(r.shard for r in replicas) == {"shard1": 2, "shard2": 2}
    for shard in ("shard1", "shard2"):
        nodes = {r.node for r in replicas if r.shard == shard}
        assert nodes == set(solr_admin.live_nodes())  # one copy per node: either can stop
    assert {r.state for r in replicas} == {"active"}
    assert collection in solr_admin.collections()


def test_publishing_moves_the_alias_and_pruning_deletes_what_no_alias_needs(
    solr_admin: SolrAdmin, configset: str
) -> None:
    alias = "publish-test"
    # a configset of its own, so pruning it is seen (the session's one stays in use)
    other = parse_vocabulary(
        load_vocabulary(VOCABULARY).source + '\n[[equivalents]]\nterms = ["a", "b"]\n'
    )
    own = solr_admin.upload_configset(build_configset(other))
    old, new = (new_collection_name(alias, datetime(2026, 1, day, tzinfo=UTC)) for day in (1, 2))
    for name, doc_id, config in ((old, "old/doc", own), (new, "new/doc", configset)):
        solr_admin.create_collection(name, config, shards=1, replicas=1)
        solr_admin.client.post(
            f"{name}/update",
            body=[to_solr(Document(id=doc_id, title=doc_id, path=doc_id, format="txt"))],
        )
        solr_admin.commit(name)
    solr_admin.point_alias(alias, old)
    assert _ids(solr_admin, alias) == ["old/doc"]
    solr_admin.point_alias(alias, new)
    assert solr_admin.alias_target(alias) == new
    assert _ids(solr_admin, alias) == ["new/doc"]
    # an old build of another library whose alias begins with this one's is not this one's
    neighbour = new_collection_name(alias + "-b", datetime(2025, 12, 31, tzinfo=UTC))
    solr_admin.create_collection(neighbour, configset, shards=1, replicas=1)
    assert solr_admin.prune(alias, keep=1) == []  # the previous build is kept for a rollback
    assert solr_admin.prune(alias, keep=0) == [old, own]  # its configset goes with it
    assert old not in solr_admin.collections()
    assert neighbour in solr_admin.collections()
    assert own not in solr_admin.configsets()
    assert configset in solr_admin.configsets()  # still used by the session's collection
    solr_admin.client.get("admin/collections", {"action": "DELETEALIAS", "name": alias})
    solr_admin.delete_collection(new)
    solr_admin.delete_collection(neighbour)


def test_collection_names_sort_by_build_time() -> None:
    first = new_collection_name("lib", datetime(2026, 3, 9, 23, 59, tzinfo=UTC))
    second = new_collection_name("lib", datetime(2026, 3, 10, 0, 1, tzinfo=UTC))
    assert first < second
    assert first.startswith("lib-20260309-235900")


def test_creating_a_collection_from_a_missing_configset_is_refused(solr_admin: SolrAdmin) -> None:
    with pytest.raises(SolrRequestError, match="no-such-configset"):
        solr_admin.create_collection("never-made", "no-such-configset", shards=1, replicas=1)
    assert "never-made" not in solr_admin.collections()
