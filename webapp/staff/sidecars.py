"""Sidecars as the console reads and writes them: TOML through tomllib and tomli-w.

The form edits FIELDS; any other key someone wrote by hand is kept as it was. Values are
normalised here exactly as the ingest's sidecar parser normalises them (runs of white space
become one space), so what staff type is what the ingest reads: tests/webapp/staff/ checks
the round trip through ingest.sidecar.parse_sidecar. May import: stdlib, tomli_w.
"""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import tomli_w

# The sidecar keys the metadata form edits, in the order a sidecar lists them.
FIELDS = (
    "title", "summary", "date", "type", "topics", "audiences", "language", "source_url",
    "authors", "translation_of",
)  # fmt: skip
LISTS = ("topics", "audiences", "authors")
HEADER = (
    "# Metadata of {name}, kept by the staff console. A key left out is inferred from the text.\n"
)


def read(path: Path) -> tuple[dict[str, Any], str]:
    """A sidecar's table, and why it could not be read ('' when it could, or when absent)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return {}, ""
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"the sidecar cannot be read ({exc})"
    try:
        return tomllib.loads(text), ""
    except tomllib.TOMLDecodeError as exc:
        return {}, f"the sidecar is not valid TOML ({exc})"


def clean(value: str) -> str:
    """One line of text as the ingest reads it: no control characters, single spaces."""
    visible = "".join(c if unicodedata.category(c) != "Cc" else " " for c in value)
    return " ".join(visible.split())


def form_values(table: dict[str, Any]) -> dict[str, Any]:
    """A sidecar's values as the form shows them (lists stay lists, the rest text)."""
    values: dict[str, Any] = {}
    for key in FIELDS:
        value = table.get(key)
        if key in LISTS:
            given = value if isinstance(value, list) else [] if value is None else [value]
            values[key] = [str(v) for v in given]
        else:
            values[key] = "" if value is None else str(value)
    return values


def compose(existing: dict[str, Any], values: dict[str, Any], name: str) -> str | None:
    """The new sidecar: existing with the form's values (an empty one removes its key).

    None when nothing is left to write (the publication is then described by its text alone).
    """
    table = {k: v for k, v in existing.items() if k not in FIELDS}
    for key in FIELDS:
        value = values.get(key)
        if key in LISTS:
            items = [clean(str(v)) for v in value or ()]
            items = list(dict.fromkeys(v for v in items if v))
            if items:
                table[key] = items
        elif value is not None and clean(str(value)):
            table[key] = clean(str(value))
    ordered = {k: table[k] for k in FIELDS if k in table} | {
        k: v for k, v in table.items() if k not in FIELDS
    }
    if not ordered:
        return None
    return HEADER.format(name=name) + tomli_w.dumps(ordered)


def changes(before: dict[str, Any], after: dict[str, Any]) -> str:
    """What an edit changed, in words, for the audit log ('' when nothing did)."""
    parts = []
    for key in FIELDS:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key in LISTS:
            old_items, new_items = list(old or []), list(new or [])
            added = [f"+{v}" for v in new_items if v not in old_items]
            dropped = [f"-{v}" for v in old_items if v not in new_items]
            parts.append(f"{key}: {' '.join(added + dropped) or 'reordered'}")
        elif new is None:
            parts.append(f"{key}: removed (was {_quoted(old)})")
        elif old is None:
            parts.append(f"{key}: set to {_quoted(new)}")
        else:
            parts.append(f"{key}: {_quoted(old)} -> {_quoted(new)}")
    return "; ".join(parts)


def _quoted(value: Any, limit: int = 120) -> str:
    """A value for the audit log, cut when long."""
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def parse(text: str | None) -> dict[str, Any]:
    """The table of a sidecar this module composed (None: no sidecar)."""
    return tomllib.loads(text) if text else {}
