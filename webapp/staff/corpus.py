"""The staff console's writes into the corpus folder: add, replace and remove publications.

Nothing is ever written outside the corpus: a folder must be one of the corpus's own (listed by
folders(), never following a symlink, and checked again, component by component, before each
write), file names are made here (lowercase words and hyphens), and ids taken from URLs are
checked before use. Writes are atomic: a hidden temporary file in the target folder (the ingest
ignores names starting with '.') is linked into place, which fails rather than overwrite, or
renamed over the old file when replacing. What is replaced or removed is moved to the corpus's
_removed/ folder (which the ingest ignores), so staff can undo it on disk.
May import: stdlib, library.formats, library.models.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from library.formats import FORMATS
from library.models import id_problem

REMOVED = "_removed"
SIDECAR = ".toml"
RESERVED_AT_ROOT = {"readme", "vocabulary"}  # the corpus's own README.md and vocabulary.toml
MAX_SLUG = 80
MAX_FOLDERS = 500
MAX_DEPTH = 6
CHUNK = 1 << 20


class CorpusError(ValueError):
    """A write the console refuses or cannot make; the message is for staff."""


class Occupied(CorpusError):
    """A publication with that id exists already (and "replace" was not chosen)."""


@dataclass(frozen=True, slots=True)
class Publication:
    """A publication's file in the corpus, and where its sidecar is (or would be)."""

    corpus: Path
    doc_id: str
    file: Path
    sidecar: Path

    @property
    def suffix(self) -> str:
        """The file's extension ('.pdf')."""
        return self.file.suffix.lower()


def folders(corpus: Path) -> list[str]:
    """The corpus's folders a publication may go in ('' is the top), symlinks never followed."""
    found = [""]
    for dirpath, dirnames, _ in os.walk(corpus, followlinks=False):
        rel = Path(dirpath).relative_to(corpus).as_posix()
        depth = 0 if rel == "." else rel.count("/") + 1
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith((".", "_"))
            and not os.path.islink(os.path.join(dirpath, d))
            and depth < MAX_DEPTH
        )
        found += [f"{rel}/{d}" if rel != "." else d for d in dirnames]
        if len(found) >= MAX_FOLDERS:
            break
    return sorted(found)[:MAX_FOLDERS]


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens ('Guía: los 1ros días' -> 'guia-los-1ros-dias')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))
    if len(slug) > MAX_SLUG:  # cut at a hyphen, unless the first word alone is that long
        slug = slug[: MAX_SLUG + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    return slug


def find(corpus: Path, doc_id: str) -> Publication | None:
    """The publication with this id, if its file is in the corpus (checked, never outside)."""
    if id_problem(doc_id) or any(p.startswith("_") for p in doc_id.split("/")):
        return None
    folder, _, stem = doc_id.rpartition("/")
    try:
        where = _folder(corpus, folder)
    except CorpusError:
        return None
    for suffix in FORMATS:
        path = where / (stem + suffix)
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(path).st_mode):
                return Publication(corpus, doc_id, path, where / (stem + SIDECAR))
    return None


def plan(corpus: Path, folder: str, stem: str, suffix: str) -> Publication:
    """Where a new publication would go; CorpusError for a folder or name that cannot be used."""
    if folder not in folders(corpus):
        raise CorpusError(f"{folder!r} is not a folder of the corpus")
    if not stem or stem != slugify(stem):
        raise CorpusError("a file name is lowercase letters, digits and hyphens")
    if not folder and stem in RESERVED_AT_ROOT:
        raise CorpusError(f"{stem!r} is reserved at the top of the corpus: choose another name")
    where = _folder(corpus, folder)
    doc_id = f"{folder}/{stem}" if folder else stem
    return Publication(corpus, doc_id, where / (stem + suffix), where / (stem + SIDECAR))


def occupant(target: Publication) -> list[Path]:
    """The files already holding target's id: its publication in any format, its sidecar."""
    where, stem = target.file.parent, target.file.stem
    names = [stem + suffix for suffix in (*FORMATS, SIDECAR)]
    return [where / n for n in names if os.path.lexists(where / n)]


def write_file(target: Publication, source: IO[bytes], replace: bool, max_bytes: int) -> list[str]:
    """Write source as target's file (Occupied if the id is taken and replace is false).

    When replacing, the old file and sidecar are first kept in _removed/ (paired by name);
    returns where they went, relative to the corpus.
    """
    _recheck(target)
    taken = occupant(target)
    if taken and not replace:
        raise Occupied(f"{target.doc_id} already exists")
    files = [p for p in taken if p.suffix != SIDECAR]
    with _temporary(target.file.parent) as tmp:
        _copy(source, tmp, max_bytes)
        kept = [_keep(target.corpus, p) for p in files if p == target.file]  # before the swap
        if replace:
            os.replace(tmp, target.file)
        else:
            try:
                os.link(tmp, target.file)  # fails, never overwrites, if one appeared meanwhile
            except FileExistsError:
                raise Occupied(f"{target.doc_id} already exists") from None
    kept += [_move_away(target.corpus, p) for p in files if p != target.file]  # another format
    if target.sidecar in taken:
        kept.append(_keep(target.corpus, target.sidecar, like=kept[0] if kept else None))
    _sync(target.file.parent)
    return kept


