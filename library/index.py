"""The library's handle on an open index generation, and the door to the engine that wrote it.

open_index() opens the live generation with the engine its mecp.json names (the embedded whoosh
index unless another was chosen); begin_update() and segment_writer() start writing one with the
engine the settings name, and rebuild_reason() says when that engine must start from scratch.
Nothing here knows an engine's files: each engine subpackage (library/whoosh/, library/solr/)
does. May import: generations, caches, engine, errors, settings, vocab, and the engine
subpackages (lazily).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from library import generations
from library.caches import GenerationCaches
from library.engine import Engine, SegmentWriter, Update
from library.errors import IndexUnavailable
from library.generations import current_generation, read_manifest
from library.settings import Settings
from library.vocab import Vocabulary, parse_vocabulary

DEFAULT_ENGINE = "whoosh"
# engine name -> the subpackage implementing it
ENGINES = {"whoosh": "library.whoosh", "solr": "library.solr"}


@dataclass(slots=True)
class LibraryIndex:
    """An open, read-only generation of the index with what search needs beside it."""

    root: Path
    path: Path
    engine: Engine
    vocabulary: Vocabulary
    corpus_dir: Path
    built_at: str
    caches: GenerationCaches = field(default_factory=GenerationCaches)

    def close(self) -> None:
        """Release the engine's open files (no thread may use this LibraryIndex afterwards)."""
        self.engine.close()

    def is_current(self) -> bool:
        """False once an ingest has published a newer generation."""
        return current_generation(self.root) == self.path

    def manifest(self) -> dict[str, Any]:
        """What the documents were built from (written by ingest.pipeline)."""
        return read_manifest(self.path)

    def damage(self) -> list[str]:
        """What is wrong with this generation (checked once), or []."""
        return self.engine.damage()


def engine_module(name: str) -> ModuleType:
    """The subpackage of an engine, imported on first use (an engine's client may be heavy)."""
    if name not in ENGINES:
        raise IndexUnavailable(f"unknown index engine {name!r} (known: {', '.join(ENGINES)})")
    return importlib.import_module(ENGINES[name])


def open_index(root: Path) -> LibraryIndex:
    """Open the live generation read-only with its engine; IndexUnavailable when it cannot be."""
    path = current_generation(root)
    if path is None or not path.is_dir():
        raise IndexUnavailable(f"no index at {root}: run `mecp ingest` first")
    meta = generations.read_meta(path)
    module = engine_module(str(meta.get("engine", DEFAULT_ENGINE)))
    caches = GenerationCaches()
    engine = module.open_engine(root, path, meta, caches)
    try:
        source = (path / generations.VOCABULARY).read_text(encoding="utf-8")
    except OSError as exc:
        engine.close()
        raise IndexUnavailable(f"cannot open the index at {root}: {exc}") from exc
    return LibraryIndex(
        root=root,
        path=path,
        engine=engine,
        vocabulary=parse_vocabulary(source),
        corpus_dir=Path(meta["corpus_dir"]),
        built_at=meta.get("built_at", ""),
        caches=caches,
    )


def begin_update(
    root: Path,
    rebuild: bool,
    settings: Settings | None = None,
    vocabulary: Vocabulary | None = None,
) -> Update:
    """Start writing a new generation with the settings' engine (whoosh without settings):
    empty on rebuild, else from the live one. An engine may need the settings (where a
    SolrCloud is) and the vocabulary (its configset's synonyms); whoosh needs neither."""
    engine = settings.engine if settings else DEFAULT_ENGINE
    update: Update = engine_module(engine).begin_update(root, rebuild, settings, vocabulary)
    return update


def rebuild_reason(root: Path, settings: Settings, vocabulary: Vocabulary) -> str:
    """Why the settings' engine cannot update the live generation in place ("" when it can).

    Called only when the live generation was written by that engine with its schema version.
    """
    meta = generations.read_meta(current_generation(root))
    reason: str = engine_module(settings.engine).rebuild_reason(root, meta, settings, vocabulary)
    return reason


def segment_writer(generation: Path, engine: str = DEFAULT_ENGINE) -> SegmentWriter:
    """A writer of one new segment of a generation being built (used in ingest workers)."""
    writer: SegmentWriter = engine_module(engine).SegmentBuilder(generation)
    return writer


def schema_version(engine: str = DEFAULT_ENGINE) -> int:
    """The version of the index layout an engine writes now (a live one with another is rebuilt)."""
    version: int = engine_module(engine).SCHEMA_VERSION
    return version


def live_engine(root: Path) -> str:
    """The engine of the live generation (the default when there is none)."""
    meta = generations.read_meta(current_generation(root))
    return str(meta.get("engine", DEFAULT_ENGINE))


def check_index(root: Path) -> tuple[str, list[str]]:
    """Verify the live generation with its engine: a one-line summary and the problems found."""
    path = current_generation(root)
    if path is None or not path.is_dir():
        return f"no index at {root}", [f"no live generation at {root}: run `mecp ingest`"]
    meta = generations.read_meta(path)
    module = engine_module(str(meta.get("engine", DEFAULT_ENGINE)))
    problems: list[str] = module.check(path, meta)
    summary = (
        f"{path.name}: {meta.get('documents', '?')} documents, built {meta.get('built_at', '?')}"
    )
    return summary, problems
