"""The web app's read-only handle on the index: one open LibraryIndex per app.

An ingest publishes a new generation by rewriting CURRENT; the next request notices (is_current)
and reopens, so the server never needs a restart. The webapp never writes to the index.
May import: flask, library.index, library.suggest.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask, current_app

from library.index import LibraryIndex, open_index
from library.suggest import warm

log = logging.getLogger(__name__)

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
                _warm_in_background(self.lib)
            return self.lib


def _warm_in_background(lib: LibraryIndex) -> None:
    """Build the new generation's suggestion table in a thread, so no request waits for it."""

    def run() -> None:
        """Build it; a failure only means the first suggestion request builds it instead."""
        try:
            warm(lib)
        except Exception:  # the index may go away (a later ingest); never kill the server
            log.warning("could not prepare search suggestions", exc_info=True)

    threading.Thread(target=run, name="mecp-suggest-warm", daemon=True).start()


def init_app(app: Flask) -> None:
    """Attach an (unopened) index holder for app.config['INDEX_DIR']."""
    app.extensions[EXTENSION] = _Holder(Path(app.config["INDEX_DIR"]))


def get_index() -> LibraryIndex:
    """The current app's open index; raises IndexUnavailable when there is none to open."""
    holder: _Holder = current_app.extensions[EXTENSION]
    return holder.get()
