"""The ingest run: scan the corpus, extract what changed, write a new index generation, report.

The single producer of Documents for the index. A document leaves the index only when the scan
sees that its file is gone (or it changed and can no longer be indexed): a file or folder that
cannot be read keeps the version indexed before. May import: library, extract, infer, scan,
files, report, workers.
"""

from __future__ import annotations

import dataclasses
import difflib
import errno
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.extract import Limits
from ingest.files import FileProblem, digest_bounded, digest_bytes, read_bounded
from ingest.report import Report
from ingest.scan import Entry, Scan, scan_corpus
from ingest.workers import Outcome, Segment, Task, WorkerPool
from library import generations, index
from library.engine import Update
from library.errors import IndexWriteError
from library.settings import Settings
from library.vocab import Vocabulary, load_vocabulary

Progress = Callable[[int, int, str], None]
SIDECAR_MAX_BYTES = 1 << 20
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)

__all__ = ["Progress", "Report", "run"]


@dataclass(slots=True)
class _Plan:
    """What one run does: the new manifest's records, the files to extract, what to remove."""

    documents: dict[str, Any] = field(default_factory=dict)
    todo: list[Entry] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # ids whose old version must go
    removed: list[str] = field(default_factory=list)  # ids whose file is gone


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
    root = settings.index_dir
    try:
        with generations.ingest_lock(root, wait=wait):
            generations.clean(root)  # partial generations a killed ingest left behind
            if not settings.engine:  # no engine asked for: the live index's
                settings = dataclasses.replace(settings, engine=index.live_engine(root))
            _ingest(settings, vocabulary, rebuild, report, progress)
    except (OSError, IndexWriteError) as exc:
        if isinstance(exc, OSError) and exc.errno not in _DISK_FULL:
            raise
        text = str(exc) if isinstance(exc, IndexWriteError) else "no space left on device"
        raise IndexWriteError(
            f"{text} (writing the index at {root}): free some space and run `mecp ingest` "
            "again; the live index was not changed"
        ) from None
    report.seconds = time.monotonic() - started
    return report


def _ingest(
    settings: Settings,
    vocabulary: Vocabulary,
    rebuild: bool,
    report: Report,
    progress: Progress | None,
) -> None:
    """The run, inside the lock."""
    corpus = settings.corpus_dir
    old = _previous_manifest(settings, vocabulary, rebuild, report)
    scan = scan_corpus(corpus, settings.max_file_mb * 2**20)
    report.skipped.extend(scan.skipped)
    report.failed.extend(scan.failed)
    report.warnings.extend(scan.warnings)
    plan = _plan(corpus, scan, old, report, settings.max_file_mb * 2**20)
    for folder, reason in scan.unseen:
        kept = sum(1 for r in old.values() if scan.is_unseen(r["path"]))
        note = f"; the {kept} publication(s) indexed from it before are kept as they were"
        report.failed.append((f"{folder or '.'}/", reason + (note if kept else "")))
    manifest = {
        "vocabulary": digest_bytes(vocabulary.source.encode()),
        "corpus": str(corpus.resolve()),
        "documents": plan.documents,
    }
    if plan.todo or plan.removed or plan.stale or report.rebuilt or plan.documents != old:
        _write(settings, vocabulary, scan, plan, manifest, old, report, progress)
    check_editions(plan.documents, report)


