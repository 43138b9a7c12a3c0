"""The ingest run: scan the corpus, extract what changed, write a new index generation, report.

The single producer of Documents for the index. May import: library, extract, infer, workers.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.extract import FORMATS, Limits
from ingest.infer import FileFacts
from ingest.workers import Outcome, Segment, Task, WorkerPool
from library import index
from library.schema import SCHEMA_VERSION
from library.settings import Settings
from library.vocab import Vocabulary, load_vocabulary

SKIPPED_AT_ROOT = {"readme.md", "vocabulary.toml"}
Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class Report:
    """What an ingest did, for people and for the exit status."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    rebuilt: str = ""  # why the index was rebuilt from scratch, if it was
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 when all is well, 1 when some files failed (the rest indexed)."""
        return 1 if self.failed else 0

    def forget(self, path: str) -> None:
        """Drop what was reported about one file (it is being reported again)."""
        for paths in (self.added, self.updated):
            while path in paths:
                paths.remove(path)
        self.failed = [item for item in self.failed if item[0] != path]
        self.warnings = [item for item in self.warnings if item[0] != path]

    def lines(self) -> Iterator[str]:
        """The report as text lines."""
        if self.rebuilt:
            yield f"Rebuilt the index from scratch: {self.rebuilt}."
        yield (
            f"{len(self.added)} added, {len(self.updated)} updated, {self.unchanged} unchanged, "
            f"{len(self.removed)} removed, {len(self.failed)} failed ({self.seconds:.1f} s)"
        )
        for path, reason in sorted(self.failed):
            yield f"FAILED  {path}: {reason}"
        for path, message in sorted(self.warnings):
            yield f"warning {path}: {message}"


@dataclass(frozen=True, slots=True)
class Entry:
    """A publication file found in the corpus, with its optional sidecar."""

    facts: FileFacts
    abspath: Path
    sidecar: Path | None
    signature: str  # size and mtime of file and sidecar: unchanged files are not even read


def run(
    settings: Settings, rebuild: bool = False, wait: bool = False, progress: Progress | None = None
) -> Report:
    """Bring the index in line with the corpus; only changed files are extracted."""
    started = time.monotonic()
    corpus = settings.corpus_dir
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus folder {corpus} does not exist")
    vocabulary = load_vocabulary(settings.vocabulary)
    report = Report()
    with index.ingest_lock(settings.index_dir, wait=wait):
        old = _previous_manifest(settings.index_dir, vocabulary, corpus, rebuild, report)
        entries, problems = scan_corpus(corpus)
        report.warnings.extend(problems)
        documents: dict[str, Any] = {}
        manifest = {
            "vocabulary": _digest(vocabulary.source.encode()),
            "corpus": str(corpus.resolve()),
            "documents": documents,
        }
        todo = _plan(entries, old, documents, report)
        removed = sorted(set(old) - set(entries))
        if todo or removed or report.rebuilt or documents != old:
            _write(settings, vocabulary, entries, todo, removed, manifest, old, report, progress)
        check_editions(documents, report)
    report.seconds = time.monotonic() - started
    return report


def _previous_manifest(
    root: Path, vocabulary: Vocabulary, corpus: Path, rebuild: bool, report: Report
) -> dict[str, Any]:
    """The live manifest's documents, or {} when the index must be rebuilt (and why)."""
    live = index.current_generation(root)
    if rebuild:
        report.rebuilt = "--rebuild was given"
        return {}
    if live is None:
        return {}
    manifest = index.read_manifest(live)
    version = index.live_schema_version(root)
    if version != SCHEMA_VERSION:
        report.rebuilt = f"the index schema changed (version {version} -> {SCHEMA_VERSION})"
    elif manifest.get("vocabulary") != _digest(vocabulary.source.encode()):
        report.rebuilt = "the vocabulary changed, so every document's inferred terms may change"
    elif manifest.get("corpus") != str(corpus.resolve()):
        report.rebuilt = "the index was built from another corpus folder"
    else:
        documents: dict[str, Any] = manifest.get("documents", {})
        return documents
    return {}


def scan_corpus(corpus: Path) -> tuple[dict[str, Entry], list[tuple[str, str]]]:
    """Every publication under corpus (folders starting with '.' or '_' are skipped)."""
    entries: dict[str, Entry] = {}
    problems: list[tuple[str, str]] = []
    sidecars: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        folder = Path(dirpath)
        for name in sorted(filenames):
            path = folder / name
            rel = path.relative_to(corpus).as_posix()
            if name.startswith(".") or (folder == corpus and name.lower() in SKIPPED_AT_ROOT):
                continue
            if path.suffix.lower() == ".toml":
                sidecars.add(rel)
                continue
            kind = FORMATS.get(path.suffix.lower())
            if kind is None:
                problems.append(
                    (rel, f"ignored: {path.suffix or 'no extension'} is not a publication type")
                )
                continue
            doc_id = rel.rsplit(".", 1)[0]
            if doc_id in entries:
                problems.append((rel, f"ignored: same id as {entries[doc_id].facts.path}"))
                continue
            entries[doc_id] = _entry(corpus, path, rel, doc_id, kind)
    used = {e.sidecar.relative_to(corpus).as_posix() for e in entries.values() if e.sidecar}
    problems.extend(
        (rel, "sidecar without a publication beside it") for rel in sorted(sidecars - used)
    )
    return entries, problems


