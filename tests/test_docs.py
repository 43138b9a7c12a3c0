"""The README documents every setting and the commands a fresh machine needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from library.settings import VARIABLES, load_settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "default", "help_"), VARIABLES)
def test_every_setting_is_documented_with_its_default(name: str, default: str, help_: str) -> None:
    """Each variable appears in the README's table with its default."""
    row = next((line for line in README.splitlines() if line.startswith(f"| `{name}`")), "")
    assert row, f"{name} is missing from README.md"
    assert (f"`{default}`" if default else "*(empty)*") in row


def test_the_two_setup_commands_are_documented() -> None:
    """`make run` and `make test` are the whole set-up."""
    assert "make run" in README
    assert "make test" in README


def test_settings_come_from_the_environment_with_overrides_winning() -> None:
    """Environment first, then explicit overrides; relative paths stay relative."""
    settings = load_settings({"MECP_PORT": "9000", "MECP_INDEX_DIR": "x/ix"}, host="0.0.0.0")
    assert (settings.port, str(settings.index_dir), settings.host) == (9000, "x/ix", "0.0.0.0")
    assert str(settings.vocabulary) == "corpus/vocabulary.toml"


def test_a_malformed_number_names_the_variable() -> None:
    """MECP_PORT=abc is a usage error that says which variable."""
    with pytest.raises(ValueError, match="MECP_PORT"):
        load_settings({"MECP_PORT": "abc"})
