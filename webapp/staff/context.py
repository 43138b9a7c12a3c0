"""What the console's views share: the corpus folder, its vocabulary, the live index, limits.

May import: flask, library, webapp.index_access, and the staff package's own modules.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import IO

from flask import current_app

from library.errors import LibraryError
from library.index import LibraryIndex
from library.vocab import Vocabulary, load_vocabulary
from webapp.index_access import get_index

_VOCABULARIES: dict[tuple[str, int], Vocabulary] = {}
_LOCK = threading.Lock()


def corpus_root() -> Path:
    """The corpus folder the console writes into (MECP_CORPUS_DIR), as an absolute path."""
    return Path(current_app.config["CORPUS_DIR"]).resolve()


def vocabulary() -> Vocabulary:
    """The corpus's vocabulary as it is on disk now (read again when the file changes)."""
    path = Path(current_app.config["VOCABULARY"])
    key = (str(path), path.stat().st_mtime_ns)
    with _LOCK:
        if key not in _VOCABULARIES:
            _VOCABULARIES.clear()
            _VOCABULARIES[key] = load_vocabulary(path)
        return _VOCABULARIES[key]


def max_file_bytes() -> int:
    """The largest publication the console accepts (MECP_MAX_FILE_MB), in bytes."""
    return int(current_app.config["MAX_FILE_MB"]) * 2**20


def live_index() -> LibraryIndex | None:
    """The live index, or None when there is none yet (or it cannot be opened)."""
    try:
        return get_index()
    except LibraryError:
        return None


def content_digest(stream: IO[bytes]) -> str:
    """The checksum the ingest's manifest keeps of a file's bytes (BLAKE2b, 16 bytes)."""
    digest = hashlib.blake2b(digest_size=16)
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def same_content(digest: str) -> list[str]:
    """Ids of indexed publications whose file has exactly these bytes."""
    lib = live_index()
    documents = lib.manifest().get("documents", {}) if lib else {}
    return sorted(
        doc_id
        for doc_id, record in documents.items()
        if isinstance(record, dict) and str(record.get("hash", "")).split(":")[0] == digest
    )
