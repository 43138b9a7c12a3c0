"""Sidecar metadata: the optional <stem>.toml beside a publication.

Pure: text in, Sidecar and warnings out. May import: library.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from library.vocab import LANGUAGES, Vocabulary

KEYS = (
    "title", "summary", "date", "type", "topics", "audiences", "language", "source_url", "authors",
    "translation_of",
)  # fmt: skip
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DOC_ID = re.compile(r"[\w.\-]+(/[\w.\-]+)*")


class SidecarError(Exception):
    """A sidecar that is not valid TOML; the message says where."""


@dataclass(frozen=True, slots=True)
class Sidecar:
    """Metadata staff wrote by hand; None means 'not given, infer it'."""

    title: str | None = None
    summary: str | None = None
    date: str | None = None
    type: str | None = None
    topics: tuple[str, ...] | None = None
    audiences: tuple[str, ...] | None = None
    language: str | None = None
    source_url: str | None = None
    authors: tuple[str, ...] | None = None
    translation_of: str | None = None  # the id of the publication this one is an edition of


def parse_sidecar(text: str, vocabulary: Vocabulary) -> tuple[Sidecar, list[str]]:
    """Parse sidecar TOML; unknown keys and terms become warnings, valid values are kept."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SidecarError(f"invalid TOML ({exc})") from exc
    warnings: list[str] = []
    for key in data:
        if key not in KEYS:
            hint = difflib.get_close_matches(key, KEYS, n=1)
            warnings.append(
                f"unknown key {key!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
            )
    values: dict[str, Any] = {}
    for key in ("title", "summary", "source_url"):
        if isinstance(data.get(key), str) and data[key].strip():
            values[key] = " ".join(data[key].split())
    values["authors"] = _authors(data.get("authors"), warnings)
    values["translation_of"] = _document_id(data.get("translation_of"), warnings)
    values["date"] = _date(data.get("date"), warnings)
    values["language"] = _language(data.get("language"), warnings)
    if "type" in data:
        types = _terms("types", "type", [data["type"]], vocabulary, warnings)
        values["type"] = types[0] if types else None
    for key, kind in (("topics", "topics"), ("audiences", "audiences")):
        if key in data:
            given = data[key] if isinstance(data[key], list) else [data[key]]
            values[key] = tuple(_terms(kind, key[:-1], given, vocabulary, warnings)) or None
    return Sidecar(**values), warnings


def _terms(
    kind: str, noun: str, given: list[Any], vocabulary: Vocabulary, warnings: list[str]
) -> list[str]:
    """Resolve ids, labels or synonyms to ids; warn about the rest with the closest id."""
    found: list[str] = []
    for value in given:
        term = vocabulary.resolve(kind, str(value))
        if term is None:
            hint = vocabulary.closest(kind, str(value))
            closest = f" (closest: {hint!r})" if hint else ""
            warnings.append(f"unknown {noun} {str(value)!r}{closest}")
        elif term not in found:
            found.append(term)
    return found


def _authors(value: Any, warnings: list[str]) -> tuple[str, ...] | None:
    """Names as written ("Family, Given" for a person, an organisation as it is called)."""
    if value is None:
        return None
    given = value if isinstance(value, list) else [value]
    names = [" ".join(v.split()) for v in given if isinstance(v, str) and v.strip()]
    if len(names) != len(given):
        warnings.append('authors must be a list of names, such as ["Doe, Jane"]; kept the names')
    return tuple(dict.fromkeys(names)) or None


def _document_id(value: Any, warnings: list[str]) -> str | None:
    """A publication id ('families/first-48-hours'): a path inside the corpus, no extension.

    Whether a publication has that id is checked by the ingest run, which knows them all.
    """
    if value is None:
        return None
    text = str(value).strip().strip("/") if isinstance(value, str) else ""
    text = text.removeprefix("documents/")
    if not text or not _DOC_ID.fullmatch(text) or ".." in text.split("/"):
        warnings.append(f"translation_of {value!r} is not a publication id like 'families/a-guide'")
        return None
    return text


def _date(value: Any, warnings: list[str]) -> str | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD string (TOML dates accepted too)."""
    if value is None:
        return None
    text = str(value).strip()[:10]
    if not _DATE.match(text):
        warnings.append(f"date {value!r} is not YYYY-MM-DD or YYYY; inferring the date instead")
        return None
    return text


def _language(value: Any, warnings: list[str]) -> str | None:
    """A two-letter language code."""
    if value is None:
        return None
    code = str(value).strip().lower()
    if not re.fullmatch(r"[a-z]{2}", code):
        warnings.append(f"language {value!r} is not a two-letter ISO 639-1 code")
        return None
    if code not in LANGUAGES:
        warnings.append(f"language {code!r} is indexed without stemming (supported: en, es)")
    return code
