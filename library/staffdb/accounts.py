"""Staff accounts and sign-in, with failed sign-ins counted per account and per address.

The counts live in the database, so every serving process sees the same ones: after
SIGN_IN_LIMIT failures within SIGN_IN_WINDOW, sign-in is refused until the window has passed.
May import: stdlib, library.passwords, connection.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
import sqlite3
import time
from dataclasses import dataclass

from library.passwords import (
    check_password,
    hash_password,
    needs_rehash,
    verify_password,
    waste_time,
)
from library.staffdb.connection import Connection, now_iso

SIGN_IN_LIMIT = 10  # failures per account, and per address, within the window
SIGN_IN_WINDOW = 15 * 60  # seconds
_NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
_COLUMNS = "name, created_at, password_changed_at, last_sign_in_at, session_stamp"


class AccountError(ValueError):
    """A bad account name, or an account that exists already or does not; said for people."""


@dataclass(frozen=True, slots=True)
class Account:
    """A staff account (never its password hash)."""

    name: str
    created_at: str
    password_changed_at: str
    last_sign_in_at: str | None
    session_stamp: str  # changes when the password does or the account signs out


@dataclass(frozen=True, slots=True)
class SignIn:
    """The outcome of a sign-in: the account, or how long to wait when too many failed."""

    account: Account | None
    retry_after: int = 0  # seconds; non-zero means refused without looking at the password


def normalize_name(name: str) -> str:
    """The account name as stored (lowercase); AccountError unless it is a plain short name."""
    cleaned = name.strip().lower()
    if not _NAME.fullmatch(cleaned):
        raise AccountError(
            "an account name is 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a "
            f"letter or digit, not {name!r}"
        )
    return cleaned


def address_key(address: str) -> str:
    """What failures are counted by: an IPv4 address, or an IPv6 address's /64 network."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


class Accounts(Connection):
    """The accounts table and the sign-in failure counts."""

    def add_account(self, name: str, password: str) -> Account:
        """Create an account; AccountError if the name is taken, WeakPassword if too short."""
        name = normalize_name(name)
        check_password(password, name)
        stamp, when = secrets.token_hex(16), now_iso()
        hashed = hash_password(password)
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone():
                raise AccountError(f"an account named {name!r} already exists")
            conn.execute(
                "INSERT INTO accounts (name, password_hash, session_stamp, created_at, "
                "password_changed_at) VALUES (?, ?, ?, ?, ?)",
                (name, hashed, stamp, when, when),
            )
        return Account(name, when, when, None, stamp)

    def set_password(self, name: str, password: str) -> None:
        """Change an account's password; its sessions end and its failure count is cleared."""
        name = normalize_name(name)
        check_password(password, name)
        hashed = hash_password(password)
        with self._write() as conn:
            changed = conn.execute(
                "UPDATE accounts SET password_hash = ?, session_stamp = ?, password_changed_at = ? "
                "WHERE name = ?",
                (hashed, secrets.token_hex(16), now_iso(), name),
            ).rowcount
            conn.execute("DELETE FROM sign_in_failures WHERE account = ?", (name,))
        if not changed:
            raise AccountError(f"no account named {name!r}")

    def remove_account(self, name: str) -> None:
        """Delete an account; its sessions end at once (its lines in the audit log stay)."""
        name = normalize_name(name)
        with self._write() as conn:
            if not conn.execute("DELETE FROM accounts WHERE name = ?", (name,)).rowcount:
                raise AccountError(f"no account named {name!r}")

    def end_sessions(self, name: str) -> None:
        """Sign an account out everywhere: every session cookie it was given stops working."""
        with self._write() as conn:
            conn.execute(
                "UPDATE accounts SET session_stamp = ? WHERE name = ?",
                (secrets.token_hex(16), name),
            )

    def accounts(self) -> list[Account]:
        """Every account, by name."""
        rows = self._read(f"SELECT {_COLUMNS} FROM accounts ORDER BY name")
        return [Account(*row) for row in rows]  # type: ignore[arg-type]

    def account(self, name: str) -> Account | None:
        """The account called name, if there is one."""
        rows = self._read(
            f"SELECT {_COLUMNS} FROM accounts WHERE name = ?", (name.strip().lower(),)
        )
        return Account(*rows[0]) if rows else None  # type: ignore[arg-type]

    def sign_in(self, name: str, password: str, address: str, now: float | None = None) -> SignIn:
        """Check a password, counting failures per account and per address across processes.

        A failure is recorded before the (slow) check and withdrawn on success, so parallel
        guesses cannot slip past the limit while their hashes are being computed.
        """
        now = time.time() if now is None else now
        name, address = name.strip().lower()[:64], address_key(address)
        with self._write() as conn:
            wait = _retry_after(conn, name, address, now)
            if wait:
                return SignIn(None, wait)
            failure = conn.execute(
                "INSERT INTO sign_in_failures (account, address, at) VALUES (?, ?, ?)",
                (name, address, now),
            ).lastrowid
            conn.execute("DELETE FROM sign_in_failures WHERE at <= ?", (now - SIGN_IN_WINDOW,))
        rows = self._read("SELECT password_hash FROM accounts WHERE name = ?", (name,))
        if not rows:
            waste_time(password)  # as slow as a wrong password: no hint that the name is unknown
            return SignIn(None)
        stored = str(rows[0][0])
        if not verify_password(stored, password):
            return SignIn(None)
        rehashed = hash_password(password) if needs_rehash(stored) else stored
        with self._write() as conn:
            conn.execute(
                "DELETE FROM sign_in_failures WHERE id = ? OR account = ?", (failure, name)
            )
            conn.execute(
                "UPDATE accounts SET last_sign_in_at = ?, password_hash = ? WHERE name = ?",
                (now_iso(), rehashed, name),
            )
        return SignIn(self.account(name))


def _retry_after(conn: sqlite3.Connection, account: str, address: str, now: float) -> int:
    """Seconds until the account and the address are both under the limit again (0: now)."""
    wait = 0.0
    for column, value in (("account", account), ("address", address)):
        times = [
            row[0]
            for row in conn.execute(
                f"SELECT at FROM sign_in_failures WHERE {column} = ? AND at > ? ORDER BY at DESC",
                (value, now - SIGN_IN_WINDOW),
            )
        ]
        if len(times) >= SIGN_IN_LIMIT:
            # Allowed again once only SIGN_IN_LIMIT - 1 of them are left in the window.
            wait = max(wait, times[SIGN_IN_LIMIT - 1] + SIGN_IN_WINDOW - now)
    return int(wait) + 1 if wait > 0 else 0
