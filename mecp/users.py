"""`mecp users`: the staff console's accounts (add, list, remove, passwd).

Passwords are read from stdin with --password-stdin, otherwise asked for twice on the terminal
without echo; they never appear in arguments (where `ps` and shell history would show them).
Every change is written to the audit log. May import: library.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from library.passwords import check_password
from library.settings import Settings
from library.staffdb import StaffDB, normalize_name

DB_HELP = "staff database (default: $MECP_STAFF_DB or var/staff.sqlite3)"
ACTOR = "command line"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `mecp users` and its subcommands."""
    users = commands.add_parser("users", help="staff console accounts: add, list, remove, passwd")
    users.set_defaults(handler=lambda _settings, _args: _help(users))
    actions = users.add_subparsers(dest="action", metavar="ACTION", help="what to do")
    for name, handler, summary in (
        ("add", _add, "create an account"),
        ("passwd", _passwd, "change an account's password (its sessions end)"),
    ):
        action = actions.add_parser(name, help=summary)
        action.add_argument("name", help="account name (letters, digits, . _ @ -)")
        action.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from stdin instead of asking on the terminal",
        )
        action.add_argument("--db", type=Path, help=DB_HELP)
        action.set_defaults(handler=handler)
    remove = actions.add_parser("remove", help="delete an account (its sessions end)")
    remove.add_argument("name", help="account name")
    remove.add_argument("--db", type=Path, help=DB_HELP)
    remove.set_defaults(handler=_remove)
    listing = actions.add_parser("list", help="list the accounts")
    listing.add_argument("--db", type=Path, help=DB_HELP)
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_list)


def _help(parser: argparse.ArgumentParser) -> int:
    """`mecp users` alone: its help."""
    parser.print_help()
    return 0


def _add(settings: Settings, args: argparse.Namespace) -> int:
    """mecp users add NAME."""
    name = normalize_name(args.name)
    with StaffDB(settings.staff_db) as db:
        if db.account(name):
            print(f"mecp users: an account named {name!r} already exists", file=sys.stderr)
            return 2
        db.add_account(name, _password(name, args.password_stdin))
        db.record(ACTOR, "account added", detail=name)
    print(f"Added the staff account {name!r}; it can sign in at /staff/login.")
    return 0


def _passwd(settings: Settings, args: argparse.Namespace) -> int:
    """mecp users passwd NAME."""
    name = normalize_name(args.name)
    with StaffDB(settings.staff_db) as db:
        if not db.account(name):
            print(f"mecp users: no account named {name!r}", file=sys.stderr)
            return 2
        db.set_password(name, _password(name, args.password_stdin))
        db.record(ACTOR, "password changed", detail=name)
    print(f"Changed the password of {name!r}; its open sessions have ended.")
    return 0


def _remove(settings: Settings, args: argparse.Namespace) -> int:
    """mecp users remove NAME."""
    name = normalize_name(args.name)
    with StaffDB(settings.staff_db) as db:
        db.remove_account(name)
        db.record(ACTOR, "account removed", detail=name)
    print(f"Removed the staff account {name!r}.")
    return 0


def _list(settings: Settings, args: argparse.Namespace) -> int:
    """mecp users list."""
    with StaffDB(settings.staff_db) as db:
        accounts = db.accounts()
    rows: list[dict[str, Any]] = [
        {
            "name": a.name,
            "created_at": a.created_at,
            "password_changed_at": a.password_changed_at,
            "last_sign_in_at": a.last_sign_in_at,
        }
        for a in accounts
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("No staff accounts yet: add one with `mecp users add NAME`.")
        return 0
    width = max(len(r["name"]) for r in rows)
    print(f"{'name':<{width}}  {'created':<20}  {'last sign-in':<20}  password changed")
    for r in rows:
        last = r["last_sign_in_at"] or "never"
        print(
            f"{r['name']:<{width}}  {r['created_at']:<20}  {last:<20}  {r['password_changed_at']}"
        )
    return 0


def _password(name: str, from_stdin: bool) -> str:
    """The new password: stdin's text without its line ending, or asked twice without echo."""
    if from_stdin:
        password = sys.stdin.read().rstrip("\r\n")
        check_password(password, name)
        return password
    if not sys.stdin.isatty():
        raise ValueError("no terminal to ask for the password on: pass --password-stdin")
    password = getpass.getpass(f"New password for {name} (at least 12 characters): ")
    check_password(password, name)
    if getpass.getpass("The same password again: ") != password:
        raise ValueError("the two passwords differ; nothing was changed")
    return password
