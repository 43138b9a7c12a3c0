"""The web app's read-only handle on the index: one open LibraryIndex per app.

An ingest publishes a new generation by rewriting CURRENT; the next request notices (is_current)
and reopens, so the server never needs a restart. The webapp never writes to the index.
May import: flask, library.index.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app

from library.index import LibraryIndex, open_index

EXTENSION = "mecp_index"


class _Holder:
    """The open index of one app, shared by waitress's threads."""

    def __init__(self, root: Path) -> None:
        """Remember where the index lives; open it on first use."""
        self.root = root
        self.lib: LibraryIndex | None = None
        self.lock = threading.Lock()

    def get(self) -> LibraryIndex:
        """The live generation, (re)opened when missing or superseded."""
        with self.lock:  # one thread reopens; the others wait for it instead of opening too
            if self.lib is None or not self.lib.is_current():
                # Forget the old one first: if the reopen fails, the next request tries again.
                self.lib = None
                self.lib = open_index(self.root)
            return self.lib


def init_app(app: Flask) -> None:
    """Attach an (unopened) index holder for app.config['INDEX_DIR']."""
    app.extensions[EXTENSION] = _Holder(Path(app.config["INDEX_DIR"]))


def get_index() -> LibraryIndex:
    """The current app's open index; raises IndexUnavailable when there is none to open."""
    holder: _Holder = current_app.extensions[EXTENSION]
    return holder.get()
