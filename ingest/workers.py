"""Extraction and indexing in long-lived worker processes with a time and a memory limit per file.

Each worker extracts and analyses its files and adds them to an index segment of its own, so the
slow part of indexing runs on every core. A file that hangs a worker past its time is killed with
it; a worker that dies is replaced. Either way the file is reported and the run goes on, and the
files whose documents were waiting in the dead worker's unfinished segment are done again.
May import: library, extract, files, infer, sidecar.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from ingest.extract import ExtractionError, Limits, extract_bytes
from ingest.files import FileProblem, read_bounded
from ingest.infer import FileFacts, build_document
from ingest.sidecar import Sidecar, SidecarError, parse_sidecar
from library import index as engines
from library.engine import SegmentWriter
from library.errors import IndexWriteError
from library.models import MAX_TITLE_CHARS, Document
from library.vocab import parse_vocabulary

STARTUP_SECONDS = 60.0
# A worker finishes its segment once it holds this many postings (about 140 bytes each in memory).
# Fewer, larger segments make search faster: each new term is looked up in every segment.
SEGMENT_POSTINGS = 5_000_000
# A task lost this many times with its worker's unfinished segment is reported, not tried again.
MAX_ATTEMPTS = 3
FINISH = "finish"  # parent -> worker: write your segment to disk


@dataclass(frozen=True, slots=True)
class Task:
    """One file to turn into a Document."""

    facts: FileFacts
    corpus: str  # the corpus root; facts.path is read beneath it, never outside
    sidecar_text: str | None
    attempt: int = 0  # earlier tries whose document was lost when its worker died


@dataclass(frozen=True, slots=True)
class Segment:
    """An index segment a worker finished, and the ids of the documents in it."""

    segment: Any  # the engine's opaque segment handle, for its Update.add_segment
    doc_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """A Document (its text left out), or the reason there is none; warnings either way.

    A task's Outcome comes again, with task.attempt raised, when its document was lost with its
    worker's unfinished segment; the later one replaces the earlier.
    """

    task: Task
    document: Document | None
    error: str = ""
    warnings: tuple[str, ...] = field(default=())
    held_postings: int = 0  # postings in the worker's unfinished segment, this one's included
    digest: str = ""  # checksum of the bytes extracted
    signature: str = ""  # size and mtime of the bytes extracted (of the open file)
    unreadable: bool = False  # the file could not be read at all (so its old version stays)


@dataclass(frozen=True, slots=True)
class Fatal:
    """A worker could not write the index (a full disk): the whole ingest must stop."""

    message: str


def process(task: Task, vocabulary_source: str, limits: Limits) -> tuple[Outcome, Any]:
    """Extract one file and build its Document and analysed fields (runs inside a worker)."""
    vocabulary = _vocabulary(vocabulary_source)
    sidecar, warnings = Sidecar(), list[str]()
    if task.sidecar_text is not None:
        try:
            sidecar, warnings = parse_sidecar(task.sidecar_text, vocabulary)
        except SidecarError as exc:
            warnings = [f"sidecar ignored: {exc}"]
    try:
        read = read_bounded(Path(task.corpus), task.facts.path, limits.max_bytes)
    except FileProblem as exc:
        return Outcome(task, None, str(exc), tuple(warnings), unreadable=True), None
    except MemoryError:
        return Outcome(task, None, "ran out of memory while reading it", tuple(warnings)), None
    digest, signature = read.digest, f"{read.size}:{read.mtime_ns}"

    def failed(reason: str) -> tuple[Outcome, Any]:
        return Outcome(
            task, None, reason, tuple(warnings), digest=digest, signature=signature
        ), None

    try:
        extracted = extract_bytes(task.facts.format, read.data, limits)
    except ExtractionError as exc:
        return failed(str(exc))
    except MemoryError:
        return failed("ran out of memory while extracting")
    del read
    warnings.extend(extracted.notes)
    doc = build_document(task.facts, extracted, sidecar, vocabulary)
    if sidecar.title and len(sidecar.title) > len(doc.title):
        warnings.append(f"title cut to {MAX_TITLE_CHARS} characters: give it a shorter one")
    if not doc.has_text:
        if not sidecar.title:
            return failed(
                "no text to index (a scanned image without a text layer?); "
                "add a sidecar with a title to list it"
            )
        warnings.append("no text layer: indexed by its sidecar metadata only")
    document = dataclasses.replace(doc, body="", blocks=())
    outcome = Outcome(task, document, "", tuple(warnings), digest=digest, signature=signature)
    return outcome, doc


_VOCAB_CACHE: dict[str, Any] = {}


def _vocabulary(source: str) -> Any:
    """Parse the vocabulary once per process."""
    if source not in _VOCAB_CACHE:
        _VOCAB_CACHE.clear()
        _VOCAB_CACHE[source] = parse_vocabulary(source)
    return _VOCAB_CACHE[source]


def _worker_main(
    conn: Connection,
    vocabulary_source: str,
    limits: Limits,
    memory_mb: int,
    generation: str,
    engine: str = engines.DEFAULT_ENGINE,
) -> None:
    """Serve tasks from the parent until it sends None; write a segment when it sends FINISH."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    budget = memory_mb * 2**20
    conn.send("ready")  # the parent starts a file's clock only once the worker can take it
    builder: SegmentWriter | None = None
    while True:
        message = conn.recv()
        if message is None:
            return
        if budget > 0:
            limit_file_memory(budget)
        try:
            if message == FINISH:
                finished = builder.finish() if builder else None
                ids = tuple(builder.doc_ids) if builder else ()
                conn.send(Segment(finished, ids) if finished is not None else None)
                builder = None
                continue
            outcome, doc = _process_safely(message, vocabulary_source, limits)
            if doc is not None:  # another error here leaves the segment unusable: let it die
                builder = builder or engines.segment_writer(Path(generation), engine)
                builder.add(doc)
                outcome = dataclasses.replace(outcome, held_postings=builder.postings_count)
        except OSError as exc:  # the index's disk: every other file would fail the same way
            conn.send(Fatal(f"cannot write the index: {exc.strerror or exc}"))
            return
        conn.send(outcome)


