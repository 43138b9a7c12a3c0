"""Every indexed publication in brief: id, title, language, date and when it was last indexed.

Read once per index generation (one pass over the stored fields) and kept with it; the sitemap
and the suggestions are built from it. May import: index, schema, models.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from library.index import LibraryIndex
from library.schema import STORED_META

_KEY = "catalog"


@dataclass(frozen=True, slots=True)
class Listed:
    """One publication as the sitemap and the suggestions need it."""

    id: str
    title: str
    language: str
    date: str
    indexed: str  # RFC 3339 time this version of the document was indexed


def listing(lib: LibraryIndex) -> tuple[Listed, ...]:
    """Every live document of the generation, by id, computed on first use."""
    found: tuple[Listed, ...] = lib.caches.once(_KEY, lambda: _read(lib))
    return found


def _read(lib: LibraryIndex) -> tuple[Listed, ...]:
    """Build the listing from the stored metadata and the manifest's indexing times."""
    records: dict[str, Any] = lib.manifest().get("documents", {})
    listed = [
        Listed(
            id=meta["id"],
            title=meta["title"],
            language=meta.get("language", "en"),
            date=meta.get("date", ""),
            indexed=records.get(meta["id"], {}).get("indexed") or lib.built_at,
        )
        for meta in _stored_metadata(lib)
    ]
    return tuple(sorted(listed, key=lambda item: item.id))


def _stored_metadata(lib: LibraryIndex) -> Iterator[dict[str, Any]]:
    """The stored metadata of every live document (the one whoosh call of this module)."""
    for fields in lib.searcher().all_stored_fields():
        yield fields[STORED_META]
