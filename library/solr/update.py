"""Writing the library's documents to a SolrCloud: the workers' batches, the update, publishing.

Ingest workers each collect their documents as Solr documents (fields.to_solr) in a
SegmentBuilder, whose finished segment is a JSON file in the generation folder; the parent's
Update posts those files to the collection in batches. A full build (the first run, --rebuild,
a schema, configset or vocabulary change) goes into a new collection made from the project's
configset, and the alias is pointed at it only once every document is committed; otherwise the
live collection is updated in place (changed documents sent again, removed ones deleted) and
committed at the end. Solr shows nothing sent before that commit (solrconfig.xml: no soft
commits, hard commits open no searcher). The local generation (manifest, vocabulary, mecp.json
naming the nodes, the alias and the collection) is published last, through library.generations;
the alias's other collections, but the one before the live one, are then deleted.
May import: errors, generations, models, settings, vocab, solr.admin, solr.client,
solr.configset, solr.fields.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from library import generations
from library.errors import IndexUnavailable, LibraryError
from library.generations import current_generation
from library.models import Document
from library.settings import Settings
from library.solr.admin import SolrAdmin, new_collection_name
from library.solr.client import SolrClient, parse_urls
from library.solr.configset import build_configset, configset_name
from library.solr.fields import to_solr
from library.vocab import Vocabulary

ENGINE = "solr"
SCHEMA_VERSION = 2  # of solr/configset/conf/schema.xml's fields as fields.py fills them
BATCH = 500  # documents per update request
UPDATE_TIMEOUT = 120.0  # seconds for Solr to take one batch (every replica writes it)
BATCH_PREFIX = ".solr-batch-"  # a worker's finished segment in the generation folder
PENDING = "solr-pending"  # in the index folder: a live collection is being updated in place
_counter = itertools.count()


class SegmentBuilder:
    """Collects one worker's Solr documents; finish() writes them to a batch file."""

    def __init__(self, generation: Path) -> None:
        """Write batch files into the generation folder being built."""
        self.generation = generation
        self._docs: dict[str, dict[str, Any]] = {}
        # Words of text held: a posting each once Solr indexes them (the pool's segment size).
        self.postings_count = 0

    def add(self, doc: Document) -> None:
        """Add a document; an id added twice keeps the later version."""
        self._docs.pop(doc.id, None)
        self._docs[doc.id] = to_solr(doc)
        self.postings_count += len(doc.title.split()) + len(doc.summary.split())
        self.postings_count += len(doc.body.split())

    @property
    def doc_ids(self) -> list[str]:
        """The ids added so far."""
        return list(self._docs)

    def finish(self) -> str | None:
        """Write the documents (one JSON object a line); the file's path, or None if empty."""
        if not self._docs:
            return None
        path = self.generation / f"{BATCH_PREFIX}{os.getpid()}-{next(_counter)}.jsonl"
        with open(path, "w", encoding="utf-8") as handle:
            for fields in self._docs.values():
                handle.write(json.dumps(fields, ensure_ascii=False) + "\n")
        self._docs.clear()
        return str(path)

    def discard(self) -> None:
        """Abandon the documents collected."""
        self._docs.clear()


class Update:
    """A run writing to one collection; publish() makes it live. Use through begin_update()."""

    def __init__(
        self,
        root: Path,
        path: Path,
        admin: SolrAdmin,
        settings: Settings,
        collection: str,
        configset: str = "",
    ) -> None:
        """Write to a new collection made from configset, or (without one) the live collection."""
        self.root, self.path = root, path
        self.admin = admin
        self.alias = settings.solr_alias
        self.urls = list(parse_urls(settings.solr_url))
        self.collection = collection
        self.configset = configset
        self.fresh = bool(configset)  # a new collection, not yet behind the alias
        self._removed: list[str] = []
        self._published = False

    def add_segment(self, segment: Any, doc_ids: Iterable[str]) -> None:
        """Send a worker's batch file to the collection, BATCH documents a request."""
        file = Path(segment)
        with _writing():
            self._mark_pending()
            with open(file, encoding="utf-8") as handle:
                docs = (json.loads(line) for line in handle if line.strip())
                for batch in _batches(docs):
                    self._post(batch)
        file.unlink()

    def remove(self, doc_id: str) -> None:
        """Delete one document by id (sent with the others before the commit)."""
        self._removed.append(doc_id)

    def publish(self, manifest: dict[str, Any], vocabulary: Vocabulary, corpus_dir: Path) -> None:
        """Commit, point the alias at a new collection, then make the local generation live."""
        for leftover in self.path.glob(BATCH_PREFIX + "*"):
            leftover.unlink()  # a segment whose worker died before handing it over
        with _writing():
            if self._removed:
                self._mark_pending()
            for batch in _batches(self._removed):
                self._post({"delete": batch})
            self.admin.commit(self.collection)
            documents = count(self.admin.client, self.collection)
            previous = self.admin.alias_target(self.alias)
            if self.fresh:
                self.admin.point_alias(self.alias, self.collection)
        meta = {
            "engine": ENGINE,
            "schema_version": SCHEMA_VERSION,
            "corpus_dir": str(corpus_dir.resolve()),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "documents": documents,
            "solr_urls": self.urls,
            "alias": self.alias,
            "collection": self.collection,
            "configset": self.configset or _configset_of(self.root),
        }
        try:
            generations.publish(self.root, self.path, meta, manifest, vocabulary.source)
        except BaseException:
            if self.fresh and previous:  # searchers go back to what the local generation names
                with contextlib.suppress(LibraryError):
                    self.admin.point_alias(self.alias, previous)
            raise
        self._published = True
        (self.root / PENDING).unlink(missing_ok=True)
        # A failed clean-up changes nothing live; the next run prunes again.
        with contextlib.suppress(LibraryError):
            self._prune(previous)
        self.admin.client.close()

    def abort(self) -> None:
        """Drop a new collection and the generation folder; the live ones are left as they were."""
        if self._published:
            return
        shutil.rmtree(self.path, ignore_errors=True)
        if self.fresh:
            with contextlib.suppress(LibraryError):
                self.admin.delete_collection(self.collection)
        self.admin.client.close()

    def _prune(self, previous: str | None) -> None:
        """Keep the live collection and the one before it (as generations keep theirs); delete
        the alias's other builds, those that never went live (a killed run's) included, then
        the configsets no collection uses."""
        build = re.compile(re.escape(self.alias) + r"-\d{8}-\d{6}-\d{6}")
        ours = [c for c in self.admin.collections() if build.fullmatch(c)]
        older = [c for c in ours if c < self.collection]
        before = previous if self.fresh else (older[-1] if older else None)
        for name in ours:
            if name not in (self.collection, before):
                self.admin.delete_collection(name)
        self.admin.prune(self.alias, keep=1)

    def _post(self, body: Any) -> None:
        """One update request to the collection."""
        self.admin.client.post(f"{self.collection}/update", body=body, timeout=UPDATE_TIMEOUT)

    def _mark_pending(self) -> None:
        """Before changing the live collection: note it, so a run that stops part-way is redone
        in a new collection (Solr keeps what was sent, and a later commit would show it)."""
        if not self.fresh and not (self.root / PENDING).exists():
            generations.atomic_write(self.root / PENDING, self.collection + "\n")


