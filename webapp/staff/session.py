"""Staff sessions: Flask's signed cookies, kept to /staff, signed with a key every process shares.

The cookie is HttpOnly, SameSite=Lax, Secure when MECP_BASE_URL is https, sent only to /staff
(public pages never see it), and expires after SESSION_IDLE without a request: Flask re-signs it
on every request and refuses one older than that. It names the account and the account's session
stamp, which changes when the password does, the account signs out or is removed; a cookie with
an old stamp is no longer a session. The signing key is MECP_SECRET_KEY or, without one, a
random key created once in `secret_key` beside the staff database.
May import: flask, library.staffdb.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import stat
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, Request, session
from flask.sessions import SecureCookieSessionInterface

from library.staffdb import Account, StaffDB

log = logging.getLogger(__name__)

PREFIX = "/staff"
SESSION_IDLE = timedelta(days=1)
KEY_FILE = "secret_key"
MIN_KEY_LENGTH = 32


def configure(app: Flask) -> None:
    """Cookie settings and the staff-only session interface."""
    key = app.config.get("SECRET_KEY")
    if key and len(str(key)) < MIN_KEY_LENGTH:
        raise ValueError(f"MECP_SECRET_KEY must be at least {MIN_KEY_LENGTH} characters long")
    app.config.update(
        SESSION_COOKIE_NAME="mecp_staff",
        SESSION_COOKIE_PATH=PREFIX,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=str(app.config.get("BASE_URL", "")).startswith("https://"),
        PERMANENT_SESSION_LIFETIME=SESSION_IDLE,
        SESSION_REFRESH_EACH_REQUEST=True,
    )
    app.session_interface = _StaffSessions()


class _StaffSessions(SecureCookieSessionInterface):
    """Sessions under /staff only; the signing key is found (or made) on the first one."""

    def open_session(self, app: Flask, request: Request) -> Any:
        """A signed-cookie session for /staff pages, a null session anywhere else."""
        if not is_staff_path(request.path):
            return self.make_null_session(app)
        if not app.secret_key:
            app.secret_key = load_or_create_key(Path(app.config["STAFF_DB"]).parent / KEY_FILE)
        return super().open_session(app, request)


def is_staff_path(path: str) -> bool:
    """Whether a request path is the staff console's."""
    return path == PREFIX or path.startswith(PREFIX + "/")


def load_or_create_key(path: Path) -> str:
    """The key in path; created first (random, mode 0600) if there is none, race-free.

    The new key is written to a file of its own (created with O_EXCL, mode 0600) and linked to
    its name, which fails if another process got there first: every process ends up reading the
    one key that won, and none can ever read a half-written one.
    """
    with contextlib.suppress(FileNotFoundError):
        return _read_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # O_EXCL, mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    return _read_key(path)


def _read_key(path: Path) -> str:
    """A key file's key; a warning when others may read the file."""
    mode = path.stat().st_mode
    if stat.S_IMODE(mode) & 0o077:
        log.warning("%s can be read by other users: chmod 600 it", path)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_KEY_LENGTH:
        raise ValueError(f"{path} holds no usable key: delete it and a new one is made")
    return key


def start(account: Account) -> None:
    """Begin a fresh session for account (nothing of the signed-out session is kept)."""
    session.clear()
    session.permanent = True
    session["account"] = account.name
    session["stamp"] = account.session_stamp


def end() -> None:
    """Forget the session."""
    session.clear()


def signed_in(db: StaffDB) -> Account | None:
    """The account whose valid session this request carries, if any."""
    name, stamp = session.get("account"), session.get("stamp")
    if not isinstance(name, str) or not isinstance(stamp, str):
        return None
    account = db.account(name)
    if account is None or not secrets.compare_digest(account.session_stamp, stamp):
        session.pop("account", None)
        session.pop("stamp", None)
        return None
    return account
