"""The SolrCloud engine of the library: its configset, its fields, the HTTP client and admin calls,
the writing of an index (update.py) and the searching of one (engine.py) behind the engine seam
(library.engine).

Only this package talks to Solr (over HTTP, with httpx); it imports no whoosh and nothing from
ingest or webapp. May import: the library core (errors, facets, generations, models, query,
ranking, settings, text, vocab, caches, engine), httpx, PyStemmer.
"""

from __future__ import annotations

from library.solr.engine import SolrEngine, open_engine
from library.solr.update import (
    SCHEMA_VERSION,
    SegmentBuilder,
    Update,
    begin_update,
    check,
    rebuild_reason,
)

__all__ = [
    "SCHEMA_VERSION",
    "SegmentBuilder",
    "SolrEngine",
    "Update",
    "begin_update",
    "check",
    "open_engine",
    "rebuild_reason",
]
