"""Running the production `mecp` command as a user without privileges, for permission tests.

Root ignores file permissions, so a test of an unreadable file run as root proves nothing. As
root, commands run as `nobody` through setpriv, with a virtual environment made from the
system's Python in a folder nobody can read (the project's own interpreter may live in root's
home), pointing at this checkout and its installed packages. As any other user they run as that
user.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOBODY = 65534
SYSTEM_PYTHON = Path("/usr/bin/python3")
IMPORTS = "import library, ingest, mecp, whoosh, pypdf, bs4, flask"


def as_root() -> bool:
    """Whether the tests run as root (who must drop privileges for a permission test)."""
    return os.geteuid() == 0


def hand_over(path: Path) -> None:
    """Give a test folder and everything in it to the user the commands run as."""
    if as_root():
        for item in [path, *path.rglob("*")]:
            os.chown(item, NOBODY, NOBODY, follow_symlinks=False)
        # its parents must be passable (pytest's own tmp folders are root's alone)
        for parent in path.parents:
            if parent == Path("/tmp") or parent == Path("/"):
                break
            parent.chmod(parent.stat().st_mode | 0o011)


def workspace() -> Path:
    """A fresh folder that the unprivileged user owns and can reach."""
    path = Path(tempfile.mkdtemp(prefix="mecp-nobody-", dir="/tmp"))
    path.chmod(0o755)
    hand_over(path)
    return path


def run_unprivileged(
    args: Sequence[str], timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m mecp ARGS` as the unprivileged user; the harness, not the product, times out."""
    return _run_python(["-m", "mecp", *args], timeout, env)


def run_python_unprivileged(
    code: str, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -c CODE` as the unprivileged user, in the project's environment."""
    return _run_python(["-c", code], timeout, env)


def _run_python(
    args: Sequence[str], timeout: float, env: dict[str, str] | None
) -> subprocess.CompletedProcess[str]:
    """The project's Python with args as the unprivileged user, in /tmp, with a bare environment."""
    return subprocess.run(
        [*_prefix(), *args],
        cwd="/tmp",
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", **(env or {})},
    )


def _prefix() -> list[str]:
    """How to start the project's Python as the unprivileged user."""
    if not as_root():
        return [sys.executable]
    return [
        "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
        str(_nobody_python()),
    ]  # fmt: skip


@functools.cache
def _nobody_python() -> Path:
    """A virtual environment of the system Python that nobody can run, with our packages."""
    if shutil.which("setpriv") is None:
        pytest.fail("setpriv (util-linux) is needed to run permission tests as root")
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    if not SYSTEM_PYTHON.exists() or _version(SYSTEM_PYTHON) != version:
        pytest.fail(f"the permission tests need Debian's python{version} at {SYSTEM_PYTHON}")
    venv = Path(tempfile.mkdtemp(prefix="mecp-nobody-python-", dir="/tmp"))
    atexit.register(shutil.rmtree, venv, ignore_errors=True)
    venv.chmod(0o755)
    subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", "--without-pip", str(venv)], check=True)
    site = venv / "lib" / f"python{version}" / "site-packages"
    packages = Path(sysconfig.get_paths()["purelib"])
    (site / "mecp-tests.pth").write_text(f"{ROOT}\n{packages}\n", encoding="utf-8")
    python = venv / "bin" / "python"
    if not _can_import(python):  # the checkout or its packages are not readable by nobody
        shutil.copytree(ROOT, venv / "project", ignore=shutil.ignore_patterns(".venv", ".git"))
        shutil.copytree(packages, venv / "packages")
        (site / "mecp-tests.pth").write_text(
            f"{venv / 'project'}\n{venv / 'packages'}\n", encoding="utf-8"
        )
        if not _can_import(python):
            pytest.fail("cannot run the project's Python as an unprivileged user")
    return python


def _can_import(python: Path) -> bool:
    """Whether the unprivileged user can import the project with this interpreter."""
    probe = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    done = subprocess.run(
        [*probe, str(python), "-c", IMPORTS], capture_output=True, cwd="/tmp", check=False
    )
    return done.returncode == 0


def _version(python: Path) -> str:
    """A Python's major.minor version."""
    done = subprocess.run(
        [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()