def _previous_manifest(
    settings: Settings, vocabulary: Vocabulary, rebuild: bool, report: Report
) -> dict[str, Any]:
    """The live manifest's documents, or {} when the index must be rebuilt (and why)."""
    root, corpus = settings.index_dir, settings.corpus_dir
    live = generations.current_generation(root)
    if rebuild:
        report.rebuilt = "--rebuild was given"
        return {}
    if live is None:
        return {}
    manifest = generations.read_manifest(live)
    engine = index.live_engine(root)
    version = generations.live_schema_version(root)
    expected = index.schema_version(settings.engine)
    damage = generations.damage(live) if version == expected else []
    documents = manifest.get("documents")
    if engine != settings.engine:
        report.rebuilt = f"the index engine changed ({engine} -> {settings.engine})"
    elif version != expected:
        report.rebuilt = f"the index schema changed (version {version} -> {expected})"
    elif damage:
        more = f" and {len(damage) - 1} more problems" if len(damage) > 1 else ""
        report.rebuilt = f"the live index is damaged ({damage[0]}{more})"
    elif manifest.get("vocabulary") != digest_bytes(vocabulary.source.encode()):
        report.rebuilt = "the vocabulary changed, so every document's inferred terms may change"
    elif manifest.get("corpus") != str(corpus.resolve()):
        report.rebuilt = "the index was built from another corpus folder"
    elif not isinstance(documents, dict):
        report.rebuilt = "the live index's manifest is damaged"
    elif reason := index.rebuild_reason(root, settings, vocabulary):
        report.rebuilt = reason
    else:
        return documents
    return {}


def _plan(corpus: Path, scan: Scan, old: dict[str, Any], report: Report, limit: int) -> _Plan:
    """Which entries to extract; unchanged ones are copied into the new manifest as they were."""
    plan = _Plan()
    for doc_id, entry in scan.entries.items():
        before = old.get(doc_id)
        if before and before.get("path") != entry.facts.path:
            before = None  # another file now has this id (guide.html replaced guide.pdf)
        if entry.problem:
            _unreadable(plan, doc_id, entry, before, report)
        elif before and _unchanged(corpus, entry, before, limit):
            plan.documents[doc_id] = {**before, "signature": entry.signature}
            report.unchanged += 1
            if before.get("failed"):
                report.failed.append((entry.facts.path, before["failed"] + " (unchanged since)"))
            report.warnings.extend((entry.facts.path, w) for w in before.get("warnings", []))
        else:
            plan.todo.append(entry)
    for doc_id, record in old.items():
        if doc_id in scan.entries:
            continue
        if scan.is_unseen(record["path"]):
            plan.documents[doc_id] = record  # its folder could not be read: keep it as it was
        else:
            plan.removed.append(doc_id)
    return plan


def _unreadable(
    plan: _Plan, doc_id: str, entry: Entry, before: dict[str, Any] | None, report: Report
) -> None:
    """Record an entry the scan found cannot be indexed (unreadable, or too large)."""
    indexed = before is not None and not before.get("failed")
    if entry.keep:  # a permission: the file is still there, so what was indexed from it stays
        if before is not None:
            plan.documents[doc_id] = before
        kept = "; the version indexed before is kept" if indexed else ""
        report.failed.append((entry.facts.path, entry.problem + kept))
        return
    plan.documents[doc_id] = {
        "path": entry.facts.path,
        "signature": entry.signature,
        "hash": "",
        "failed": entry.problem,
        "warnings": [],
    }
    report.failed.append((entry.facts.path, entry.problem))
    if indexed:
        plan.stale.append(doc_id)


def _unchanged(corpus: Path, entry: Entry, before: dict[str, Any], limit: int) -> bool:
    """Whether a file is as it was indexed: the same signature, or touched with the same bytes."""
    if before.get("signature") == entry.signature:
        return True
    try:
        digest = digest_bounded(corpus, entry.facts.path, limit)
        side = digest_bounded(corpus, entry.sidecar, SIDECAR_MAX_BYTES) if entry.sidecar else ""
    except FileProblem:
        return False  # the worker will find out why, and report it
    return bool(before.get("hash")) and before["hash"] == f"{digest}:{side}"