def _process_safely(task: Task, vocabulary_source: str, limits: Limits) -> tuple[Outcome, Any]:
    """process(), with a bug reported as that file's failure instead of taking the worker down."""
    try:
        return process(task, vocabulary_source, limits)
    except Exception as exc:
        return Outcome(task, None, f"internal error: {type(exc).__name__}: {exc}"), None


def limit_file_memory(budget: int) -> None:
    """Let this process grow by at most budget bytes of address space from now on.

    Set before each file, so the limit stops one file's extraction (a decompression bomb, a
    huge text) and not the postings the worker holds for its unfinished segment.
    """
    try:
        with open("/proc/self/statm", "rb") as statm:
            held = int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):  # no /proc: count from nothing, as a fixed limit
        held = 0
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = held + budget
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _stop_if_disk_full(generation: str) -> None:
    """Raise IndexWriteError when the index's disk is full: starting another worker is no use."""
    try:
        space = os.statvfs(generation)
    except OSError:
        return
    if space.f_bavail == 0 or space.f_favail == 0:
        raise IndexWriteError("cannot write the index: No space left on device")


class _Worker:
    """One child process, the message it is working on, and the tasks its open segment holds."""

    def __init__(self, ctx: Any, args: tuple[Any, ...]) -> None:
        """Start the process."""
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, *args), daemon=True)
        self.proc.start()
        child.close()
        self.task: Task | None = None
        self.finishing = False
        self.held: list[Task] = []
        self.held_postings = 0
        self.ready = False
        self.deadline = time.monotonic() + STARTUP_SECONDS

    @property
    def busy(self) -> bool:
        """Starting, extracting or writing its segment."""
        return not self.ready or self.task is not None or self.finishing

    def stop(self, kill: bool = False) -> None:
        """End the process, politely unless kill."""
        if kill or self.task is not None or self.finishing:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.proc.kill()
        self.proc.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """A fixed number of extraction processes, replaced when one dies or overruns.

    Each writes its documents into segments of the generation being built; run() yields an
    Outcome per file and a Segment per finished segment.
    """

    def __init__(
        self,
        workers: int,
        vocabulary_source: str,
        limits: Limits,
        timeout: float,
        memory_mb: int,
        generation: Path,
        segment_postings: int = SEGMENT_POSTINGS,
        engine: str = engines.DEFAULT_ENGINE,
    ) -> None:
        """Remember the settings; processes start in run()."""
        self._size = max(1, workers)
        self._args = (vocabulary_source, limits, memory_mb, str(generation), engine)
        self._timeout = timeout
        self._segment_postings = segment_postings
        self._ctx = multiprocessing.get_context("spawn")

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome | Segment]:
        """Yield an Outcome per task (in completion order) and every finished Segment."""
        pending = deque(tasks)
        workers = [_Worker(self._ctx, self._args) for _ in range(min(self._size, len(pending)))]
        try:
            while pending or any(w.busy or w.held for w in workers):
                for worker in workers:
                    if worker.busy:
                        continue
                    if worker.held and (
                        not pending or worker.held_postings >= self._segment_postings
                    ):
                        worker.finishing = True
                        worker.deadline = (
                            time.monotonic() + max(self._timeout, 60.0) + 0.2 * len(worker.held)
                        )
                        worker.conn.send(FINISH)
                    elif pending:
                        worker.task = pending.popleft()
                        worker.deadline = time.monotonic() + self._timeout
                        worker.conn.send(worker.task)
                yield from self._collect(workers, pending)
        finally:
            for worker in workers:
                worker.stop()

    def _collect(self, workers: list[_Worker], pending: deque[Task]) -> Iterator[Outcome | Segment]:
        """Wait for results; replace workers that died or ran out of time."""
        busy = [w for w in workers if w.busy]
        next_deadline = min(w.deadline for w in busy)
        ready = wait([w.conn for w in busy], timeout=max(0.0, next_deadline - time.monotonic()))
        now = time.monotonic()
        for index, worker in enumerate(workers):
            if not worker.ready:
                self._start(worker, worker.conn in ready, now)
            elif not worker.busy:
                continue
            elif worker.conn in ready:
                try:
                    message = worker.conn.recv()
                except (EOFError, OSError):
                    _stop_if_disk_full(self._args[3])
                    code = worker.proc.exitcode
                    reason = (
                        f"extraction process died (exit code {code}); "
                        "the file may need more memory than allowed"
                    )
                    workers[index] = self._replace(worker)
                    yield from self._lost(worker, reason, pending)
                else:
                    yield from self._received(worker, message)
            elif now >= worker.deadline:
                workers[index] = self._replace(worker)
                reason = f"took longer than {self._timeout:g} s to extract"
                yield from self._lost(worker, reason, pending)

    def _received(self, worker: _Worker, message: Any) -> Iterator[Outcome | Segment]:
        """Account for a worker's answer: a finished segment, or a task's outcome."""
        if isinstance(message, Fatal):
            raise IndexWriteError(message.message)
        if worker.finishing:
            worker.finishing = False
            worker.held, worker.held_postings = [], 0
            if message is not None:
                yield message
            return
        outcome: Outcome = message
        worker.task = None
        if outcome.document is not None:
            worker.held.append(outcome.task)
            worker.held_postings = outcome.held_postings
        yield outcome

    def _lost(self, worker: _Worker, reason: str, pending: deque[Task]) -> Iterator[Outcome]:
        """Report the task a dead worker was on; queue again those its open segment held."""
        if worker.task is not None:
            yield Outcome(worker.task, None, reason)
        elif worker.finishing:
            reason = "lost when its extraction process died while writing the index"
        for task in worker.held:
            again = dataclasses.replace(task, attempt=task.attempt + 1)
            if again.attempt >= MAX_ATTEMPTS:
                yield Outcome(
                    again,
                    None,
                    f"extracted {again.attempt} times, and each time lost when its worker "
                    "process was stopped by another file before writing the index",
                )
            else:
                pending.appendleft(again)

    def _start(self, worker: _Worker, answered: bool, now: float) -> None:
        """Mark a starting worker ready once it says so; fail if one never does."""
        if answered:
            try:
                worker.ready = worker.conn.recv() == "ready"
            except (EOFError, OSError):
                raise RuntimeError("an extraction process failed to start") from None
        elif now >= worker.deadline:
            raise RuntimeError(f"an extraction process did not start in {STARTUP_SECONDS:g} s")

    def _replace(self, worker: _Worker) -> _Worker:
        """Kill a worker and start a fresh one."""
        worker.stop(kill=True)
        return _Worker(self._ctx, self._args)
