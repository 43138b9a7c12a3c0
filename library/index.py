"""The index on disk: generations, the ingest lock, and the only writers.

Layout of MECP_INDEX_DIR:
  CURRENT          name of the live generation (replaced atomically)
  ingest.lock      held by the one ingest allowed at a time
  gen-*/           a whoosh index plus mecp.json (schema version, corpus), vocabulary.toml and
                   manifest.json (what each document was built from)
Every ingest writes a new generation (hard-linked from the live one, since whoosh never rewrites a
segment file) and only then points CURRENT at it: a crash or a kill mid-way leaves the live index
untouched, and readers never see a half-written one. May import: schema, models, vocab, errors.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader
from whoosh.writing import CLEAR

from library.analysis import Postings
from library.errors import IndexBusy, IndexUnavailable
from library.models import Document
from library.schema import ID_FIELD, SCHEMA_VERSION, build_schema, to_fields
from library.vocab import Vocabulary, parse_vocabulary

CURRENT = "CURRENT"
LOCK = "ingest.lock"
META = "mecp.json"
MANIFEST = "manifest.json"
VOCABULARY = "vocabulary.toml"
KEEP_OLD_GENERATIONS = 1  # a request still reading the previous generation may finish


@dataclass(slots=True)
class LibraryIndex:
    """An open, read-only generation of the index with what search needs beside it."""

    root: Path
    path: Path
    ix: Any  # whoosh.index.FileIndex
    vocabulary: Vocabulary
    corpus_dir: Path
    built_at: str
    cache: dict[str, Any] = field(default_factory=dict)  # per-generation caches of library.search
    _local: threading.local = field(default_factory=threading.local)

    def searcher(self) -> Any:
        """This thread's searcher, opened once: a generation never changes once published.

        Opening a whoosh searcher costs tens of milliseconds (measured); searchers are not safe
        to share between threads, so each thread keeps its own.
        """
        found = getattr(self._local, "searcher", None)
        if found is None:
            found = self._local.searcher = self.ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2))
        return found

    def is_current(self) -> bool:
        """False once an ingest has published a newer generation."""
        return current_generation(self.root) == self.path

    def manifest(self) -> dict[str, Any]:
        """What the documents were built from (written by ingest.pipeline)."""
        return read_manifest(self.path)


def current_generation(root: Path) -> Path | None:
    """The live generation's folder, or None if there is no index yet."""
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return root / name if name else None


def open_index(root: Path) -> LibraryIndex:
    """Open the live generation read-only; refuse one built with another schema version."""
    path = current_generation(root)
    if path is None or not path.is_dir():
        raise IndexUnavailable(f"no index at {root}: run `mecp ingest` first")
    meta = _read_json(path / META)
    version = meta.get("schema_version")
    if version != SCHEMA_VERSION:
        raise IndexUnavailable(
            f"the index at {root} has schema version {version}, this version of the library "
            f"needs {SCHEMA_VERSION}: run `mecp ingest --rebuild`"
        )
    try:
        ix = whoosh_index.open_dir(str(path))
        vocabulary = parse_vocabulary((path / VOCABULARY).read_text(encoding="utf-8"))
    except (OSError, whoosh_index.IndexError) as exc:
        raise IndexUnavailable(f"cannot open the index at {root}: {exc}") from exc
    return LibraryIndex(
        root=root,
        path=path,
        ix=ix,
        vocabulary=vocabulary,
        corpus_dir=Path(meta["corpus_dir"]),
        built_at=meta.get("built_at", ""),
    )


def read_manifest(path: Path | None) -> dict[str, Any]:
    """A generation's manifest (empty when there is none)."""
    return _read_json(path / MANIFEST) if path else {}


def live_schema_version(root: Path) -> int | None:
    """The schema version of the live generation, if any."""
    path = current_generation(root)
    return _read_json(path / META).get("schema_version") if path else None


@contextlib.contextmanager
def ingest_lock(root: Path, wait: bool = False) -> Iterator[None]:
    """Hold the one-ingest-at-a-time lock; raise IndexBusy (or wait) when another ingest has it."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise IndexBusy(
                f"another ingest (pid {holder}) is writing the index at {root}; "
                "wait for it to finish, or pass --wait"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


class _PerDocReader(W3PerDocReader):  # type: ignore[misc]
    """Remembers that a field has no length column instead of asking the disk again.

    Whoosh looks up a field length for every posting it writes; for fields without lengths
    (spelling words, facets) each look-up was a file-system stat: a quarter of ingest time.
    """

    def _cached_reader(self, fieldname: str, column: Any) -> Any:
        """The column reader, or None, computed once per field."""
        if fieldname not in self._readers:
            self._readers[fieldname] = super()._cached_reader(fieldname, column)
        return self._readers[fieldname]


class _Codec(W3Codec):  # type: ignore[misc]
    """Whoosh's default codec with the caching per-document reader."""

    def per_document_reader(self, storage: Any, segment: Any) -> Any:
        """Per-document values of a segment."""
        return _PerDocReader(storage, segment)


