"""The SolrCloud engine of the library: its configset, its fields, the HTTP client and admin calls,
and the writing of an index (update.py) behind the engine seam (library.engine).

Only this package talks to Solr (over HTTP, with httpx); it imports no whoosh and nothing from
ingest or webapp. May import: the library core (errors, generations, models, settings, text,
vocab, caches, engine), httpx.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from library.caches import GenerationCaches
from library.errors import IndexUnavailable
from library.solr.update import (
    SCHEMA_VERSION,
    SegmentBuilder,
    Update,
    begin_update,
    check,
    rebuild_reason,
)


def open_engine(root: Path, path: Path, meta: dict[str, Any], caches: GenerationCaches) -> Any:
    """Searching a Solr index comes with the engine's read side; until then a clear refusal."""
    raise IndexUnavailable(
        f"the index at {root} is on SolrCloud (collection {meta.get('collection')}), and this "
        "version of the library cannot search it yet"
    )


__all__ = [
    "SCHEMA_VERSION",
    "SegmentBuilder",
    "Update",
    "begin_update",
    "check",
    "open_engine",
    "rebuild_reason",
]
