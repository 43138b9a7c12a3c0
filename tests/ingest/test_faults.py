"""Faults around an ingest: files changing mid-run, a full disk, a kill, a damaged index, no memory.

Each builds the real thing (a tmpfs that fills up, a process killed mid-write, a segment file cut
short) and checks that the live generation keeps serving and that the command says what
happened, with exit status 2 for a fatal error and never a traceback.
"""

from __future__ import annotations

import base64
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.procs import run_measured
from ingest import pipeline
from library import generations
from library.errors import IndexUnavailable
from library.index import check_index, open_index
from library.models import SearchRequest
from library.search import search
from tests.conftest import VOCABULARY, settings_for
from tests.factories import pdf_bytes, write
from tests.servers import ROOT
from webapp import create_app


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Five small publications."""
    root = tmp_path / "corpus"
    root.mkdir()
    shutil.copy(VOCABULARY, root / "vocabulary.toml")
    for number, words in enumerate(["first", "deleted", "swapped", "truncated", "last"], 1):
        write(root, f"a/{number}-{words}.txt", f"Guide {words}\n\nAbout {words} children.\n")
    return root


def _mecp(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The production command in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "mecp", *args], cwd=ROOT, capture_output=True, text=True,
        timeout=300, check=False, env={**os.environ, **(env or {})},
    )  # fmt: skip


def test_files_changed_between_scan_and_extraction_cost_only_themselves(
    corpus: Path, tmp_path: Path
) -> None:
    settings = settings_for(corpus, tmp_path / "index", ingest_workers=1)
    pipeline.run(settings)
    for path in corpus.glob("a/*.txt"):  # every file changes, so every one is extracted again
        path.write_text(path.read_text(encoding="utf-8") + "\nA second edition.\n", "utf-8")
    write(tmp_path, "outside.txt", "Outside\n\nThe zebracorn secret.\n")

    def meddle(done: int, total: int, name: str) -> None:
        if done == 1:  # after the first file, before the others are read (one worker, in order)
            (corpus / "a/2-deleted.txt").unlink()
            (corpus / "a/3-swapped.txt").unlink()
            (corpus / "a/3-swapped.txt").symlink_to(tmp_path / "outside.txt")
            (corpus / "a/4-truncated.txt").write_bytes(b"")

    report = pipeline.run(settings, progress=meddle)
    failed = dict(report.failed)
    assert "disappeared during the ingest" in failed["a/2-deleted.txt"]
    assert "kept" in failed["a/2-deleted.txt"]
    assert "symlink" in failed["a/3-swapped.txt"]
    assert "empty file" in failed["a/4-truncated.txt"]
    assert sorted(report.updated) == ["a/1-first.txt", "a/5-last.txt"]
    lib = open_index(tmp_path / "index")
    assert search(lib, SearchRequest(q="zebracorn")).total == 0
    ids = {hit.id for hit in search(lib, SearchRequest(per_page=100)).hits}
    assert ids == {"a/1-first", "a/2-deleted", "a/3-swapped", "a/5-last"}
    assert not generations.ingest_running(tmp_path / "index")


def test_huge_and_endless_inputs_do_not_raise_the_peak_memory(corpus: Path, tmp_path: Path) -> None:
    def peak(index: Path) -> float:
        run = run_measured(
            ["-m", "mecp", "ingest", "--corpus", str(corpus), "--index", str(index)], timeout=300
        )
        assert run.returncode in (0, 1), run.stderr
        print(f"peak memory of the ingest process tree: {run.peak_rss_mb:.1f} MB")
        return run.peak_rss_mb

    baseline = peak(tmp_path / "index-plain")
    with open(corpus / "a/sparse.pdf", "wb") as handle:
        handle.truncate(2**30)
    with open(corpus / "a/sparse.txt", "wb") as handle:
        handle.truncate(2**30)
    os.symlink("/dev/zero", corpus / "a/zeros.pdf")
    os.symlink("/dev/urandom", corpus / "a/random.txt")
    hostile = peak(tmp_path / "index-hostile")
    assert hostile - baseline < 64  # megabytes; reading any of them would cost at least 1,024


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs mounted for the index (root only)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_stops_the_run_at_once_and_keeps_the_live_index(
    corpus: Path, small_disk: Path
) -> None:
    index = small_disk / "index"
    first = _mecp("ingest", "--corpus", str(corpus), "--index", str(index))
    assert first.returncode == 0, first.stderr
    live = generations.current_generation(index)
    for number in range(8):  # far more text than the disk holds, in long words that store big
        words = " ".join(base64.b32encode(os.urandom(40)).decode() for _ in range(10_000))
        write(corpus, f"bulk/{number}.txt", f"Bulk {number}\n\n{words}\n")
    started = time.monotonic()
    second = _mecp("ingest", "--corpus", str(corpus), "--index", str(index))
    print(f"the full-disk ingest stopped after {time.monotonic() - started:.1f} s")
    assert time.monotonic() - started < 60
    assert second.returncode == 2
    assert "Traceback" not in second.stderr
    assert "No space left on device" in second.stderr
    assert "the live index was not changed" in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1
    assert generations.current_generation(index) == live
    assert sorted(p.name for p in index.glob("gen-*")) == [live.name]  # type: ignore[union-attr]
    lib = open_index(index)
    assert search(lib, SearchRequest(q="first")).total == 1


def test_a_killed_ingest_costs_neither_the_live_generation_nor_the_one_before(
    corpus: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    settings = settings_for(corpus, index)
    pipeline.run(settings)
    previous = generations.current_generation(index)
    write(corpus, "b/new.txt", "New\n\nA new guide.\n")
    pipeline.run(settings)
    live = generations.current_generation(index)
    for number in range(30):
        write(corpus, f"bulk/{number}.pdf", pdf_bytes([f"Report {number} on recovery " * 30] * 20))
    proc = subprocess.Popen(
        [sys.executable, "-m", "mecp", "ingest", "--corpus", str(corpus), "--index", str(index)],
        cwd=ROOT, env={**os.environ, "MECP_INGEST_WORKERS": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(index.glob("gen-*"))) < 3:
        time.sleep(0.02)  # the partial generation exists
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert len(list(index.glob("gen-*"))) == 3
    (corpus / "b/new.txt").unlink()
    shutil.rmtree(corpus / "bulk")
    pipeline.run(settings)  # the next ingest cleans up after the killed one
    names = {p.name for p in index.glob("gen-*")}
    newest = generations.current_generation(index)
    assert names == {live.name, newest.name}  # type: ignore[union-attr]
    assert previous is not None
    assert not previous.exists()


def _damage(index: Path, how: str) -> Path:
    """Cut short (or delete) the largest whoosh segment file of the live generation."""
    live = generations.current_generation(index)
    assert live is not None
    segment = max((p for p in live.iterdir() if p.suffix == ".seg"), key=lambda p: p.stat().st_size)
    if how == "missing":
        segment.unlink()
    else:
        with open(segment, "r+b") as handle:
            handle.truncate(segment.stat().st_size // 2)
    return segment


@pytest.mark.parametrize("how", ["truncated", "missing"])
def test_a_damaged_live_index_answers_503_is_reported_by_check_and_rebuilt_by_ingest(
    corpus: Path, tmp_path: Path, how: str
) -> None:
    index = tmp_path / "index"
    pipeline.run(settings_for(corpus, index))
    assert _mecp("check", "--index", str(index)).returncode == 0
    segment = _damage(index, how)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index)}).test_client()
    for url in ("/search?q=children", "/api/search?q=children", "/documents/a/1-first", "/"):
        assert client.get(url).status_code == 503, url
    checked = _mecp("check", "--index", str(index))
    assert checked.returncode == 1
    assert segment.name in checked.stderr
    assert "mecp ingest" in checked.stderr
    summary, problems = check_index(index)
    assert problems
    report = pipeline.run(settings_for(corpus, index))
    assert "the live index is damaged" in report.rebuilt
    assert len(report.added) == 5
    assert _mecp("check", "--index", str(index)).returncode == 0
    assert client.get("/search?q=children").status_code == 200


def test_open_index_refuses_a_generation_with_a_file_of_the_wrong_size(
    corpus: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    pipeline.run(settings_for(corpus, index))
    _damage(index, "truncated")
    with pytest.raises(IndexUnavailable, match="damaged"):
        open_index(index)


def test_a_fatal_error_in_the_parent_exits_2_with_one_line(corpus: Path, tmp_path: Path) -> None:
    for number in range(2000):  # the run needs far more than the memory left to it
        write(corpus, f"many/{number}.txt", f"Note {number}\n\nAbout abduction.\n")
    code = (
        "import resource, sys\n"
        "from mecp.cli import main\n"
        "margin = int(sys.argv.pop(1))\n"
        "size = int(open('/proc/self/statm').read().split()[0]) * resource.getpagesize()\n"
        "resource.setrlimit(resource.RLIMIT_AS, (size + margin, resource.RLIM_INFINITY))\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    # CPython 3.11 can loop for ever when it cannot allocate the small int it pushes while it
    # unwinds an exception (exception_unwind's lasti), so a run that hits the limit at exactly
    # that point never ends. That is the interpreter's, not the ingest's: try another margin,
    # which moves where the memory runs out. An ingest that hangs on its own hangs every time.
    for margin in (2**20, 3 * 2**20, 5 * 2**20):
        try:
            done = subprocess.run(
                [sys.executable, "-c", code, str(margin), "ingest", "--corpus", str(corpus),
                 "--index", str(tmp_path / "index")],
                cwd=ROOT, capture_output=True, text=True, timeout=40, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            continue
        break
    else:
        pytest.fail("the ingest hung at every memory margin")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("mecp")
    assert generations.current_generation(tmp_path / "index") is None


@pytest.mark.parametrize(("broken", "status"), [(False, 0), (True, 1), (None, 2)])
def test_make_index_passes_on_exit_0_or_1_and_fails_on_a_fatal_error(
    corpus: Path, tmp_path: Path, broken: bool | None, status: int
) -> None:
    if broken:
        write(corpus, "a/broken.pdf", b"%PDF-1.4 not really")
    target = str(corpus) if broken is not None else str(tmp_path / "no-such-corpus")
    venv = tmp_path / "venv"  # stands in for .venv, so make finds everything installed
    venv.mkdir()
    (venv / ".installed").touch()
    done = subprocess.run(
        ["make", "-s", "index", f"CORPUS={target}", f"INDEX={tmp_path / 'index'}",
         f"VENV={venv}", f"BIN={Path(sys.executable).parent}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert (done.returncode == 0) == (status < 2), done.stderr
