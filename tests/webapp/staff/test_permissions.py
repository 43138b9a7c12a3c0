"""The console run by a user the file system refuses: a clear page, nothing lost, nothing half-made.

Root ignores permissions, so these run the web app as `nobody` (tests/nobody.py).
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

from library.staffdb import StaffDB
from tests.conftest import build_sample_corpus
from tests.nobody import hand_over, run_python_unprivileged, workspace
from tests.webapp.staff.conftest import PASSWORD

# Run as the unprivileged user: sign in, then upload into a folder it may not write, and try to
# remove a publication from a folder it may not change. Prints what the pages answered.
SCRIPT = textwrap.dedent(
    """
    import json, sys
    from tests.webapp.staff.conftest import csrf_token, make_staff_app, post_form, sign_in
    from tests.webapp.staff.test_publications import upload
    from pathlib import Path

    work = Path(sys.argv[1])
    app = make_staff_app(work / "staff.sqlite3", work / "corpus", work / "index")
    client = app.test_client()
    assert sign_in(client, "maria", sys.argv[2]).status_code == 302
    added = upload(client, name="new-guide", title="A New Guide")
    page = "/staff/documents/fact-sheets/sextortion"
    removed = post_form(client, page, {"action": "remove"})
    print(json.dumps({
        "upload": [added.status_code, added.text],
        "remove": [removed.status_code, removed.text],
    }))
    """
)


def _files(root: Path) -> list[str]:
    """Every file beneath root, relative (the trash's empty folders aside)."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_a_corpus_folder_the_server_may_not_write_is_a_clear_page_and_nothing_changes() -> None:
    work = workspace()
    try:
        (work / "corpus").mkdir()
        corpus = build_sample_corpus(work / "corpus")
        with StaffDB(work / "staff.sqlite3") as db:
            db.add_account("maria", PASSWORD)
        (work / "index").mkdir()
        hand_over(work)
        (corpus / "guides").chmod(0o555)  # its owner, the server's user, may read but not write
        (corpus / "fact-sheets").chmod(0o555)
        before = _files(corpus)

        done = run_python_unprivileged(
            SCRIPT.replace("sys.argv[1]", repr(str(work))).replace("sys.argv[2]", repr(PASSWORD))
        )

        assert done.returncode == 0, done.stderr
        answers = json.loads(done.stdout.strip().splitlines()[-1])
        for action in ("upload", "remove"):
            status, text = answers[action]
            assert status == 503, (action, status)
            assert "could not change the corpus" in text
            assert "Permission denied" in text or "permission" in text.lower()
        assert _files(corpus) == before  # no file lost, moved, or left half-written
    finally:
        for folder in ("guides", "fact-sheets"):
            (work / "corpus" / folder).chmod(0o755)
        shutil.rmtree(work, ignore_errors=True)
