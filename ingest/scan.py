"""Finding the publications of a corpus folder without ever leaving it or opening a special file.

The walk opens each folder beneath the root by name with O_NOFOLLOW and looks at entries with
lstat only: a symlink is never followed (one pointing outside the corpus is reported, never
read; one pointing inside is reported too, since what it points to is indexed under its own
name), FIFOs, sockets and devices are reported without being opened, and a folder that cannot be
listed is reported and remembered, so the documents indexed from it before are kept.
May import: stdlib, library, files, infer.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ingest.files import kind_of, size_problem
from ingest.infer import FileFacts
from library.formats import FORMATS
from library.models import id_problem

SKIPPED_AT_ROOT = {"readme.md", "vocabulary.toml"}
SIDECAR_SUFFIX = ".toml"
MAX_DEPTH = 40  # folders deeper than this are reported, not walked (each level holds a descriptor)
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


@dataclass(frozen=True, slots=True)
class Entry:
    """A publication file found in the corpus, with its optional sidecar."""

    facts: FileFacts
    sidecar: str | None  # its path relative to the corpus root
    signature: str  # size and mtime of file and sidecar: unchanged files are not even read
    problem: str = ""  # a reason it cannot be indexed, found without reading it
    keep: bool = False  # the problem is a permission: the version indexed before stays


@dataclass(slots=True)
class Scan:
    """What the walk found."""

    entries: dict[str, Entry] = field(default_factory=dict)  # id -> publication
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): not indexed
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): fix and rerun
    unseen: list[tuple[str, str]] = field(default_factory=list)  # (folder, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def is_unseen(self, path: str) -> bool:
        """Whether path lies in a folder the walk could not list."""
        return any(folder == "" or path.startswith(folder + "/") for folder, _ in self.unseen)


@dataclass(slots=True)
class _Folder:
    """One open folder's regular files by name, with their lstat results."""

    rel: str
    fd: int
    files: dict[str, os.stat_result] = field(default_factory=dict)

    def readable(self, name: str) -> bool:
        """Whether this process may read the file (asked of the kernel, nothing opened)."""
        return os.access(name, os.R_OK, dir_fd=self.fd, follow_symlinks=False)


def scan_corpus(corpus: Path, max_bytes: int) -> Scan:
    """Every publication under corpus (folders starting with '.' or '_' are skipped)."""
    scan = Scan()
    root = corpus.resolve()
    try:
        fd = os.open(root, _DIR_FLAGS & ~os.O_NOFOLLOW)
    except OSError as exc:
        scan.unseen.append(("", f"cannot open the corpus folder: {exc.strerror}"))
        return scan
    sidecars: set[str] = set()
    try:
        _walk(scan, root, fd, "", 0, sidecars, max_bytes)
    finally:
        os.close(fd)
    used = {e.sidecar for e in scan.entries.values() if e.sidecar}
    scan.warnings.extend(
        (rel, "sidecar without a publication beside it") for rel in sorted(sidecars - used)
    )
    return scan


def _walk(
    scan: Scan, root: Path, fd: int, rel: str, depth: int, sidecars: set[str], max_bytes: int
) -> None:
    """Walk one folder (open as fd) and the folders beneath it."""
    try:
        listing = sorted(os.scandir(fd), key=lambda e: e.name)
    except OSError as exc:
        scan.unseen.append((rel, f"cannot list this folder: {_words(exc)}"))
        return
    folder = _Folder(rel, fd)
    for item in listing:
        name = item.name
        path = f"{rel}/{name}" if rel else name
        if name.startswith("."):
            continue  # hidden: editors' and systems' own files
        if not _utf8(name):
            shown = os.fsencode(name).decode("utf-8", "backslashreplace")
            scan.failed.append(
                (f"{rel}/{shown}" if rel else shown, "its name is not valid UTF-8: rename it")
            )
            continue
        try:
            info = item.stat(follow_symlinks=False)
        except OSError:
            continue  # gone since the listing: nothing to index, nothing to report
        if stat.S_ISLNK(info.st_mode):
            if not name.startswith("_"):
                scan.skipped.append((path, _symlink(root, path)))
        elif stat.S_ISDIR(info.st_mode):
            if not name.startswith("_"):
                _subfolder(scan, root, fd, path, depth, sidecars, max_bytes)
        elif not stat.S_ISREG(info.st_mode):
            scan.skipped.append((path, f"{kind_of(info.st_mode)}: skipped without opening it"))
        else:
            folder.files[name] = info
    _publications(scan, folder, sidecars, max_bytes)


