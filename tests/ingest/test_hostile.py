"""Hostile corpus folders, built for real, ingested by the production `mecp ingest`.

Symlinks out of the corpus, FIFOs, sockets, device links, huge sparse files, unreadable files
and folders, names no web address can hold: each is named in the report with its reason, the
good files of the same run are searchable, nothing from outside the corpus ever is, and the lock
is free afterwards. The command runs as an unprivileged user (tests/nobody.py); the time limits
are the harness's, not the product's.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from library import generations
from library.index import open_index
from library.models import SearchRequest, document_url
from library.search import search
from tests.conftest import VOCABULARY
from tests.factories import pdf_bytes, write
from tests.nobody import hand_over, run_unprivileged, workspace
from webapp import create_app

SECRET = "zebracorn"  # a word that exists only outside the corpus


class Place:
    """A workspace with a corpus, an index and a folder outside the corpus."""

    def __init__(self, root: Path) -> None:
        """Lay out the folders; the corpus gets the real vocabulary."""
        self.root = root
        self.corpus = root / "corpus"
        self.index = root / "index"
        self.outside = root / "outside"
        for folder in (self.corpus, self.outside):
            folder.mkdir()
        shutil.copy(VOCABULARY, self.corpus / "vocabulary.toml")
        write(self.outside, "secret.txt", f"Private notes\n\nThe {SECRET} password list.\n")
        write(self.outside, "private/more.txt", f"More\n\n{SECRET} again.\n")

    def good(self, rel: str, words: str) -> None:
        """A publication that must be indexed."""
        write(self.corpus, rel, f"{words.title()}\n\nA guide about {words} for families.\n")

    def ingest(self, *extra: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
        """Run `mecp ingest` as the unprivileged user: its status and its report by path."""
        hand_over(self.root)
        done = run_unprivileged(
            ["ingest", "--corpus", str(self.corpus), "--index", str(self.index), *extra],
            env={"MECP_INGEST_WORKERS": "2", **(env or {})},
        )
        assert "Traceback" not in done.stderr, done.stderr
        return done.returncode, report_lines(done.stdout)

    def found(self, words: str) -> set[str]:
        """Ids of the documents a search finds."""
        result = search(open_index(self.index), SearchRequest(q=words, per_page=100))
        return {hit.id for hit in result.hits}

    def all_ids(self) -> set[str]:
        """Ids of every indexed document."""
        return self.found("")


def report_lines(out: str) -> dict[str, str]:
    """path -> 'KIND reason' for the FAILED, SKIPPED and warning lines of a report (' | ' between
    several about one path)."""
    lines: dict[str, str] = {}
    for line in out.splitlines():
        kind, _, rest = line.partition(" ")
        if kind in ("FAILED", "SKIPPED", "warning"):
            path, _, reason = rest.strip().partition(": ")
            lines[path] = " | ".join(filter(None, [lines.get(path, ""), f"{kind} {reason}"]))
    return lines


@pytest.fixture
def place() -> Iterator[Place]:
    """A fresh workspace, removed afterwards."""
    root = workspace()
    try:
        yield Place(root)
    finally:
        for item in [root, *root.rglob("*")]:  # let rmtree back into folders made unreadable
            if item.is_dir() and not item.is_symlink():
                item.chmod(0o755)
        shutil.rmtree(root)


def test_links_and_special_files_are_named_and_never_read(place: Place) -> None:
    corpus = place.corpus
    place.good("guides/runaway-shelters.txt", "runaway shelters")
    place.good("guides/amber-criteria.txt", "amber criteria")
    (corpus / "links").mkdir()
    os.symlink(place.outside / "secret.txt", corpus / "links/passwords.txt")
    os.symlink(place.outside / "private", corpus / "links/private")
    os.symlink("../guides/amber-criteria.txt", corpus / "links/amber-again.txt")
    os.symlink(corpus / "links/nowhere.txt", corpus / "links/dangling.txt")
    os.symlink("loop-b.txt", corpus / "links/loop-a.txt")
    os.symlink("loop-a.txt", corpus / "links/loop-b.txt")
    os.symlink("/dev/zero", corpus / "links/zeros.pdf")
    os.symlink("/etc", corpus / "etc")
    os.mkfifo(corpus / "guides/pipe.txt")
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(corpus / "guides/socket.txt"))
        code, report = place.ingest()
    assert code == 0  # skipping by design is not a failure
    expected = {
        "links/passwords.txt": "symlink to a file outside the corpus: not indexed",
        "links/private": "symlink to a folder outside the corpus: not followed",
        "links/amber-again.txt": "symlink to guides/amber-criteria.txt inside the corpus",
        "links/dangling.txt": "broken symlink",
        "links/loop-a.txt": "symlink loop",
        "links/loop-b.txt": "symlink loop",
        "links/zeros.pdf": "symlink to a special file outside the corpus",
        "etc": "symlink to a folder outside the corpus",
        "guides/pipe.txt": "a named pipe (FIFO): skipped without opening it",
        "guides/socket.txt": "a socket: skipped without opening it",
    }
    for path, reason in expected.items():
        assert path in report, path
        assert report[path].startswith("SKIPPED"), (path, report[path])
        assert reason in report[path], (path, report[path])
    assert place.all_ids() == {"guides/runaway-shelters", "guides/amber-criteria"}
    assert place.found(SECRET) == set()
    assert place.found("password list") == set()
    assert not generations.ingest_running(place.index)


def test_names_no_address_can_hold_are_reported_and_odd_ones_are_served(place: Place) -> None:
    corpus = place.corpus
    place.good("guides/plain.txt", "plain name")
    odd = ["guides/with space.txt", "guides/año niños.txt", "guides/100% sure?.txt",
           "guides/a#b&c+d.txt", "guides/quote'd \"x\".txt", "guides/[brackets].txt"]  # fmt: skip
    for number, rel in enumerate(odd):
        place.good(rel, f"oddity number{number}")
    bad = {
        "guides/line\nbreak.txt": "line break",
        "guides/back\\slash.txt": "backslash",
        "guides/bell\x07.txt": "control character",
    }
    for rel in bad:
        place.good(rel, "hostile name")
    raw = os.fsencode(corpus / "guides") + b"/latin1-\xe9t\xe9.txt"
    with open(raw, "wb") as handle:
        handle.write(b"Latin-1 Name\n\nA file whose name is not UTF-8.\n")
    code, report = place.ingest()
    assert code == 1
    for rel, reason in bad.items():
        shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in rel)
        assert shown in report, (shown, report)
        assert report[shown].startswith("FAILED")
        assert reason in report[shown]
    assert "not valid UTF-8" in report["guides/latin1-\\xe9t\\xe9.txt"]
    ids = place.all_ids()
    assert ids == {"guides/plain"} | {rel.removesuffix(".txt") for rel in odd}
    client = create_app({"TESTING": True, "INDEX_DIR": str(place.index)}).test_client()
    for doc_id in ids:  # every document search lists opens at its page
        assert client.get(document_url(doc_id)).status_code == 200, doc_id


def test_unreadable_files_folders_and_sidecars_cost_only_themselves(place: Place) -> None:
    corpus = place.corpus
    place.good("open/kept.txt", "always readable")
    place.good("locked/one.txt", "locked folder one")
    place.good("locked/two.txt", "locked folder two")
    place.good("files/later-locked.txt", "later locked file")
    place.good("files/with-sidecar.txt", "sidecar locked")
    write(corpus, "files/with-sidecar.toml", 'title = "The Sidecar Title"\n')
    code, _ = place.ingest()
    assert code == 0
    before = place.all_ids()
    assert len(before) == 5
    place.good("files/new-locked.txt", "never readable")
    place.good("open/new-good.txt", "freshly added")
    write(corpus, "files/later-locked.txt", "Changed\n\nNew words that cannot be read.\n")
    hand_over(place.root)
    (corpus / "files/new-locked.txt").chmod(0)
    (corpus / "files/later-locked.txt").chmod(0)
    (corpus / "files/with-sidecar.toml").chmod(0)
    (corpus / "locked").chmod(0)
    code, report = place.ingest()
    assert code == 1
    assert "permission denied" in report["files/new-locked.txt"]
    assert "kept" in report["files/later-locked.txt"]
    assert "sidecar with-sidecar.toml: permission denied" in report["files/with-sidecar.txt"]
    assert "permission denied" in report["locked/"]
    assert "2 publication(s)" in report["locked/"]
    assert place.all_ids() == before | {"open/new-good"}
    lib = open_index(place.index)
    assert search(lib, SearchRequest(q="sidecar title")).hits[0].title == "The Sidecar Title"
    assert not generations.ingest_running(place.index)
    code, report = place.ingest()  # nothing changed: the same, and still nothing lost
    assert code == 1
    assert place.all_ids() == before | {"open/new-good"}
    (corpus / "locked").chmod(0o755)
    shutil.rmtree(corpus / "locked")
    code, report = place.ingest()  # now the folder is really gone: its documents go too
    assert not {"locked/one", "locked/two"} & place.all_ids()


def test_a_huge_sparse_file_is_refused_before_a_byte_is_read(place: Place) -> None:
    place.good("guides/small.txt", "small guide")
    with open(place.corpus / "guides/huge.pdf", "wb") as handle:
        handle.truncate(2**30)  # 1 GB of nothing, taking no disk
    code, report = place.ingest()
    assert code == 1
    assert "1,024 MB, over the 100 MB limit" in report["guides/huge.pdf"]
    assert place.all_ids() == {"guides/small"}


def test_a_file_that_grows_while_read_is_cut_off_at_the_limit(place: Place) -> None:
    place.good("guides/small.txt", "small guide")
    growing = place.corpus / "logs/growing.txt"
    write(place.corpus, "logs/growing.txt", b"word " * 1000)
    hand_over(place.root)
    with open(growing, "ab") as writer:
        pid = os.fork()
        if pid == 0:  # keep appending until the test is over
            try:
                while True:
                    writer.write(b"more words " * 10_000)
                    writer.flush()
            finally:
                os._exit(0)
        try:
            code, report = place.ingest(env={"MECP_MAX_FILE_MB": "2"})
        finally:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
    assert "guides/small" in place.all_ids()
    assert "limit" in report["logs/growing.txt"], report
    assert code == 1


def test_a_damaged_pdf_among_good_ones_costs_only_itself(place: Place) -> None:
    write(place.corpus, "reports/good.pdf", pdf_bytes(["Child abduction response teams"]))
    write(place.corpus, "reports/cut.pdf", pdf_bytes(["Cut short"] * 3)[:300])
    code, report = place.ingest()
    assert code == 1
    assert "unreadable PDF" in report["reports/cut.pdf"]
    assert place.found("abduction response") == {"reports/good"}


def test_accepted_metadata_is_safe_and_usable(place: Place) -> None:
    place.good("guides/meta.txt", "metadata guide")
    long_title = "A Very Long Title " * 40
    write(place.corpus, "guides/meta.toml", (
        f'title = "{long_title}"\nsource_url = "javascript:alert(1)"\ndate = "2019-02-30"\n'
        'topics = "abduction"\naudiences = [3]\n'
    ))  # fmt: skip
    code, report = place.ingest()
    assert code == 0
    warned = report["guides/meta.txt"]
    for words in ("source_url", "not a real date", "title cut to 300", "audiences must be"):
        assert words in warned, words
    client = create_app({"TESTING": True, "INDEX_DIR": str(place.index)}).test_client()
    data = client.get("/api/documents/guides/meta").get_json()
    assert data["source_url"] == ""
    assert len(data["title"]) <= 300
    assert data["title"].startswith("A Very Long Title")
    assert data["date"] != "2019-02-30"
    assert data["topics"] == ["abduction"]
    page = client.get("/documents/guides/meta").get_data(as_text=True)
    assert "javascript:" not in page
    assert long_title.strip() not in page
