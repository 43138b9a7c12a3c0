"""The ingest run end to end: bad input, incremental updates, deletions, locking, interruption."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest import pipeline
from library import generations, index
from library.errors import IndexBusy
from library.models import SearchRequest
from library.search import get_document, search
from mecp.cli import main
from tests.conftest import ROOT, build_sample_corpus, settings_for
from tests.factories import encrypted_pdf, image_only_pdf, pdf_bytes, write


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A fresh copy of the sample corpus that a test may change."""
    root = tmp_path / "corpus"
    root.mkdir()
    return build_sample_corpus(root)


def _ids(index_dir: Path) -> set[str]:
    """Every id in the live index."""
    lib = index.open_index(index_dir)
    return {hit.id for hit in search(lib, SearchRequest(per_page=100)).hits}


def test_every_bad_input_class_is_reported_by_name_and_the_rest_is_indexed(
    corpus: Path, tmp_path: Path
) -> None:
    """One run over all the bad inputs: each is named with its reason, exit status 1."""
    bad = {
        "bad/encrypted.pdf": (encrypted_pdf(["secret"], "hunter2"), "password-protected"),
        "bad/empty.pdf": (b"", "empty file"),
        "bad/really-html.pdf": (b"<!DOCTYPE html><html><body>x</body></html>", "the file is HTML"),
        "bad/corrupt.pdf": (b"%PDF-1.4\n" + os.urandom(4000), "unreadable PDF"),
        "bad/truncated.pdf": (pdf_bytes(["Cut short"] * 4)[:250], "unreadable PDF"),
        "bad/scan.pdf": (image_only_pdf(), "no text to index"),
        "bad/huge.txt": (b"word " * 300_000, "limit"),
        "bad/blank-page.html": (b"   ", "empty file"),
        "bad/image.md": (b"\x89PNG\r\n\x1a\n\x00", "not plain text"),
    }
    for rel, (data, _) in bad.items():
        write(corpus, rel, data)
    write(corpus, "bad/notes.docx", b"PK\x03\x04")
    report = pipeline.run(settings_for(corpus, tmp_path / "index", max_file_mb=1))
    failed = dict(report.failed)
    for rel, (_, reason) in bad.items():
        assert reason in failed[rel], (rel, failed.get(rel))
    assert len(report.added) == 7
    assert report.exit_code == 1
    assert any(path == "bad/notes.docx" for path, _ in report.skipped)
    text = "\n".join(report.lines())
    assert "FAILED  bad/encrypted.pdf: password-protected" in text
    assert len(_ids(tmp_path / "index")) == 7


def test_a_scan_with_a_sidecar_title_is_indexed_as_a_metadata_only_record(
    corpus: Path, tmp_path: Path
) -> None:
    """No text layer, but staff described it: users can still find it by its metadata."""
    write(corpus, "reports/scanned.pdf", image_only_pdf())
    write(
        corpus,
        "reports/scanned.toml",
        'title = "Scanned 1998 Field Manual"\nsummary = "Paper manual."\n',
    )
    report = pipeline.run(settings_for(corpus, tmp_path / "index"))
    assert report.exit_code == 0
    assert (
        "reports/scanned.pdf",
        "no text layer: indexed by its sidecar metadata only",
    ) in report.warnings
    lib = index.open_index(tmp_path / "index")
    assert search(lib, SearchRequest(q="field manual")).hits[0].id == "reports/scanned"


def test_vocabulary_warnings_name_the_file_the_term_and_the_closest_id(
    corpus: Path, tmp_path: Path
) -> None:
    """The document is indexed with its valid terms."""
    write(corpus, "guides/first-hours.toml", 'topics = ["missing-investigation", "tribal"]\n')
    report = pipeline.run(settings_for(corpus, tmp_path / "index"))
    assert (
        "guides/first-hours.html",
        "unknown topic 'missing-investigation' (closest: 'missing-investigations')",
    ) in report.warnings
    doc = get_document(index.open_index(tmp_path / "index"), "guides/first-hours")
    assert doc.topics == ("tribal",)


def test_a_broken_sidecar_is_reported_and_the_document_indexed_by_inference(
    corpus: Path, tmp_path: Path
) -> None:
    """Invalid TOML costs only the sidecar."""
    write(corpus, "guides/first-hours.toml", 'title = "unterminated\n')
    report = pipeline.run(settings_for(corpus, tmp_path / "index"))
    assert any(
        p == "guides/first-hours.html" and "sidecar ignored" in m for p, m in report.warnings
    )
    assert "guides/first-hours" in _ids(tmp_path / "index")


