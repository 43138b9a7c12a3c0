"""Reading files beneath the corpus root, and nothing else: no symlink, no special file, no surprise.

Every read of a corpus file goes through open_beneath: it walks the relative path one folder at a
time from the root with O_NOFOLLOW, so neither a symlink nor a folder swapped for one between the
scan and the read can lead outside the corpus; it opens only regular files (a FIFO is never
opened, so it can never block); sizes are checked on the open file before a byte is read, and
reads stop past the limit, so a file that grows while read costs no more than the limit.
May import: stdlib.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


class FileProblem(Exception):
    """A file that cannot be read safely; the message is the reason shown to staff."""


@dataclass(frozen=True, slots=True)
class FileBytes:
    """A file's content and what its open descriptor said about it."""

    data: bytes
    size: int
    mtime_ns: int
    digest: str


def reason(exc: OSError) -> str:
    """Why a file or folder could not be opened, in words for staff."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot read it: permission denied"
    if exc.errno == errno.ENOENT:
        return "it disappeared during the ingest"
    if exc.errno == errno.ELOOP:
        return "it became a symlink during the ingest: not read"
    return f"cannot read it: {exc.strerror or exc}"


@contextlib.contextmanager
def open_beneath(root: Path, rel: str) -> Iterator[int]:
    """A descriptor of the regular file at rel (a '/'-separated path) under root; FileProblem else."""
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise FileProblem(f"not a path inside the corpus: {rel!r}")
    try:
        folder = os.open(root, _DIR_FLAGS & ~os.O_NOFOLLOW)  # the root itself may be a link
    except OSError as exc:
        raise FileProblem(f"cannot open the corpus folder: {exc.strerror}") from None
    try:
        for part in parts[:-1]:
            try:
                inner = os.open(part, _DIR_FLAGS, dir_fd=folder)
            except OSError as exc:
                if exc.errno not in (errno.ENOTDIR, errno.ELOOP):
                    raise
                raise FileProblem(
                    f"its folder {part} became a symlink or a file: not followed"
                ) from None
            os.close(folder)
            folder = inner
        before = os.stat(parts[-1], dir_fd=folder, follow_symlinks=False)
        if not stat.S_ISREG(before.st_mode):
            raise FileProblem(f"{kind_of(before.st_mode)}: not read")
        fd = os.open(parts[-1], _FILE_FLAGS, dir_fd=folder)
    except OSError as exc:
        raise FileProblem(reason(exc)) from None
    finally:
        os.close(folder)
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or opened.st_ino != before.st_ino:
            raise FileProblem("it was replaced during the ingest: not read")
        yield fd
    finally:
        os.close(fd)


def read_bounded(root: Path, rel: str, max_bytes: int) -> FileBytes:
    """A file's bytes, refused before reading when over max_bytes, and cut off if it grows past."""
    with open_beneath(root, rel) as fd:
        info = os.fstat(fd)
        _check_size(info.st_size, max_bytes)
        with os.fdopen(os.dup(fd), "rb", buffering=0) as handle:
            data = read_within(handle, info.st_size, max_bytes)
    return FileBytes(data, len(data), info.st_mtime_ns, digest_bytes(data))


def read_within(handle: BinaryIO, size: int, max_bytes: int) -> bytes:
    """Read an open file said to hold size bytes, never more than max_bytes of it.

    The size the file reported is read in one piece (one buffer of exactly that size); anything
    beyond it (a file still being written) is read a chunk at a time, up to the limit.
    """
    data = _read(handle, size) if size else b""
    more = [data]
    total = len(data)
    while chunk := _read(handle, min(CHUNK, max_bytes + 1 - total)):
        total += len(chunk)
        if total > max_bytes:
            raise FileProblem(f"it grew past the {_mb(max_bytes)} limit while being read")
        more.append(chunk)
    return data if len(more) == 1 else b"".join(more)


def digest_bounded(root: Path, rel: str, max_bytes: int) -> str:
    """A file's checksum, read a chunk at a time (never more than max_bytes)."""
    with open_beneath(root, rel) as fd, os.fdopen(os.dup(fd), "rb", buffering=0) as handle:
        _check_size(os.fstat(fd).st_size, max_bytes)
        digest = hashlib.blake2b(digest_size=16)
        total = 0
        while chunk := _read(handle, CHUNK):
            total += len(chunk)
            if total > max_bytes:
                raise FileProblem(f"it grew past the {_mb(max_bytes)} limit while being read")
            digest.update(chunk)
    return digest.hexdigest()


def digest_bytes(data: bytes) -> str:
    """The checksum read_bounded gives for the same bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def kind_of(mode: int) -> str:
    """What a non-regular file is, for the report."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symlink"
    return "not a regular file"


def size_problem(size: int, max_bytes: int) -> str | None:
    """The reason a file of this size is not read, or None."""
    if size > max_bytes:
        return f"file is {size / 2**20:,.0f} MB, over the {_mb(max_bytes)} limit (MECP_MAX_FILE_MB)"
    return None


def _check_size(size: int, max_bytes: int) -> None:
    """Refuse a file larger than max_bytes before reading it."""
    problem = size_problem(size, max_bytes)
    if problem:
        raise FileProblem(problem)


def _read(handle: BinaryIO, size: int) -> bytes:
    """Up to size bytes (fewer only at the end of the file), with errors as FileProblem."""
    try:
        return handle.read(size) or b""
    except OSError as exc:
        raise FileProblem(f"cannot read it: {exc.strerror or exc}") from None


def _mb(size: int) -> str:
    """A limit in MB for messages."""
    return f"{size / 2**20:g} MB"