def write_sidecar(target: Publication, text: str | None) -> None:
    """Replace the sidecar atomically with text, or delete it when there is nothing to say."""
    _recheck(target)
    if text is None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target.sidecar)
    else:
        with _temporary(target.sidecar.parent) as tmp:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, target.sidecar)
    _sync(target.sidecar.parent)


def remove(target: Publication) -> list[str]:
    """Move a publication's file and sidecar to _removed/; the new paths, relative to the corpus."""
    _recheck(target)
    moved = [_move_away(target.corpus, target.file)]
    if os.path.lexists(target.sidecar):
        moved.append(_move_away(target.corpus, target.sidecar, like=moved[0]))
    return moved


def _recheck(target: Publication) -> None:
    """Check again, just before writing, that target's folder is a real folder of the corpus."""
    folder = target.doc_id.rpartition("/")[0]
    if _folder(target.corpus, folder) != target.file.parent:
        raise CorpusError(f"{target.doc_id} is not inside the corpus")


def _folder(corpus: Path, folder: str) -> Path:
    """A folder of the corpus as a real directory path: no '..', no symlink anywhere on the way."""
    path = corpus
    for part in folder.split("/") if folder else ():
        if part in ("", ".", "..") or "\\" in part or "\0" in part:
            raise CorpusError(f"{folder!r} is not a folder of the corpus")
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            raise CorpusError(f"{folder!r} is not a folder of the corpus") from None
        if not stat.S_ISDIR(mode):  # a symlink, even to a folder, is not one of ours
            raise CorpusError(f"{folder!r} is not a folder of the corpus")
    return path


@contextlib.contextmanager
def _temporary(folder: Path) -> Iterator[Path]:
    """A hidden temporary file in folder (created with O_EXCL, mode 0600), deleted if left over."""
    fd, name = tempfile.mkstemp(dir=folder, prefix=".staff-", suffix=".tmp")
    os.close(fd)
    os.chmod(name, 0o644)  # a publication is for everyone to read, the server included
    try:
        yield Path(name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


def _copy(source: IO[bytes], path: Path, max_bytes: int) -> None:
    """Copy a stream into path (durably), refusing more than max_bytes."""
    total = 0
    with open(path, "wb") as out:
        while chunk := source.read(CHUNK):
            total += len(chunk)
            if total > max_bytes:
                raise CorpusError(f"the file is over the {max_bytes // 2**20} MB limit")
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())


def _keep(corpus: Path, path: Path, like: str | None = None) -> str:
    """Hard-link a file into _removed/ (it stays in place too); its path there."""
    target = _removed_path(corpus, path, like)
    os.link(path, target)
    return target.relative_to(corpus).as_posix()


def _move_away(corpus: Path, path: Path, like: str | None = None) -> str:
    """Move a file into _removed/ at the same place; `like` gives the stem a sidecar follows."""
    target = _removed_path(corpus, path, like)
    os.rename(path, target)  # same file system: atomic
    return target.relative_to(corpus).as_posix()


def _removed_path(corpus: Path, path: Path, like: str | None = None) -> Path:
    """Where a file goes in _removed/: its own place, or with a time stamp if that is taken."""
    rel = path.relative_to(corpus)
    folder = _removed_folder(corpus, rel.parent.as_posix())
    if like is not None:
        return folder / (Path(like).stem + path.suffix)
    candidate = folder / rel.name
    stamp = time.strftime("%Y%m%d-%H%M%S")
    number = 0
    while any(os.path.lexists(candidate.with_suffix(s)) for s in (*FORMATS, SIDECAR)):
        number += 1
        candidate = folder / f"{rel.stem}~{stamp}{f'-{number}' if number > 1 else ''}{rel.suffix}"
    return candidate


def _removed_folder(corpus: Path, folder: str) -> Path:
    """_removed/<folder>, made if needed, and never through a symlink."""
    path = corpus
    for part in [REMOVED, *(folder.split("/") if folder not in ("", ".") else ())]:
        path = path / part
        with contextlib.suppress(FileExistsError):
            os.mkdir(path)
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            raise CorpusError(
                f"{path.relative_to(corpus)} is not a folder: cannot keep files there"
            )
    return path


def _sync(folder: Path) -> None:
    """Make a folder's new entries durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