def test_an_unchanged_rerun_extracts_nothing_and_publishes_nothing(
    corpus: Path, tmp_path: Path
) -> None:
    """Same files, same sidecars: no extraction, the live generation stays."""
    settings = settings_for(corpus, tmp_path / "index")
    pipeline.run(settings)
    live = generations.current_generation(tmp_path / "index")
    report = pipeline.run(settings)
    assert (report.unchanged, report.added, report.updated, report.removed) == (7, [], [], [])
    assert generations.current_generation(tmp_path / "index") == live


def test_changed_files_are_reindexed_touched_ones_are_not_and_deleted_ones_leave(
    corpus: Path, tmp_path: Path
) -> None:
    """Content hashes decide; a deleted file leaves the index."""
    settings = settings_for(corpus, tmp_path / "index")
    pipeline.run(settings)
    write(corpus, "fact-sheets/sextortion.toml", 'audiences = ["families"]\n')  # sidecar change
    os.utime(corpus / "events/missing-childrens-day.html", (1, 1))  # touched, same bytes
    (corpus / "newsletters/spring-2011.html").unlink()
    write(corpus, "guides/new-guide.md", "# Coming Home\n\nReunification after recovery.\n")
    report = pipeline.run(settings)
    assert report.updated == ["fact-sheets/sextortion.pdf"]
    assert report.added == ["guides/new-guide.md"]
    assert report.removed == ["newsletters/spring-2011.html"]
    assert report.unchanged == 5
    ids = _ids(tmp_path / "index")
    assert "newsletters/spring-2011" not in ids
    assert "guides/new-guide" in ids
    lib = index.open_index(tmp_path / "index")
    assert get_document(lib, "fact-sheets/sextortion").audiences == ("families",)


def test_rebuild_starts_from_scratch(corpus: Path, tmp_path: Path) -> None:
    """--rebuild re-extracts everything and says why."""
    settings = settings_for(corpus, tmp_path / "index")
    pipeline.run(settings)
    report = pipeline.run(settings, rebuild=True)
    assert len(report.added) == 7
    assert report.rebuilt == "--rebuild was given"


def test_a_second_ingest_is_refused_with_a_clear_message_while_one_runs(
    corpus: Path, tmp_path: Path
) -> None:
    """The lock is held: the second exits at once (status 2) naming the holder."""
    root = tmp_path / "index"
    with generations.ingest_lock(root):
        with pytest.raises(IndexBusy, match="another ingest"):
            pipeline.run(settings_for(corpus, root))
        code = main(["ingest", "--corpus", str(corpus), "--index", str(root)])
    assert code == 2


def test_open_searchers_keep_working_while_an_ingest_publishes(
    corpus: Path, tmp_path: Path
) -> None:
    """A reader of the old generation is not disturbed; a new one sees the change."""
    settings = settings_for(corpus, tmp_path / "index")
    pipeline.run(settings)
    old = index.open_index(tmp_path / "index")
    (corpus / "guides/first-hours.html").unlink()
    pipeline.run(settings)
    assert search(old, SearchRequest(q="waiting period")).total >= 1
    assert not old.is_current()
    assert "guides/first-hours" not in _ids(tmp_path / "index")


