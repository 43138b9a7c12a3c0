"""Exceptions raised by the library; the web app maps each to one HTTP status.

May import: stdlib.
"""


class LibraryError(Exception):
    """Base class of every error the library raises on purpose."""


class DocumentNotFound(LibraryError):
    """No indexed document has the requested id."""


class IndexUnavailable(LibraryError):
    """The index is missing, unreadable, or was built with another schema version."""


class IndexBusy(LibraryError):
    """Another ingest holds the index's write lock."""


class IndexWriteError(LibraryError):
    """The index could not be written (no space left, an I/O error): the ingest stops."""


class InvalidRequest(LibraryError):
    """A search request names an unknown facet value or is out of bounds."""


class VocabularyError(LibraryError):
    """The vocabulary file is missing or malformed."""