def _subfolder(
    scan: Scan, root: Path, fd: int, rel: str, depth: int, sidecars: set[str], max_bytes: int
) -> None:
    """Open a folder beneath fd without following links and walk it."""
    if depth >= MAX_DEPTH:
        scan.unseen.append((rel, f"more than {MAX_DEPTH} folders deep: not walked"))
        return
    try:
        inner = os.open(rel.rsplit("/", 1)[-1], _DIR_FLAGS, dir_fd=fd)
    except OSError as exc:
        scan.unseen.append((rel, f"cannot open this folder: {_words(exc)}"))
        return
    try:
        _walk(scan, root, inner, rel, depth + 1, sidecars, max_bytes)
    finally:
        os.close(inner)


def _publications(scan: Scan, folder: _Folder, sidecars: set[str], max_bytes: int) -> None:
    """The publications among one folder's regular files, each with its sidecar."""
    for name, info in folder.files.items():
        path = f"{folder.rel}/{name}" if folder.rel else name
        stem, dot, suffix = name.rpartition(".")
        if not folder.rel and name.lower() in SKIPPED_AT_ROOT:
            continue
        if f".{suffix.lower()}" == SIDECAR_SUFFIX and dot:
            sidecars.add(path)
            continue
        kind = FORMATS.get(f".{suffix.lower()}") if dot else None
        if kind is None:
            shown = f".{suffix}" if dot else "no extension"
            scan.skipped.append((path, f"{shown} is not a publication type"))
            continue
        doc_id = f"{folder.rel}/{stem}" if folder.rel else stem
        problem = id_problem(doc_id)
        if problem:
            scan.failed.append((path, f"{problem}, so no web address can show it: rename it"))
        elif doc_id in scan.entries:
            scan.skipped.append((path, f"same id as {scan.entries[doc_id].facts.path}"))
        else:
            scan.entries[doc_id] = _entry(folder, name, stem, doc_id, kind, info, max_bytes)


def _entry(
    folder: _Folder,
    name: str,
    stem: str,
    doc_id: str,
    kind: str,
    info: os.stat_result,
    max_bytes: int,
) -> Entry:
    """A publication with its sidecar (a regular file named <stem>.toml beside it)."""
    path = f"{folder.rel}/{name}" if folder.rel else name
    side_name = stem + SIDECAR_SUFFIX
    side = folder.files.get(side_name)
    sidecar = f"{folder.rel}/{side_name}" if folder.rel else side_name
    side_sig = f"{side.st_size}:{side.st_mtime_ns}" if side else ""
    facts = FileFacts(doc_id=doc_id, path=path, format=kind, size=info.st_size, mtime=info.st_mtime)
    signature = f"{info.st_size}:{info.st_mtime_ns}/{side_sig}"
    unreadable = not folder.readable(name) or (side is not None and not folder.readable(side_name))
    if unreadable:
        what = "it" if not folder.readable(name) else f"its sidecar {side_name}"
        return Entry(facts, None, signature, f"cannot read {what}: permission denied", keep=True)
    return Entry(
        facts, sidecar if side else None, signature, size_problem(info.st_size, max_bytes) or ""
    )


def _symlink(root: Path, rel: str) -> str:
    """Why a symlink is not followed, from where it points (resolved, never opened)."""
    try:
        target = Path(os.path.realpath(root / rel, strict=True))
        mode = os.stat(target).st_mode
    except OSError as exc:
        return (
            "symlink loop: not indexed"
            if exc.errno == errno.ELOOP
            else "broken symlink: not indexed"
        )
    what = "folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "special file"
    if not target.is_relative_to(root):
        verb = "followed" if what == "folder" else "indexed"
        return f"symlink to a {what} outside the corpus: not {verb}"
    inside = target.relative_to(root).as_posix()
    return (
        f"symlink to {inside} inside the corpus: not followed (symlinks never are; "
        "the file itself is indexed under its own name)"
    )


def _utf8(name: str) -> bool:
    """Whether a name read from the file system was valid UTF-8 (no escaped bytes)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _words(exc: OSError) -> str:
    """An OSError's reason in lowercase words."""
    return (exc.strerror or str(exc)).lower()
