"""Extraction in long-lived worker processes with a time and a memory limit per file.

A file that hangs a worker past its time is killed with it, a worker that dies is replaced, and
either way the file is reported and the run goes on. May import: library, extract, infer, sidecar.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from ingest.extract import ExtractionError, Limits, extract_file
from ingest.infer import FileFacts, build_document
from ingest.sidecar import Sidecar, SidecarError, parse_sidecar
from library.models import Document
from library.schema import to_fields
from library.vocab import parse_vocabulary

STARTUP_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Task:
    """One file to turn into a Document."""

    facts: FileFacts
    abspath: str
    sidecar_text: str | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """A Document, or the reason there is none; warnings either way."""

    task: Task
    document: Document | None
    error: str = ""
    warnings: tuple[str, ...] = field(default=())
    fields: dict[str, Any] | None = None  # the document analysed for the index writer


def process(task: Task, vocabulary_source: str, limits: Limits) -> Outcome:
    """Extract one file and build its Document (runs inside a worker)."""
    vocabulary = _vocabulary(vocabulary_source)
    sidecar, warnings = Sidecar(), list[str]()
    if task.sidecar_text is not None:
        try:
            sidecar, warnings = parse_sidecar(task.sidecar_text, vocabulary)
        except SidecarError as exc:
            warnings = [f"sidecar ignored: {exc}"]
    try:
        extracted = extract_file(Path(task.abspath), limits)
    except ExtractionError as exc:
        return Outcome(task, None, str(exc), tuple(warnings))
    except MemoryError:
        return Outcome(task, None, "ran out of memory while extracting", tuple(warnings))
    warnings.extend(extracted.notes)
    doc = build_document(task.facts, extracted, sidecar, vocabulary)
    if not doc.has_text:
        if not sidecar.title:
            reason = "no text to index (a scanned image without a text layer?); "
            return Outcome(
                task, None, reason + "add a sidecar with a title to list it", tuple(warnings)
            )
        warnings.append("no text layer: indexed by its sidecar metadata only")
    # analysing here, in parallel workers, leaves the single index writer only postings to add
    return Outcome(task, doc, "", tuple(warnings), to_fields(doc, analysed=True))


_VOCAB_CACHE: dict[str, Any] = {}


def _vocabulary(source: str) -> Any:
    """Parse the vocabulary once per process."""
    if source not in _VOCAB_CACHE:
        _VOCAB_CACHE.clear()
        _VOCAB_CACHE[source] = parse_vocabulary(source)
    return _VOCAB_CACHE[source]


def _worker_main(conn: Connection, vocabulary_source: str, limits: Limits, memory_mb: int) -> None:
    """Serve tasks from the parent until it sends None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if memory_mb > 0:
        limit = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    conn.send("ready")  # the parent starts a file's clock only once the worker can take it
    while True:
        task = conn.recv()
        if task is None:
            return
        try:
            conn.send(process(task, vocabulary_source, limits))
        except Exception as exc:  # a bug must not take the worker down silently
            conn.send(Outcome(task, None, f"internal error: {type(exc).__name__}: {exc}"))


class _Worker:
    """One child process and the task it is working on."""

    def __init__(self, ctx: Any, args: tuple[Any, ...]) -> None:
        """Start the process."""
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, *args), daemon=True)
        self.proc.start()
        child.close()
        self.task: Task | None = None
        self.ready = False
        self.deadline = time.monotonic() + STARTUP_SECONDS

    def stop(self, kill: bool = False) -> None:
        """End the process, politely unless kill."""
        if kill or self.task is not None:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.proc.kill()
        self.proc.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """A fixed number of extraction processes, replaced when one dies or overruns."""

    def __init__(
        self, workers: int, vocabulary_source: str, limits: Limits, timeout: float, memory_mb: int
    ) -> None:
        """Remember the settings; processes start in run()."""
        self._size = max(1, workers)
        self._args = (vocabulary_source, limits, memory_mb)
        self._timeout = timeout
        self._ctx = multiprocessing.get_context("spawn")

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Yield one Outcome per task, in completion order."""
        pending = deque(tasks)
        workers = [_Worker(self._ctx, self._args) for _ in range(min(self._size, len(pending)))]
        try:
            while pending or any(w.task for w in workers):
                for worker in workers:
                    if worker.ready and worker.task is None and pending:
                        worker.task = pending.popleft()
                        worker.deadline = time.monotonic() + self._timeout
                        worker.conn.send(worker.task)
                yield from self._collect(workers)
        finally:
            for worker in workers:
                worker.stop()

    def _collect(self, workers: list[_Worker]) -> Iterator[Outcome]:
        """Wait for results; replace workers that died or ran out of time."""
        busy = [w for w in workers if w.task is not None or not w.ready]
        next_deadline = min(w.deadline for w in busy)
        ready = wait([w.conn for w in busy], timeout=max(0.0, next_deadline - time.monotonic()))
        now = time.monotonic()
        for index, worker in enumerate(workers):
            if not worker.ready:
                workers[index] = self._start(worker, worker.conn in ready, now)
                continue
            task = worker.task
            if task is None:
                continue
            if worker.conn in ready:
                try:
                    outcome: Outcome = worker.conn.recv()
                except (EOFError, OSError):
                    code = worker.proc.exitcode
                    outcome = Outcome(
                        task,
                        None,
                        f"extraction process died (exit code {code}); "
                        "the file may need more memory than allowed",
                    )
                    worker.task = None
                    workers[index] = self._replace(worker)
                else:
                    worker.task = None
                yield outcome
            elif now >= worker.deadline:
                workers[index] = self._replace(worker)
                yield Outcome(task, None, f"took longer than {self._timeout:g} s to extract")

    def _start(self, worker: _Worker, answered: bool, now: float) -> _Worker:
        """Mark a starting worker ready once it says so; replace one that never does."""
        if answered:
            try:
                worker.ready = worker.conn.recv() == "ready"
            except (EOFError, OSError):
                raise RuntimeError("an extraction process failed to start") from None
        elif now >= worker.deadline:
            raise RuntimeError(f"an extraction process did not start in {STARTUP_SECONDS:g} s")
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        """Kill a worker and start a fresh one."""
        worker.stop(kill=True)
        return _Worker(self._ctx, self._args)
