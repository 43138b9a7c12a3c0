"""The whoosh engine lets go of its files however it is dropped."""

from __future__ import annotations

import gc
import os
import warnings
from pathlib import Path
from typing import Any

from library.index import open_index
from library.models import SearchRequest
from library.search import search


def _open_files(under: Path) -> list[str]:
    """Files of a folder this process holds open."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(under)):
            found.append(target)
    return found


def test_an_index_dropped_inside_a_reference_cycle_closes_its_files_first(index_dir: Path) -> None:
    """A web app holding the index is a cycle: the collector must find the files already closed
    (an unclosed file it finalizes itself is a ResourceWarning, an error in this suite)."""
    gc.collect()
    before = len(_open_files(index_dir))
    for _ in range(20):  # the collector's order varies with what it finds first: try it often
        lib = open_index(index_dir)
        assert search(lib, SearchRequest(q="child")).total > 0
        assert lib.engine.document("guides/first-hours", with_body=True) is not None
        assert len(_open_files(index_dir)) > before  # the searcher's segment files are open
        cycle: dict[str, Any] = {"index": lib}
        cycle["self"] = cycle
        files = [lib.engine.searcher()]  # keeps nothing alive: dropped with the cycle below
        cycle["files"] = files
        del lib, files
        with warnings.catch_warnings():
            warnings.simplefilter("error", ResourceWarning)
            del cycle
            gc.collect()
        assert len(_open_files(index_dir)) == before


def test_close_closes_every_searcher_and_the_engine_can_still_be_collected(
    index_dir: Path,
) -> None:
    before = len(_open_files(index_dir))
    lib = open_index(index_dir)
    assert lib.engine.frequency("child") > 0
    assert len(_open_files(index_dir)) > before
    lib.close()
    assert len(_open_files(index_dir)) == before
    del lib
    gc.collect()
