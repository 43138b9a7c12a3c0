"""The README documents every setting and the commands a fresh machine needs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from library.settings import VARIABLES, load_settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "default", "help_"), VARIABLES)
def test_every_setting_is_documented_with_its_default(name: str, default: str, help_: str) -> None:
    """Each variable appears in the README's table with its default."""
    row = next((line for line in README.splitlines() if line.startswith(f"| `{name}`")), "")
    assert row, f"{name} is missing from README.md"
    assert (f"`{default}`" if default else "*(empty)*") in row


def test_every_make_command_the_readme_gives_is_a_target_of_the_makefile() -> None:
    """`make run` and `make test` (the whole set-up) and the others the README names exist."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.M))
    named = set(re.findall(r"(?:`|^ *)make ([a-z][\w-]*)", README, flags=re.M))
    assert {"run", "test"} <= named
    assert named <= targets, f"the README names make targets that do not exist: {named - targets}"


def test_settings_come_from_the_environment_with_overrides_winning() -> None:
    """Environment first, then explicit overrides; relative paths stay relative."""
    settings = load_settings({"MECP_PORT": "9000", "MECP_INDEX_DIR": "x/ix"}, host="0.0.0.0")
    assert (settings.port, str(settings.index_dir), settings.host) == (9000, "x/ix", "0.0.0.0")
    assert str(settings.vocabulary) == "corpus/vocabulary.toml"


def test_a_malformed_number_names_the_variable() -> None:
    """MECP_PORT=abc is a usage error that says which variable."""
    with pytest.raises(ValueError, match="MECP_PORT"):
        load_settings({"MECP_PORT": "abc"})
