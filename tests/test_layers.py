"""Every module says what it may import, and says it truly.

The layers between packages are import-linter's contracts (make check); this holds each module's
own "May import:" line to the imports it really makes of the project's packages.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("library", "ingest", "webapp", "mecp")
MODULES = sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def _module_name(path: Path) -> str:
    """The dotted name of a module file."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_imports(tree: ast.Module, name: str) -> set[str]:
    """The project modules a module imports (relative imports resolved)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(name.split(".")[: -node.level] + ([base] if base else []))
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {f for f in found if f.split(".")[0] in PACKAGES and f != name}


def _allowed(line: str) -> set[str]:
    """The names a "May import:" line lists (words and dotted words)."""
    return {word.rstrip(".") for word in re.findall(r"[A-Za-z_][\w.]*", line)}


def _covered(imported: str, allowed: set[str]) -> bool:
    """Whether the line names an import: itself, a package holding it, or either without its
    leading packages (library.whoosh.schema may be named 'whoosh.schema' or 'schema')."""
    parts = imported.split(".")
    names = {".".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}
    return bool(names & allowed)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_may_import_line_names_every_project_module_imported(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstring = ast.get_docstring(tree) or ""
    if path.name in ("__main__.py",) or not docstring:
        pytest.skip("an entry point or an empty package marker")
    match = re.search(r"May import:(.*?)(?:\n\n|$)", docstring, re.S)
    assert match, f"{path.relative_to(ROOT)} has no 'May import:' line"
    allowed = _allowed(match.group(1))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    own = "own modules" in match.group(1)  # a package's __init__ gathering its modules
    imported = _project_imports(tree, name)
    missing = sorted(
        i
        for i in imported
        if not _covered(i, allowed) and not (own and i.startswith(package + "."))
    )
    assert not missing, f"{path.relative_to(ROOT)} imports {missing} but says {match.group(1)!r}"
