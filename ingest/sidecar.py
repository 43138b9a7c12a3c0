"""Sidecar metadata: the optional <stem>.toml beside a publication.

Pure: text in, Sidecar and warnings out. May import: library.
"""

from __future__ import annotations

import datetime
import difflib
import re
import tomllib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from library.vocab import LANGUAGES, Vocabulary

KEYS = (
    "title", "summary", "date", "type", "topics", "audiences", "language", "source_url", "authors",
    "translation_of",
)  # fmt: skip
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
_DATETIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]")  # a date with a time after it
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
    """Parse sidecar TOML; unknown keys, wrong types and bad values become warnings naming the
    key, and only valid values are kept (the rest is inferred as if absent)."""
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
        if key in data and _typed(data, key, str, "text in quotes", warnings) and data[key].strip():
            values[key] = " ".join(data[key].split())
    values["authors"] = _authors(data.get("authors"), warnings)
    values["translation_of"] = _document_id(data.get("translation_of"), warnings)
    if "source_url" in values and not web_address(values["source_url"]):
        warnings.append(
            f"source_url {values.pop('source_url')!r} is not an http or https address: left empty"
        )
    values["date"] = _date(data.get("date"), warnings)
    values["language"] = _language(data.get("language"), warnings)
    if "type" in data and _typed(data, "type", str, "an id in quotes", warnings):
        types = _terms("types", "type", [data["type"]], vocabulary, warnings)
        values["type"] = types[0] if types else None
    for key, kind in (("topics", "topics"), ("audiences", "audiences")):
        if key in data and _typed(data, key, (str, list), "a list of ids", warnings):
            given = data[key] if isinstance(data[key], list) else [data[key]]
            if all(_typed({key: v}, key, str, "a list of ids in quotes", warnings) for v in given):
                values[key] = tuple(_terms(kind, key[:-1], given, vocabulary, warnings)) or None
    return Sidecar(**values), warnings


def web_address(url: str) -> bool:
    """Whether url is an absolute http or https address with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def checked_date(text: str) -> str | None:
    """text when it is a real YYYY, YYYY-MM or YYYY-MM-DD date (years 1000-2999), else None."""
    if not _DATE.match(text):
        return None
    year, _, rest = text.partition("-")
    month, _, day = rest.partition("-")
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return text if 1000 <= int(year) <= 2999 else None


def _typed(
    data: dict[str, Any], key: str, kind: type | tuple[type, ...], shown: str, warnings: list[str]
) -> bool:
    """Whether data[key] has the right type; a warning naming the key when not."""
    if isinstance(data[key], kind):
        return True
    warnings.append(f"{key} must be {shown}, not {type(data[key]).__name__}: ignored")
    return False


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
    """A real YYYY, YYYY-MM or YYYY-MM-DD date (TOML dates accepted too)."""
    if value is None:
        return None
    if isinstance(value, datetime.date):
        value = value.isoformat()
    if not isinstance(value, str):
        warnings.append(
            f"date must be a date or text in quotes, not {type(value).__name__}: ignored"
        )
        return None
    text = value.strip()[:10] if _DATETIME.match(value.strip()) else value.strip()
    found = checked_date(text)
    if found is None:
        warnings.append(
            f"date {value!r} is not a real date (YYYY-MM-DD, YYYY-MM or YYYY): inferring it instead"
        )
    return found


def _language(value: Any, warnings: list[str]) -> str | None:
    """A two-letter language code."""
    if value is None:
        return None
    if not isinstance(value, str):
        warnings.append(f"language must be a code in quotes, not {type(value).__name__}: ignored")
        return None
    code = value.strip().lower()
    if not re.fullmatch(r"[a-z]{2}", code):
        warnings.append(f"language {value!r} is not a two-letter ISO 639-1 code")
        return None
    if code not in LANGUAGES:
        warnings.append(f"language {code!r} is indexed without stemming (supported: en, es)")
    return code
