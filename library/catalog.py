"""Every indexed publication in brief: id, title, language, date and when it was last indexed.

Read once per index generation (one pass over the stored fields) and kept with it; the sitemap
and the suggestions are built from it. May import: index, schema, models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from library.index import LibraryIndex

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
            id=doc.id,
            title=doc.title,
            language=doc.language,
            date=doc.date,
            indexed=records.get(doc.id, {}).get("indexed") or lib.built_at,
        )
        for doc in lib.engine.documents()
    ]
    return tuple(sorted(listed, key=lambda item: item.id))
