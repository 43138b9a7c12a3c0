"""Managing a SolrCloud for the library: configsets, collections, and the alias searchers read.

A full build goes into a new collection (named after its alias and the time), made from a
configset named after its files; publishing points the alias at it in one step, so searchers
never see a half-built index; `prune` then deletes what no alias needs any more. Calls go through
the Collections and Configsets APIs (the v1 endpoints, the same on every Solr 9).
May import: errors, solr.client, solr.configset.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from library.solr.client import SolrClient, SolrRequestError
from library.solr.configset import NAME_PREFIX, configset_name, zip_configset

COLLECTIONS = "admin/collections"
CONFIGS = "admin/configs"
CREATE_TIMEOUT = 180.0  # seconds: creating a collection waits for every replica to be active


@dataclass(frozen=True, slots=True)
class Replica:
    """One copy of one shard of a collection."""

    shard: str
    node: str
    state: str
    leader: bool


class SolrAdmin:
    """The admin calls the library makes on one SolrCloud."""

    def __init__(self, client: SolrClient) -> None:
        """Use client for every call."""
        self.client = client

    # --- configsets

    def configsets(self) -> list[str]:
        """The names of the configsets Solr holds."""
        return list(self.client.get(CONFIGS, {"action": "LIST"})["configSets"])

    def upload_configset(self, files: Mapping[str, bytes]) -> str:
        """Upload the configset unless Solr already holds it under its name; return the name."""
        name = configset_name(files)
        if name not in self.configsets():
            self.client.post(
                CONFIGS,
                {"action": "UPLOAD", "name": name},
                content=zip_configset(files),
                timeout=CREATE_TIMEOUT,
            )
        return name

    def delete_configset(self, name: str) -> None:
        """Delete a configset (Solr refuses while a collection uses it)."""
        self.client.get(CONFIGS, {"action": "DELETE", "name": name})

    # --- collections

    def create_collection(
        self, name: str, configset: str, shards: int = 2, replicas: int = 2
    ) -> None:
        """Create a collection and wait until every replica is active."""
        self.client.get(
            COLLECTIONS,
            {
                "action": "CREATE",
                "name": name,
                "collection.configName": configset,
                "numShards": shards,
                "replicationFactor": replicas,
                "waitForFinalState": True,
            },
            timeout=CREATE_TIMEOUT,
        )

    def collections(self) -> list[str]:
        """The names of every collection, oldest name first."""
        return sorted(self.client.get(COLLECTIONS, {"action": "LIST"})["collections"])

    def delete_collection(self, name: str) -> None:
        """Delete a collection and its data."""
        self.client.get(COLLECTIONS, {"action": "DELETE", "name": name}, timeout=CREATE_TIMEOUT)

    def replicas(self, collection: str) -> list[Replica]:
        """Every replica of a collection, by shard, with its node and state."""
        status = self._cluster_status(collection)["collections"][collection]
        return [
            Replica(shard, r["node_name"], r["state"], r.get("leader") == "true")
            for shard, info in sorted(status["shards"].items())
            for r in info["replicas"].values()
        ]

    def live_nodes(self) -> list[str]:
        """The nodes ZooKeeper lists as live."""
        return list(self._cluster_status()["live_nodes"])

    def commit(self, collection: str) -> None:
        """Make every document sent to the collection visible to searches."""
        self.client.post(f"{collection}/update", {"commit": True}, body={}, timeout=CREATE_TIMEOUT)

    # --- aliases

    def aliases(self) -> dict[str, str]:
        """Each alias and the collection it points at."""
        return dict(self.client.get(COLLECTIONS, {"action": "LISTALIASES"}).get("aliases", {}))

    def alias_target(self, alias: str) -> str | None:
        """The collection an alias points at, or None when there is no such alias."""
        return self.aliases().get(alias)

    def point_alias(self, alias: str, collection: str) -> None:
        """Publish: make the alias point at collection (created or moved in one step)."""
        self.client.get(
            COLLECTIONS, {"action": "CREATEALIAS", "name": alias, "collections": collection}
        )

    def prune(self, alias: str, keep: int = 1) -> list[str]:
        """Delete the alias's old collections (keeping the `keep` newest it does not point at),
        then every configset of ours no collection uses; return what was deleted."""
        targets = set(self.aliases().values())
        ours = re.compile(re.escape(alias) + BUILD_SUFFIX)  # not those of "ALIAS-other"
        old = [c for c in self.collections() if ours.fullmatch(c) and c not in targets]
        doomed = old[: max(0, len(old) - keep)]
        for name in doomed:
            self.delete_collection(name)
        used = {info.get("configName") for info in self._cluster_status()["collections"].values()}
        for name in self.configsets():
            if name.startswith(NAME_PREFIX) and name not in used:
                try:
                    self.delete_configset(name)
                    doomed.append(name)
                except SolrRequestError:
                    pass  # taken by a collection created meanwhile
        return doomed

    def _cluster_status(self, collection: str | None = None) -> Any:
        """CLUSTERSTATUS, of one collection or of all."""
        params = {"action": "CLUSTERSTATUS"} | ({"collection": collection} if collection else {})
        return self.client.get(COLLECTIONS, params)["cluster"]


BUILD_SUFFIX = r"-\d{8}-\d{6}-\d{6}"  # what new_collection_name puts after the alias


def new_collection_name(alias: str, now: datetime | None = None) -> str:
    """A collection name for a new build: the alias and the UTC time, so names sort by age."""
    moment = now or datetime.now(UTC)
    return f"{alias}-{moment:%Y%m%d-%H%M%S-%f}"