def _entry(corpus: Path, path: Path, rel: str, doc_id: str, kind: str) -> Entry:
    """Stat a publication and its sidecar."""
    stat = path.stat()
    sidecar = path.with_suffix(".toml")
    side_sig = ""
    if sidecar.is_file():
        side = sidecar.stat()
        side_sig = f"{side.st_size}:{side.st_mtime_ns}"
    facts = FileFacts(doc_id=doc_id, path=rel, format=kind, size=stat.st_size, mtime=stat.st_mtime)
    return Entry(
        facts, path, sidecar if side_sig else None, f"{stat.st_size}:{stat.st_mtime_ns}/{side_sig}"
    )


def _plan(
    entries: dict[str, Entry], old: dict[str, Any], documents: dict[str, Any], report: Report
) -> list[Entry]:
    """Entries to extract; unchanged ones are copied into the new manifest as they were."""
    todo = []
    for doc_id, entry in entries.items():
        before = old.get(doc_id)
        if before and before["signature"] != entry.signature:
            if before["hash"] == _content_hash(entry):  # touched, not changed
                before = {**before, "signature": entry.signature}
            else:
                before = None
        if before and before.get("path") == entry.facts.path:
            documents[doc_id] = before
            report.unchanged += 1
            if before.get("failed"):
                report.failed.append((entry.facts.path, before["failed"] + " (unchanged since)"))
            for message in before.get("warnings", []):
                report.warnings.append((entry.facts.path, message))
        else:
            todo.append(entry)
    return todo


def _write(
    settings: Settings,
    vocabulary: Vocabulary,
    entries: dict[str, Entry],
    todo: list[Entry],
    removed: list[str],
    manifest: dict[str, Any],
    old: dict[str, Any],
    report: Report,
    progress: Progress | None,
) -> None:
    """Extract todo in the worker pool, write a new generation and publish it."""
    update = index.begin_update(settings.index_dir, rebuild=not old)
    try:
        pool = WorkerPool(
            settings.ingest_workers,
            vocabulary.source,
            Limits(settings.max_file_mb * 2**20, settings.max_pages),
            settings.file_timeout,
            settings.file_memory_mb,
            generation=update.path,
        )
        tasks = [Task(e.facts, str(e.abspath), _read_sidecar(e)) for e in todo]
        done = 0
        for item in pool.run(tasks):
            if isinstance(item, Segment):
                update.add_segment(item.segment, item.doc_ids)
                continue
            _apply(item, entries, old, manifest["documents"], update, report)
            if item.task.attempt == 0:
                done += 1
                if progress:
                    progress(done, len(tasks), item.task.facts.path)
        for doc_id in removed:
            update.remove(doc_id)
            report.removed.append(old[doc_id]["path"])
        update.publish(manifest, vocabulary, settings.corpus_dir)
    except BaseException:
        update.abort()
        raise


def _apply(
    outcome: Outcome,
    entries: dict[str, Entry],
    old: dict[str, Any],
    documents: dict[str, Any],
    update: index.Update,
    report: Report,
) -> None:
    """Index one outcome and record it in the manifest and the report."""
    facts = outcome.task.facts
    entry = entries[facts.doc_id]
    if outcome.task.attempt:  # done again after its document was lost: this replaces the first
        report.forget(facts.path)
    record: dict[str, Any] = {
        "path": facts.path,
        "signature": entry.signature,
        "hash": _content_hash(entry),
        "warnings": list(outcome.warnings),
        "indexed": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),  # the sitemap's lastmod
    }
    report.warnings.extend((facts.path, w) for w in outcome.warnings)
    if outcome.document is None:
        record["failed"] = outcome.error
        report.failed.append((facts.path, outcome.error))
        if facts.doc_id in old and not old[facts.doc_id].get("failed"):
            update.remove(facts.doc_id)  # the stale version would no longer match the file
    else:  # the worker wrote it into a segment that the pool hands to update.add_segment
        if outcome.document.translation_of:
            record["translation_of"] = outcome.document.translation_of
        was_indexed = facts.doc_id in old and not old[facts.doc_id].get("failed")
        (report.updated if was_indexed else report.added).append(facts.path)
    documents[facts.doc_id] = record


def check_editions(documents: dict[str, Any], report: Report) -> None:
    """Warn about each translation_of that names no indexed publication (checked every run)."""
    indexed = {doc_id for doc_id, record in documents.items() if not record.get("failed")}
    for doc_id, record in sorted(documents.items()):
        target = record.get("translation_of")
        if not target or record.get("failed"):
            continue
        if target == doc_id:
            problem = "names this publication itself"
        elif target not in indexed:
            hint = difflib.get_close_matches(target, sorted(indexed), n=1, cutoff=0.6)
            problem = "names no publication" + (f" (closest: {hint[0]!r})" if hint else "")
        else:
            continue
        report.warnings.append((record["path"], f"translation_of {target!r} {problem}"))


def _read_sidecar(entry: Entry) -> str | None:
    """The sidecar's text (undecodable bytes replaced, so TOML reports them)."""
    return entry.sidecar.read_bytes().decode("utf-8", errors="replace") if entry.sidecar else None


def _content_hash(entry: Entry) -> str:
    """Hash of the file's bytes and its sidecar's."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(entry.abspath.read_bytes())
    if entry.sidecar:
        digest.update(b"\0sidecar\0" + entry.sidecar.read_bytes())
    return digest.hexdigest()


def _digest(data: bytes) -> str:
    """A short content hash."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
