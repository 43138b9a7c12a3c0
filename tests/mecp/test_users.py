"""`mecp users` as staff meet it: a real command, a real SQLite file, a real terminal for prompts."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from library.staffdb import StaffDB
from tests.servers import ROOT

PASSWORD = "correct horse battery staple"


def _users(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m mecp users ARGS --db db`, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "mecp", "users", *args, "--db", str(db)],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_add_list_passwd_and_remove_an_account(tmp_path: Path) -> None:
    db = tmp_path / "var" / "staff.sqlite3"
    added = _users(db, "add", "Maria", "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert "maria" in added.stdout
    listed = json.loads(_users(db, "list", "--json").stdout)
    assert [row["name"] for row in listed] == ["maria"]
    assert listed[0]["last_sign_in_at"] is None
    with StaffDB(db) as store:
        assert store.sign_in("maria", PASSWORD, "192.0.2.1").account is not None
    changed = _users(db, "passwd", "maria", "--password-stdin", stdin="a new long passphrase\n")
    assert changed.returncode == 0, changed.stderr
    with StaffDB(db) as store:
        assert store.sign_in("maria", PASSWORD, "192.0.2.1").account is None
        assert store.sign_in("maria", "a new long passphrase", "192.0.2.1").account is not None
    assert _users(db, "remove", "maria").returncode == 0
    assert "No staff accounts" in _users(db, "list").stdout
    with StaffDB(db) as store:
        actions = [(e.actor, e.action, e.detail) for e in reversed(store.audit_log())]
    assert actions == [
        ("command line", "account added", "maria"),
        ("command line", "password changed", "maria"),
        ("command line", "account removed", "maria"),
    ]


def test_the_command_stores_argon2id_hashes_with_rfc_9106_parameters(tmp_path: Path) -> None:
    db = tmp_path / "staff.sqlite3"
    assert _users(db, "add", "jo", "--password-stdin", stdin=PASSWORD).returncode == 0
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT password_hash FROM accounts").fetchone()[0]
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_the_default_database_is_var_staff_sqlite3(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mecp", "users", "add", "jo", "--password-stdin"],
        cwd=tmp_path,
        input=PASSWORD,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "MECP_STAFF_DB"},
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "staff.sqlite3").is_file()


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("add", "jo", "--password-stdin"), "short\n", "at least 12 characters"),
        (("add", "bad name", "--password-stdin"), PASSWORD, "account name"),
        (("add", "maria", "--password-stdin"), PASSWORD, "already exists"),
        (("passwd", "nobody", "--password-stdin"), PASSWORD, "no account named 'nobody'"),
        (("remove", "nobody"), None, "no account named 'nobody'"),
        (("add", "jo"), "", "pass --password-stdin"),
    ],
)
def test_mistakes_exit_2_with_a_clear_message_and_change_nothing(
    tmp_path: Path, args: tuple[str, ...], stdin: str | None, message: str
) -> None:
    db = tmp_path / "staff.sqlite3"
    with StaffDB(db) as store:
        store.add_account("maria", PASSWORD)
        store.record("command line", "account added", detail="maria")
    result = _users(db, *args, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    with StaffDB(db) as store:
        assert [a.name for a in store.accounts()] == ["maria"]
        assert len(store.audit_log()) == 1


def _converse(command: list[str], answers: list[str]) -> tuple[int, str]:
    """Run command on a pseudo-terminal, typing each answer after each prompt; (status, screen)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the command
        os.chdir(ROOT)
        os.execv(command[0], command)
    screen, pending = b"", list(answers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        screen += chunk
        if pending and chunk.endswith(b": "):  # a prompt, waiting for its answer
            os.write(fd, pending.pop(0).encode() + b"\n")
    else:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), screen.decode(errors="replace")


def test_the_password_is_asked_twice_on_the_terminal_without_echo(tmp_path: Path) -> None:
    db = tmp_path / "staff.sqlite3"
    command = [sys.executable, "-m", "mecp", "users", "add", "jo", "--db", str(db)]
    code, screen = _converse(command, [PASSWORD, PASSWORD])
    assert code == 0, screen
    assert "New password for jo" in screen
    assert "again" in screen
    assert PASSWORD not in screen
    with StaffDB(db) as store:
        assert store.sign_in("jo", PASSWORD, "192.0.2.1").account is not None


def test_two_different_passwords_on_the_terminal_change_nothing(tmp_path: Path) -> None:
    db = tmp_path / "staff.sqlite3"
    command = [sys.executable, "-m", "mecp", "users", "add", "jo", "--db", str(db)]
    code, screen = _converse(command, [PASSWORD, PASSWORD + " typo"])
    assert code == 2
    assert "differ" in screen
    with StaffDB(db) as store:
        assert store.accounts() == []