def _write(
    settings: Settings,
    vocabulary: Vocabulary,
    scan: Scan,
    plan: _Plan,
    manifest: dict[str, Any],
    old: dict[str, Any],
    report: Report,
    progress: Progress | None,
) -> None:
    """Extract todo in the worker pool, write a new generation and publish it."""
    update = index.begin_update(settings.index_dir, not old, settings, vocabulary)
    try:
        pool = WorkerPool(
            settings.ingest_workers,
            vocabulary.source,
            Limits(settings.max_file_mb * 2**20, settings.max_pages),
            settings.file_timeout,
            settings.file_memory_mb,
            generation=update.path,
            engine=settings.engine,
        )
        tasks, sidecars = _tasks(settings.corpus_dir, plan, old, report)
        done = 0
        for item in pool.run(tasks):
            if isinstance(item, Segment):
                update.add_segment(item.segment, item.doc_ids)
                continue
            _apply(item, scan, old, plan.documents, sidecars, update, report)
            if item.task.attempt == 0:
                done += 1
                if progress:
                    progress(done, len(tasks), item.task.facts.path)
        for doc_id in plan.stale:
            update.remove(doc_id)
        for doc_id in plan.removed:
            update.remove(doc_id)
            report.removed.append(old[doc_id]["path"])
        update.publish(manifest, vocabulary, settings.corpus_dir)
    except BaseException:
        update.abort()
        raise


def _tasks(
    corpus: Path, plan: _Plan, old: dict[str, Any], report: Report
) -> tuple[list[Task], dict[str, str]]:
    """A task per entry to extract, with its sidecar read; and each id's sidecar checksum."""
    tasks, digests = [], {}
    for entry in plan.todo:
        text, digest = None, ""
        if entry.sidecar:
            try:
                read = read_bounded(corpus, entry.sidecar, SIDECAR_MAX_BYTES)
            except FileProblem as exc:
                problem = f"cannot read its sidecar {entry.sidecar.rsplit('/', 1)[-1]}: {exc}"
                _unreadable(plan, entry.facts.doc_id, Entry(entry.facts, None, "", problem, True),
                            old.get(entry.facts.doc_id), report)  # fmt: skip
                continue
            text = read.data.decode("utf-8", errors="replace")  # TOML reports bad bytes
            digest = read.digest
        tasks.append(Task(entry.facts, str(corpus.resolve()), text))
        digests[entry.facts.doc_id] = digest
    return tasks, digests


def _apply(
    outcome: Outcome,
    scan: Scan,
    old: dict[str, Any],
    documents: dict[str, Any],
    sidecars: dict[str, str],
    update: Update,
    report: Report,
) -> None:
    """Index one outcome and record it in the manifest and the report."""
    facts = outcome.task.facts
    entry = scan.entries[facts.doc_id]
    if outcome.task.attempt:  # done again after its document was lost: this replaces the first
        report.forget(facts.path)
    before = old.get(facts.doc_id)
    indexed = before is not None and not before.get("failed")
    if outcome.unreadable:  # gone or replaced since the scan: nothing read, nothing changed
        if before is not None:
            documents[facts.doc_id] = before
        kept = "; the version indexed before is kept" if indexed else ""
        report.failed.append((facts.path, outcome.error + kept))
        return
    sidecar_signature = entry.signature.split("/", 1)[1]
    record: dict[str, Any] = {
        "path": facts.path,
        # what was read; a file stopped before it was read (too slow) keeps the scan's, so it is
        # not tried again until it changes
        "signature": f"{outcome.signature}/{sidecar_signature}"
        if outcome.signature
        else entry.signature,
        "hash": f"{outcome.digest}:{sidecars.get(facts.doc_id, '')}",
        "warnings": list(outcome.warnings),
        "indexed": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),  # the sitemap's lastmod
    }
    report.warnings.extend((facts.path, w) for w in outcome.warnings)
    if outcome.document is None:
        record["failed"] = outcome.error
        report.failed.append((facts.path, outcome.error))
        if indexed:
            update.remove(facts.doc_id)  # the stale version would no longer match the file
    else:  # the worker wrote it into a segment that the pool hands to update.add_segment
        if outcome.document.translation_of:
            record["translation_of"] = outcome.document.translation_of
        (report.updated if indexed else report.added).append(facts.path)
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
