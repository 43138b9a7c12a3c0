"""A local generation of the solr engine for tests: documents in a new collection behind an alias,
and the generation folder that names them, published with library.generations."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from library import generations
from library.models import Document
from library.solr.admin import SolrAdmin, new_collection_name
from library.solr.fields import to_solr
from library.solr.update import SCHEMA_VERSION


def publish_solr_generation(
    root: Path,
    admin: SolrAdmin,
    configset: str,
    alias: str,
    docs: Iterable[Document],
    vocabulary_source: str,
    corpus_dir: Path,
) -> str:
    """Send docs to a new 2x2 collection, point alias at it, make its generation live; its name."""
    docs = list(docs)
    collection = new_collection_name(alias)
    admin.create_collection(collection, configset, shards=2, replicas=2)
    admin.client.post(f"{collection}/update", body=[to_solr(d) for d in docs])
    admin.commit(collection)
    admin.point_alias(alias, collection)
    path = generations.new_generation(root)
    meta = {
        "engine": "solr",
        "schema_version": SCHEMA_VERSION,
        "solr_urls": list(admin.client.urls),
        "alias": alias,
        "collection": collection,
        "corpus_dir": str(corpus_dir),
        "built_at": "2026-01-01T00:00:00Z",
        "documents": len(docs),
    }
    manifest = {d.id: {"path": d.path} for d in docs}
    generations.publish(root, path, meta, manifest, vocabulary_source)
    return collection
