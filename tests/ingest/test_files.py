"""Reading beneath the corpus root: only regular files, never through a link, never unbounded."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ingest.files import FileProblem, digest_bounded, read_bounded, read_within
from tests.factories import write


def test_a_regular_file_is_read_with_its_checksum(tmp_path: Path) -> None:
    write(tmp_path, "a/b.txt", b"hello")
    read = read_bounded(tmp_path, "a/b.txt", 100)
    assert (read.data, read.size) == (b"hello", 5)
    assert read.digest == digest_bounded(tmp_path, "a/b.txt", 100)


@pytest.mark.parametrize("rel", ["../x.txt", "a/../../x.txt", "/etc/passwd", "a//b.txt", ""])
def test_a_path_that_could_leave_the_root_is_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(FileProblem, match="not a path inside the corpus"):
        read_bounded(tmp_path / "corpus", rel, 100)


def test_a_folder_on_the_path_that_is_a_symlink_is_not_followed(tmp_path: Path) -> None:
    write(tmp_path, "outside/secret.txt", b"secret")
    (tmp_path / "corpus").mkdir()
    os.symlink(tmp_path / "outside", tmp_path / "corpus/folder")
    with pytest.raises(FileProblem, match="symlink"):
        read_bounded(tmp_path / "corpus", "folder/secret.txt", 100)


def test_a_symlinked_file_is_not_followed(tmp_path: Path) -> None:
    write(tmp_path, "outside.txt", b"secret")
    (tmp_path / "corpus").mkdir()
    os.symlink(tmp_path / "outside.txt", tmp_path / "corpus/link.txt")
    with pytest.raises(FileProblem, match="a symlink: not read"):
        read_bounded(tmp_path / "corpus", "link.txt", 100)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would wait for a writer
    with pytest.raises(FileProblem, match="named pipe"):
        read_bounded(tmp_path, "pipe.txt", 100)


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    with open(tmp_path / "big.pdf", "wb") as handle:
        handle.truncate(10 * 2**20)
    (tmp_path / "big.pdf").chmod(stat.S_IWUSR)  # even unreadable bytes are never reached
    with pytest.raises(FileProblem, match="over the 1 MB limit"):
        read_bounded(tmp_path, "big.pdf", 2**20)


def test_a_file_longer_than_it_said_is_cut_off_at_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "growing.txt", b"x" * (5 * 2**20))
    with (
        open(path, "rb", buffering=0) as handle,  # it said 1000 bytes when it was opened
        pytest.raises(FileProblem, match="grew past the 2 MB limit"),
    ):
        read_within(handle, 1000, 2 * 2**20)
    with open(path, "rb", buffering=0) as handle:  # growth within the limit is read whole
        assert len(read_within(handle, 1000, 8 * 2**20)) == 5 * 2**20
