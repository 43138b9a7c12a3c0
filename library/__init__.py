"""MECP Resource Library: the domain core and its index engines (library/whoosh/, library/solr/).

Only library.whoosh imports whoosh; ingest/ and webapp/ depend on this package, never the
reverse. May import: stdlib (this module; its modules say each their own).
"""

__version__ = "0.1.0"
