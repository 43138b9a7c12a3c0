"""The bundled corpus, ingested once for the tests that read it on purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import pipeline
from library.index import LibraryIndex, open_index
from tests.conftest import ROOT, settings_for

CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[pipeline.Report, Path]:
    """Ingest the real corpus into a temporary index."""
    index_dir = tmp_path_factory.mktemp("corpus-index")
    return pipeline.run(settings_for(CORPUS, index_dir)), index_dir


@pytest.fixture(scope="session")
def corpus_lib(corpus_report: tuple[pipeline.Report, Path]) -> LibraryIndex:
    """The real corpus's index, opened read-only."""
    return open_index(corpus_report[1])
