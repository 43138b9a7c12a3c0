"""The message catalogs: every string marked for translation has a Spanish translation.

The strings are extracted from the templates and Python code exactly as `make messages` does
(pybabel with babel.cfg), then compared with webapp/translations/es/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "webapp" / "translations"
SPANISH = CATALOGS / "es" / "LC_MESSAGES" / "messages.po"


def _read(path: Path, locale: str | None = None) -> Catalog:
    """A .po or .pot file as a Babel catalog."""
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """Every marked string of the webapp, extracted by pybabel as `make messages` does."""
    pot = tmp_path_factory.mktemp("messages") / "messages.pot"
    pybabel = [sys.executable, "-c", "from babel.messages.frontend import main; main()"]
    args = ["-q", "extract", "-F", "babel.cfg", "-k", "lazy_gettext", "-o", str(pot), "."]
    subprocess.run([*pybabel, *args], cwd=ROOT, check=True, capture_output=True)
    return _read(pot)


def _key(msgid: str | tuple[str, ...]) -> str:
    """The singular msgid of a message."""
    return msgid if isinstance(msgid, str) else msgid[0]


def test_extraction_finds_the_interface_strings(extracted: Catalog) -> None:
    ids = {_key(m.id) for m in extracted if m.id}
    assert "If a child is missing right now" in ids  # a template string
    assert "Page not found" in ids  # a Python string (webapp/errors.py)
    assert len(ids) > 100


def test_every_marked_string_has_a_spanish_translation(extracted: Catalog) -> None:
    spanish = _read(SPANISH, "es")
    missing = []
    for message in extracted:
        if not message.id:
            continue
        found = spanish.get(message.id)
        strings = () if found is None else found.string
        strings = (strings,) if isinstance(strings, str) else strings
        if found is None or "fuzzy" in found.flags or not strings or not all(strings):
            missing.append(_key(message.id))
    assert not missing, "untranslated (run `make messages`, then translate): " + repr(missing)


def test_spanish_translations_keep_every_placeholder() -> None:
    spanish = _read(SPANISH, "es")
    problems = [f"{_key(message.id)!r}: {errors}" for message, errors in spanish.check() if errors]
    assert not problems


def test_the_compiled_catalog_is_current() -> None:
    compiled = SPANISH.with_suffix(".mo")
    assert compiled.is_file(), "run `make translations` to compile the catalogs"
    assert compiled.stat().st_mtime >= SPANISH.stat().st_mtime, "run `make translations`"
