"""The console's corpus writes on a real folder: never outside it, never through a symlink."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from webapp.staff import corpus


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A small corpus with a folder, a hidden one, an underscore one and symlinks out."""
    base = tmp_path / "corpus"
    (base / "guides" / "deep").mkdir(parents=True)
    (base / ".git").mkdir()
    (base / "_drafts").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (base / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (base / "guides" / "a.pdf").write_bytes(b"%PDF-1.4 a")
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    (base / "guides" / "link.pdf").symlink_to(tmp_path / "secret.pdf")
    return base


def test_folders_are_the_corpus_s_own_and_never_symlinks(root: Path) -> None:
    assert corpus.folders(root) == ["", "guides", "guides/deep"]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("The First 48 Hours: A Guide", "the-first-48-hours-a-guide"),
        ("Guía rápida para niños", "guia-rapida-para-ninos"),
        ("../../etc/passwd", "etc-passwd"),
        ("   ", ""),
        ("a" * 100, "a" * 80),
        ("word " * 30, ("word-" * 16)[:-1]),
    ],
)
def test_slugs_are_lowercase_words_and_hyphens(text: str, slug: str) -> None:
    assert corpus.slugify(text) == slug


def test_find_never_returns_a_symlink_or_something_outside(root: Path) -> None:
    assert corpus.find(root, "guides/a") is not None
    assert corpus.find(root, "guides/link") is None
    assert corpus.find(root, "linked/x") is None
    assert corpus.find(root, "../secret") is None
    assert corpus.find(root, "_drafts/x") is None


@pytest.mark.parametrize("folder", ["linked", "../", "guides/../..", "_drafts", "/tmp"])
def test_a_plan_outside_the_corpus_s_folders_is_refused(root: Path, folder: str) -> None:
    with pytest.raises(corpus.CorpusError):
        corpus.plan(root, folder, "x", ".pdf")


def test_a_folder_swapped_for_a_symlink_after_planning_is_not_written_through(
    root: Path, tmp_path: Path
) -> None:
    target = corpus.plan(root, "guides/deep", "new", ".pdf")
    shutil.rmtree(root / "guides" / "deep")
    (root / "guides" / "deep").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(corpus.CorpusError):
        corpus.write_file(target, io.BytesIO(b"%PDF-1.4 new"), replace=False, max_bytes=100)
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_writing_refuses_to_overwrite_unless_replacing(root: Path) -> None:
    target = corpus.plan(root, "guides", "a", ".pdf")
    with pytest.raises(corpus.Occupied):
        corpus.write_file(target, io.BytesIO(b"%PDF-1.4 b"), replace=False, max_bytes=100)
    assert (root / "guides" / "a.pdf").read_bytes() == b"%PDF-1.4 a"
    kept = corpus.write_file(target, io.BytesIO(b"%PDF-1.4 b"), replace=True, max_bytes=100)
    assert kept == ["_removed/guides/a.pdf"]
    assert (root / "guides" / "a.pdf").read_bytes() == b"%PDF-1.4 b"


def test_a_stream_longer_than_the_limit_is_not_written(root: Path) -> None:
    target = corpus.plan(root, "guides", "big", ".pdf")
    with pytest.raises(corpus.CorpusError, match="limit"):
        corpus.write_file(target, io.BytesIO(b"x" * 101), replace=False, max_bytes=100)
    assert sorted(p.name for p in (root / "guides").iterdir()) == ["a.pdf", "deep", "link.pdf"]


def test_a_removed_folder_that_is_a_symlink_is_refused(root: Path, tmp_path: Path) -> None:
    (root / "_removed").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    publication = corpus.find(root, "guides/a")
    assert publication is not None
    with pytest.raises(corpus.CorpusError):
        corpus.remove(publication)
    assert (root / "guides" / "a.pdf").exists()
    assert list((tmp_path / "elsewhere").iterdir()) == []
