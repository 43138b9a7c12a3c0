"""The index folder's generations, whatever engine writes them: standard library only.

Layout of MECP_INDEX_DIR:
  CURRENT          name of the live generation (replaced atomically)
  HISTORY          the generations made live, oldest first (to tell the one before the live one)
  ingest.lock      held by the one ingest allowed at a time
  gen-*/           an engine's files plus mecp.json (schema version, corpus, the files and their
                   checksums), vocabulary.toml and manifest.json (what each document was built from)
Every ingest writes a new generation (hard-linked from the live one where the engine never
rewrites a file) and only then points CURRENT at it: a crash or a kill mid-way leaves the live
generation untouched, and readers never see a half-written one. A generation that never became
live is partial; cleaning up removes partial ones and those older than the one before the live
one, never those two. May import: stdlib, errors.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from library.errors import IndexBusy

CURRENT = "CURRENT"
HISTORY = "HISTORY"
LOCK = "ingest.lock"
META = "mecp.json"
MANIFEST = "manifest.json"
VOCABULARY = "vocabulary.toml"
PREFIX = "gen-"
HISTORY_KEPT = 20  # names remembered in HISTORY
CHUNK = 1 << 20  # bytes read at a time when checksumming


def current_generation(root: Path) -> Path | None:
    """The live generation's folder, or None if there is no index yet."""
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return root / name if name and "/" not in name else None


def read_meta(path: Path | None) -> dict[str, Any]:
    """A generation's mecp.json (empty when absent or unreadable)."""
    return read_json(path / META) if path else {}


def read_manifest(path: Path | None) -> dict[str, Any]:
    """A generation's manifest (empty when there is none)."""
    return read_json(path / MANIFEST) if path else {}


def live_schema_version(root: Path) -> int | None:
    """The schema version of the live generation, if any."""
    version = read_meta(current_generation(root)).get("schema_version")
    return version if isinstance(version, int) else None


@contextlib.contextmanager
def ingest_lock(root: Path, wait: bool = False) -> Iterator[None]:
    """Hold the one-ingest-at-a-time lock; raise IndexBusy (or wait) when another ingest has it.

    An flock belongs to the open file: the kernel releases it when the process ends, however it
    ends, so a killed ingest never leaves the index locked.
    """
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


def ingest_running(root: Path) -> bool:
    """Whether an ingest holds the lock now (one started anywhere: a shell, the staff console)."""
    try:
        handle = open(root / LOCK, encoding="utf-8")  # noqa: SIM115 (closed below)
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def new_generation(root: Path) -> Path:
    """Create the folder of a new (partial) generation."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"{PREFIX}{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
    path.mkdir()
    return path


def link_files(source: Path, target: Path, skip: tuple[str, ...] = ()) -> None:
    """Hard-link source's files into target (only safe for files nobody rewrites in place).

    The side files are written anew by publish, and temporary files are nobody's to carry on.
    """
    for item in source.iterdir():
        name = item.name
        if (
            name in (META, MANIFEST, VOCABULARY, *skip)
            or name.startswith(".")
            or name.endswith(".tmp")
        ):
            continue
        if item.is_file():
            os.link(item, target / name)


def publish(
    root: Path, path: Path, meta: dict[str, Any], manifest: dict[str, Any], vocabulary: str
) -> None:
    """Write a finished generation's side files and checksums, then make it live atomically."""
    (path / VOCABULARY).write_text(vocabulary, encoding="utf-8")
    write_json(path / MANIFEST, manifest)
    meta = {**meta, "files": _checksums(path, current_generation(root))}
    write_json(path / META, meta)
    fsync_dir(path)
    history = [n for n in read_history(root) if n != path.name][-HISTORY_KEPT + 1 :]
    atomic_write(root / HISTORY, "\n".join([*history, path.name]) + "\n")
    atomic_write(root / CURRENT, path.name + "\n")
    clean(root)


def read_history(root: Path) -> list[str]:
    """Names of the generations made live, oldest first."""
    try:
        lines = (root / HISTORY).read_text(encoding="utf-8").split()
    except OSError:
        return []
    return [line for line in lines if line.startswith(PREFIX) and "/" not in line]


def clean(root: Path) -> list[Path]:
    """Delete partial generations and those older than the one before the live one.

    Call only while holding the ingest lock: a generation being written is partial too.
    Returns the folders deleted.
    """
    live = current_generation(root)
    if live is None:
        return []
    keep = {live.name, *_previous(root, live)}
    removed = []
    for path in root.glob(PREFIX + "*"):
        if path.name not in keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _previous(root: Path, live: Path) -> list[str]:
    """The name of the generation made live before the live one, if any is known.

    Without HISTORY (an index from before it existed) it is the newest finished one.
    """
    history = read_history(root)
    if live.name in history:
        return history[: history.index(live.name)][-1:]
    if history:
        return history[-1:]
    finished = [p for p in root.glob(PREFIX + "*") if p != live and (p / META).is_file()]
    return [max(finished, key=lambda p: (p / META).stat().st_mtime).name] if finished else []


def damage(path: Path, checksums: bool = True) -> list[str]:
    """What is wrong with a generation's files (missing, unreadable, changed), or [].

    Without checksums only presence and sizes are checked (a stat per file).
    """
    recorded = read_meta(path).get("files")
    if not isinstance(recorded, dict):
        return [f"{path.name}/{META} is missing or does not list the generation's files"]
    problems = []
    for name, (size, digest) in sorted(recorded.items()):
        file = path / name
        try:
            actual = file.stat().st_size
            if actual != size:
                problems.append(f"{name} is {actual} bytes, {size} were written")
            elif checksums and file_digest(file) != digest:
                problems.append(f"{name} does not hold what was written (checksum differs)")
        except OSError as exc:
            problems.append(f"{name}: {exc.strerror or exc}")
    return problems


def _checksums(path: Path, live: Path | None) -> dict[str, list[Any]]:
    """name -> [size, digest] of a generation's files.

    A file hard-linked from the live generation (the same inode) keeps the digest recorded
    there, so a publish reads only the files it wrote.
    """
    known = read_meta(live).get("files", {}) if live else {}
    found: dict[str, list[Any]] = {}
    for item in sorted(path.iterdir()):
        if not item.is_file() or item.name == META:
            continue
        stat = item.stat()
        previous = known.get(item.name)
        if (
            previous
            and live
            and previous[0] == stat.st_size
            and _same_inode(live / item.name, stat)
        ):
            found[item.name] = [stat.st_size, previous[1]]
        else:
            found[item.name] = [stat.st_size, file_digest(item)]
    return found


def _same_inode(path: Path, stat: os.stat_result) -> bool:
    """Whether path is the file stat describes (a hard link of it)."""
    try:
        other = path.stat()
    except OSError:
        return False
    return (other.st_dev, other.st_ino) == (stat.st_dev, stat.st_ino)


def file_digest(path: Path) -> str:
    """A file's checksum, read a chunk at a time."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_json(path: Path) -> dict[str, Any]:
    """Read a JSON object; an absent or broken file reads as empty."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write JSON through a temporary file and a rename."""
    atomic_write(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def atomic_write(path: Path, text: str) -> None:
    """Replace path's content atomically and durably."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Make a folder's entries durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