class Update:
    """A new generation being written; publish() makes it live. Use through begin_update()."""

    def __init__(self, root: Path, path: Path, fresh: bool) -> None:
        """Open a writer on the new generation folder."""
        self.root, self.path = root, path
        self._fresh = fresh
        ix = whoosh_index.open_dir(str(path))
        self._writer = ix.writer(limitmb=256, codec=_Codec())
        self._seen: set[str] = set()
        self._spelled: dict[str, set[str]] = {}  # spelling words this update has added, by field
        self.changed = False

    def upsert(self, doc: Document, fields: dict[str, Any] | None = None) -> None:
        """Add or replace one document (an id given twice in one update is kept once).

        fields may carry the document's values analysed ahead of time (schema.to_fields).
        """
        fields = fields or to_fields(doc, analysed=True)
        self._spell_once(fields)
        if self._fresh and doc.id not in self._seen:
            self._writer.add_document(**fields)
        else:
            if doc.id in self._seen:
                self._writer.delete_by_term(ID_FIELD, doc.id)
            self._writer.update_document(**fields)
        self._seen.add(doc.id)
        self.changed = True

    def _spell_once(self, fields: dict[str, Any]) -> None:
        """Give each spelling word to whoosh once per update, not once per document.

        Whoosh's spelling fields only list words (search counts documents from the stemmed
        fields), and adding every document's words was half of all postings written.
        """
        for name, value in fields.items():
            if isinstance(value, Postings) and value.spelling:
                seen = self._spelled.setdefault(name, set())
                value.spelling = [w for w in value.spelling if w not in seen]
                seen.update(value.spelling)

    def remove(self, doc_id: str) -> None:
        """Remove one document by id."""
        self._writer.delete_by_term(ID_FIELD, doc_id)
        self.changed = True

    def publish(self, manifest: dict[str, Any], vocabulary: Vocabulary, corpus_dir: Path) -> None:
        """Commit, write the side files, and atomically make this generation live."""
        self._writer.commit(mergetype=CLEAR if self._fresh else None, optimize=False)
        (self.path / VOCABULARY).write_text(vocabulary.source, encoding="utf-8")
        _write_json(self.path / MANIFEST, manifest)
        meta = {
            "schema_version": SCHEMA_VERSION,
            "corpus_dir": str(corpus_dir.resolve()),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        _write_json(self.path / META, meta)
        _fsync_dir(self.path)
        _atomic_write(self.root / CURRENT, self.path.name + "\n")
        _remove_old_generations(self.root)

    def abort(self) -> None:
        """Drop the uncommitted work and the new generation folder."""
        with contextlib.suppress(Exception):
            self._writer.cancel()
        shutil.rmtree(self.path, ignore_errors=True)


def begin_update(root: Path, rebuild: bool) -> Update:
    """Start a new generation: empty on rebuild, else hard-linked from the live one."""
    root.mkdir(parents=True, exist_ok=True)
    live = current_generation(root)
    path = root / f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
    path.mkdir()
    if rebuild or live is None or not live.is_dir():
        whoosh_index.create_in(str(path), build_schema())
        return Update(root, path, fresh=True)
    for item in live.iterdir():  # whoosh never rewrites a file in place, so links are safe
        if item.is_file() and not item.name.endswith(("LOCK", ".tmp")):
            os.link(item, path / item.name)
    return Update(root, path, fresh=False)


def _remove_old_generations(root: Path) -> None:
    """Delete generations older than the live one and the few kept before it."""
    live = current_generation(root)
    gens = sorted(
        (p for p in root.glob("gen-*") if p.is_dir() and p != live), key=lambda p: p.stat().st_mtime
    )
    for old in gens[: max(0, len(gens) - KEEP_OLD_GENERATIONS)]:
        shutil.rmtree(old, ignore_errors=True)


def _read_json(path: Path) -> dict[str, Any]:
    """Read a JSON object; an absent or broken file reads as empty."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Write JSON through a temporary file and a rename."""
    _atomic_write(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _atomic_write(path: Path, text: str) -> None:
    """Replace path's content atomically and durably."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    """Make a folder's entries durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
