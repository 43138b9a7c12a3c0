"""MECP Resource Library: the domain core (models, vocabulary, index schema, search).

Only this package imports whoosh; ingest/ and webapp/ depend on it, never the reverse.
"""

__version__ = "0.1.0"