def begin_update(
    root: Path,
    rebuild: bool,
    settings: Settings | None = None,
    vocabulary: Vocabulary | None = None,
) -> Update:
    """Start a run: a new collection on rebuild (or when the live index is not Solr's), else the
    live collection; a generation folder for the local side either way."""
    if settings is None or vocabulary is None:
        raise ValueError("the solr engine writes with the settings and the vocabulary")
    live = generations.read_meta(current_generation(root))
    admin = SolrAdmin(SolrClient(settings.solr_url))
    path = generations.new_generation(root)
    update: Update | None = None
    try:
        with _writing():
            if not rebuild and live.get("engine") == ENGINE and live.get("collection"):
                return Update(root, path, admin, settings, str(live["collection"]))
            configset = admin.upload_configset(build_configset(vocabulary))
            name = new_collection_name(settings.solr_alias)
            update = Update(root, path, admin, settings, name, configset)
            admin.create_collection(
                update.collection, configset, settings.solr_shards, settings.solr_replicas
            )
            return update
    except BaseException:
        if update is not None:
            update.abort()  # a collection half made (replicas that never became active)
        else:
            shutil.rmtree(path, ignore_errors=True)
            admin.client.close()
        raise


def rebuild_reason(
    root: Path, meta: dict[str, Any], settings: Settings, vocabulary: Vocabulary
) -> str:
    """Why the live collection cannot be updated in place ("" when it can)."""
    collection, alias = str(meta.get("collection", "")), settings.solr_alias
    if meta.get("alias") != alias:
        return f"the Solr alias changed ({meta.get('alias')} -> {alias})"
    if meta.get("configset") != configset_name(build_configset(vocabulary)):
        return "the Solr configset changed"
    pending = root / PENDING
    if pending.is_file() and pending.read_text(encoding="utf-8").strip() == collection:
        return f"an earlier ingest stopped part-way through updating the collection {collection}"
    with SolrClient(settings.solr_url) as client, _writing():
        target = SolrAdmin(client).alias_target(alias)
    if target != collection:
        found = f"points at {target}" if target else "is missing"
        return f"the Solr alias {alias} {found}, not at the live collection {collection}"
    return ""


def check(path: Path, meta: dict[str, Any]) -> list[str]:
    """Verify a generation: its local files intact, the alias on its collection, count as recorded."""
    problems = generations.damage(path)
    if meta.get("schema_version") != SCHEMA_VERSION:
        problems.append(f"schema version {meta.get('schema_version')}, not {SCHEMA_VERSION}")
    if problems:
        return problems
    alias, collection = meta.get("alias"), meta.get("collection")
    try:
        with SolrClient(meta.get("solr_urls") or []) as client:
            target = SolrAdmin(client).alias_target(str(alias))
            found = count(client, str(collection))
    except (LibraryError, ValueError) as exc:
        return [f"Solr cannot be read ({exc})"]
    if target != collection:
        problems.append(f"the alias {alias} points at {target}, not at {collection}")
    if found != meta.get("documents"):
        problems.append(f"{found} documents in {collection}, {meta.get('documents')} were recorded")
    return problems


def count(client: SolrClient, collection: str) -> int:
    """How many documents a collection (or alias) holds, as committed."""
    answer = client.get(f"{collection}/select", {"q": "*:*", "defType": "lucene", "rows": 0})
    found: int = answer["response"]["numFound"]
    return found


def _configset_of(root: Path) -> str:
    """The configset the live generation's collection was made from (an update keeps it)."""
    return str(generations.read_meta(current_generation(root)).get("configset", ""))


def _batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    """Lists of at most BATCH items."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, BATCH)):
        yield batch


@contextlib.contextmanager
def _writing() -> Iterator[None]:
    """Say, with Solr's own reason, that the index was not changed when Solr fails."""
    try:
        yield
    except LibraryError as exc:
        raise IndexUnavailable(
            f"cannot write the index to Solr: {exc}; the live index was not changed"
        ) from None


__all__ = ["SCHEMA_VERSION", "SegmentBuilder", "Update", "begin_update", "check", "rebuild_reason"]
