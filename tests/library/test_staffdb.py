"""The staff database on a real SQLite file: schema, accounts, sign-in limits, audit, jobs."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from library.passwords import WeakPassword
from library.staffdb import (
    SCHEMA_VERSION,
    SIGN_IN_LIMIT,
    SIGN_IN_WINDOW,
    AccountError,
    StaffDB,
    StaffDBError,
    address_key,
)

PASSWORD = "a long enough passphrase"


@pytest.fixture
def db(tmp_path: Path) -> StaffDB:
    """A fresh staff database with one account, maria."""
    store = StaffDB(tmp_path / "var" / "staff.sqlite3")
    store.add_account("maria", PASSWORD)
    return store


def test_the_database_is_created_private_with_the_current_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "new" / "staff.sqlite3"
    with StaffDB(path):
        pass
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"accounts", "sign_in_failures", "audit", "jobs"} <= tables


def test_reopening_keeps_the_data_and_a_newer_schema_is_refused(db: StaffDB) -> None:
    db.close()
    with StaffDB(db.path) as again:
        assert [a.name for a in again.accounts()] == ["maria"]
    with sqlite3.connect(db.path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StaffDBError, match="newer than this version"):
        StaffDB(db.path)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "staff.sqlite3"
    path.write_bytes(b"this is not sqlite " * 100)
    with pytest.raises(StaffDBError, match="cannot open the staff database"):
        StaffDB(path)


@pytest.mark.parametrize(
    ("name", "stored"), [("Maria", "maria"), (" jo.ortiz@example.org ", "jo.ortiz@example.org")]
)
def test_account_names_are_stored_lowercase(tmp_path: Path, name: str, stored: str) -> None:
    with StaffDB(tmp_path / "s.db") as store:
        store.add_account(name, PASSWORD)
        assert [a.name for a in store.accounts()] == [stored]


@pytest.mark.parametrize("name", ["", "-dash", "has space", "x" * 65, "../etc", "名前"])
def test_odd_account_names_are_refused(db: StaffDB, name: str) -> None:
    with pytest.raises(AccountError, match="account name"):
        db.add_account(name, PASSWORD)


def test_a_second_account_of_the_same_name_is_refused(db: StaffDB) -> None:
    with pytest.raises(AccountError, match="already exists"):
        db.add_account("MARIA", PASSWORD)


@pytest.mark.parametrize("password", ["short", " " * 20, "x" * 1025, "maria"])
def test_weak_passwords_are_refused(db: StaffDB, password: str) -> None:
    with pytest.raises(WeakPassword):
        db.add_account("jo", password)


def test_the_password_is_stored_as_an_argon2id_hash(db: StaffDB) -> None:
    with sqlite3.connect(db.path) as conn:
        stored = conn.execute("SELECT password_hash FROM accounts").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_sign_in_takes_the_right_password_only(db: StaffDB) -> None:
    assert db.sign_in("Maria", PASSWORD, "192.0.2.1").account is not None
    assert db.sign_in("maria", PASSWORD + "x", "192.0.2.1").account is None
    assert db.sign_in("nobody", PASSWORD, "192.0.2.1").account is None
    account = db.account("maria")
    assert account is not None
    assert account.last_sign_in_at


def test_a_new_password_replaces_the_old_and_ends_sessions(db: StaffDB) -> None:
    before = db.account("maria")
    db.set_password("maria", "another long passphrase")
    after = db.account("maria")
    assert before is not None
    assert after is not None
    assert before.session_stamp != after.session_stamp
    assert db.sign_in("maria", PASSWORD, "192.0.2.1").account is None
    assert db.sign_in("maria", "another long passphrase", "192.0.2.1").account is not None


def test_removed_accounts_cannot_sign_in(db: StaffDB) -> None:
    db.remove_account("maria")
    assert db.sign_in("maria", PASSWORD, "192.0.2.1").account is None
    with pytest.raises(AccountError, match="no account"):
        db.remove_account("maria")


def _fail(db: StaffDB, times: int, name: str, address: str, at: float) -> None:
    """Fail to sign in `times` times at a given moment."""
    for _ in range(times):
        assert db.sign_in(name, "wrong password!", address, now=at).account is None


def test_ten_failures_lock_the_account_until_the_window_passes(db: StaffDB) -> None:
    start = time.time()
    _fail(db, SIGN_IN_LIMIT, "maria", "192.0.2.1", start)
    refused = db.sign_in("maria", PASSWORD, "198.51.100.7", now=start + 60)  # even from elsewhere
    assert refused.account is None
    assert SIGN_IN_WINDOW - 60 <= refused.retry_after <= SIGN_IN_WINDOW - 59
    later = db.sign_in("maria", PASSWORD, "198.51.100.7", now=start + SIGN_IN_WINDOW + 1)
    assert later.account is not None
    assert later.retry_after == 0


def test_nine_failures_do_not_lock_and_a_success_clears_them(db: StaffDB) -> None:
    start = time.time()
    _fail(db, SIGN_IN_LIMIT - 1, "maria", "192.0.2.1", start)
    assert db.sign_in("maria", PASSWORD, "192.0.2.1", now=start).account is not None
    _fail(db, SIGN_IN_LIMIT - 1, "maria", "192.0.2.2", start)
    assert db.sign_in("maria", PASSWORD, "192.0.2.2", now=start).account is not None


def test_failures_outside_the_window_do_not_count(db: StaffDB) -> None:
    now = time.time()
    _fail(db, SIGN_IN_LIMIT, "maria", "192.0.2.1", now - SIGN_IN_WINDOW - 1)
    assert db.sign_in("maria", PASSWORD, "192.0.2.1", now=now).account is not None


def test_ten_failures_from_one_address_lock_that_address_for_every_account(db: StaffDB) -> None:
    db.add_account("jo", PASSWORD)
    now = time.time()
    for number in range(SIGN_IN_LIMIT):
        _fail(db, 1, f"guess{number}", "203.0.113.9", now)
    assert db.sign_in("jo", PASSWORD, "203.0.113.9", now=now).retry_after > 0
    assert db.sign_in("jo", PASSWORD, "203.0.113.10", now=now).account is not None


def test_ipv6_addresses_are_counted_by_their_64_bit_network() -> None:
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::2")
    assert address_key("2001:db8:1:2::1") != address_key("2001:db8:1:3::1")
    assert address_key("::ffff:192.0.2.1") == "192.0.2.1"


def test_failures_counted_by_another_process_lock_this_one(db: StaffDB) -> None:
    code = (
        "import sys\nfrom pathlib import Path\nfrom library.staffdb import StaffDB\n"
        "db = StaffDB(Path(sys.argv[1]))\n"
        "for _ in range(10): db.sign_in('maria', 'wrong password!', '192.0.2.50')\n"
    )
    subprocess.run([sys.executable, "-c", code, str(db.path)], check=True, timeout=60)
    assert db.sign_in("maria", PASSWORD, "192.0.2.51").retry_after > 0


def test_the_audit_log_is_append_only(db: StaffDB) -> None:
    db.record("maria", "edited", "guides/a", "title changed")
    db.record("maria", "removed", "guides/b")
    entries = db.audit_log()
    assert [(e.action, e.doc_id) for e in entries] == [
        ("removed", "guides/b"),
        ("edited", "guides/a"),
    ]
    assert [e.doc_id for e in db.audit_log(doc_id="guides/a")] == ["guides/a"]
    assert [e.doc_id for e in db.audit_log(before=entries[0].id)] == ["guides/a"]
    with sqlite3.connect(db.path) as conn:
        for statement in ("UPDATE audit SET actor = 'x'", "DELETE FROM audit"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(statement)
    assert len(db.audit_log()) == 2


def test_a_job_is_not_started_while_another_runs(db: StaffDB) -> None:
    first, created = db.start_job("maria", False, running=lambda job: True)
    assert created
    assert (first.id, first.started_by) == (1, "maria")
    again, created = db.start_job("maria", False, running=lambda job: True)
    assert (again.id, created) == (1, False)
    third, created = db.start_job("maria", True, running=lambda job: False)
    assert created
    assert (third.id, third.rebuild) == (2, True)
    db.set_job_pid(2, 4242)
    db.finish_job(2, 0)
    job = db.job(2)
    assert job is not None
    assert (job.pid, job.exit_code) == (4242, 0)
    assert job.finished_at
    assert [j.id for j in db.jobs()] == [2, 1]