def _start_slow_ingest(corpus: Path, root: Path, bulk: str) -> tuple[subprocess.Popen[bytes], Path]:
    """Add 30 long PDFs under bulk and start `mecp ingest` on them in a child process; return
    it, and its progress file, once it is midway (its writer open, a first file extracted)."""
    for n in range(30):
        write(
            corpus,
            f"{bulk}/report-{n}.pdf",
            pdf_bytes([f"Report {n} on abduction and recovery " * 30] * 20),
        )
    env = {**os.environ, "MECP_INGEST_WORKERS": "1"}
    progress = root.parent / f"progress-{bulk}.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mecp", "ingest", "--corpus", str(corpus), "--index", str(root),
         "--progress-file", str(progress)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    state: dict[str, object] = {"state": "running", "done": 0}
    while time.monotonic() < deadline and state == state | {"state": "running", "done": 0}:
        time.sleep(0.02)  # until the writer is open and a first file is extracted
        if progress.exists():
            state = json.loads(progress.read_text())
    if state.get("state") != "running":
        proc.kill()
        proc.communicate()
        pytest.fail(f"the ingest was to be stopped midway, but: {state}")
    return proc, progress


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_an_ingest_stopped_midway_leaves_the_live_index_intact(
    corpus: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    """SIGKILL or Ctrl-C while extracting and writing: the server still reads the last good index.

    On a loaded machine the other 29 files may all be done before the signal lands: the run
    then finished on its own, proves nothing, and is tried again on a fresh index."""
    for attempt in range(3):
        root = tmp_path / f"index-{attempt}"
        shutil.rmtree(corpus / f"bulk-{attempt - 1}", ignore_errors=True)
        pipeline.run(settings_for(corpus, root))
        live = generations.current_generation(root)
        proc, progress = _start_slow_ingest(corpus, root, f"bulk-{attempt}")
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
        if json.loads(progress.read_text()).get("state") != "finished":
            break
    else:
        pytest.fail("the ingest finished before the signal three times")
    assert generations.current_generation(root) == live
    assert len(_ids(root)) == 7
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert b"interrupted; the index was left as it was" in err
        assert b"Traceback" not in err
        assert [p for p in root.glob("gen-*") if p.is_dir()] == [live]
    report = pipeline.run(settings_for(corpus, root))
    assert len(report.added) == 30
    assert report.exit_code == 0
    assert len([p for p in root.glob("gen-*") if p.is_dir()]) <= 2


# 46 MB of text takes 8 s to extract on an idle machine, the sample files a few milliseconds: a 2 s
# limit tells them apart however loaded the machine is (a limit under a second did not).
SLOW_TEXT = b"Many words on this page\n" * 2_000_000
SLOW_LIMITS: dict[str, object] = {"file_timeout": 2.0, "max_file_mb": 100}


def test_a_file_that_takes_too_long_is_skipped_and_the_worker_replaced(
    corpus: Path, tmp_path: Path
) -> None:
    """The time limit kills the worker; later files are still extracted."""
    write(corpus, "slow/long-report.txt", SLOW_TEXT)
    report = pipeline.run(settings_for(corpus, tmp_path / "index", **SLOW_LIMITS))
    assert "took longer than 2 s" in dict(report.failed)["slow/long-report.txt"]
    assert len(report.added) == 7


def test_documents_waiting_in_a_killed_workers_segment_are_done_again_and_reported_once(
    corpus: Path, tmp_path: Path
) -> None:
    """One worker holds all seven documents in its unfinished segment when the last file
    overruns; the seven are extracted again by its replacement, indexed and reported once."""
    write(corpus, "zz/slow-report.txt", SLOW_TEXT)
    seen: list[tuple[int, int, str]] = []
    settings = settings_for(corpus, tmp_path / "index", ingest_workers=1, **SLOW_LIMITS)
    report = pipeline.run(
        settings, progress=lambda done, total, path: seen.append((done, total, path))
    )
    assert list(dict(report.failed)) == ["zz/slow-report.txt"]
    assert len(report.added) == len(set(report.added)) == 7
    assert [done for done, _total, _path in seen] == list(range(1, 9))
    assert _ids(tmp_path / "index") == {path.rsplit(".", 1)[0] for path in report.added}
    manifest = generations.read_manifest(generations.current_generation(tmp_path / "index"))
    assert sum("failed" in record for record in manifest["documents"].values()) == 1


def test_a_file_that_needs_too_much_memory_is_skipped(corpus: Path, tmp_path: Path) -> None:
    """The memory limit stops the worker, not the run."""
    write(corpus, "big/huge.txt", b"abduction " * 30_000_000)
    report = pipeline.run(
        settings_for(corpus, tmp_path / "index", file_memory_mb=400, max_file_mb=1000)
    )
    reason = dict(report.failed)["big/huge.txt"]
    assert "memory" in reason
    assert len(report.added) == 7


_HOLD_THEN_LIMIT = """
from ingest.workers import limit_file_memory
MB = 2**20
held = bytearray(300 * MB)  # what a worker holds for its unfinished segment
limit_file_memory(200 * MB)
within = bytearray(120 * MB)
try:
    beyond = bytearray(200 * MB)
except MemoryError:
    print("stopped")
"""


def test_the_memory_limit_is_per_file_on_top_of_what_the_worker_holds() -> None:
    """A worker holding a large unfinished segment still takes files within the budget, and
    the budget still stops a file that needs more."""
    done = subprocess.run(
        [sys.executable, "-c", _HOLD_THEN_LIMIT], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["stopped"]


def test_the_cli_prints_the_report_and_exits_zero_when_all_is_well(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`mecp ingest --corpus DIR --index DIR` is the documented form."""
    code = main(["ingest", "--corpus", str(corpus), "--index", str(tmp_path / "index")])
    assert code == 0
    assert "7 added, 0 updated, 0 unchanged, 0 removed, 0 failed" in capsys.readouterr().out


def test_an_index_of_another_schema_version_is_refused_with_a_rebuild_hint(
    corpus: Path, tmp_path: Path
) -> None:
    """open_index names the fix; the next ingest rebuilds by itself."""
    root = tmp_path / "index"
    pipeline.run(settings_for(corpus, root))
    meta = generations.current_generation(root) / generations.META  # type: ignore[operator]
    meta.write_text(
        meta.read_text().replace('"schema_version":', '"schema_version":9'), encoding="utf-8"
    )
    with pytest.raises(index.IndexUnavailable, match="mecp ingest --rebuild"):
        index.open_index(root)
    assert "schema changed" in pipeline.run(settings_for(corpus, root)).rebuilt
    index.open_index(root)
