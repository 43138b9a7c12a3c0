"""Starting and stopping a real `mecp serve` for tests."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 30  # seconds for the server to listen
ANNOUNCED = re.compile(r"Serving the MECP Resource Library on (http://\S+) ")


def read_address(proc: subprocess.Popen[str]) -> str:
    """The base URL `mecp serve` announces once its port is bound; fail if it never does.

    The rest of its output is read on (and dropped), so the pipe never fills.
    """
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        with proc.stdout:  # closed by this thread, at the end of the output
            for line in proc.stdout:
                lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            pytest.fail(f"mecp serve exited with {proc.wait(timeout=10)} before serving")
        found = ANNOUNCED.search(line)
        if found:
            return found.group(1).rstrip("/")
    pytest.fail(f"mecp serve announced no address within {START_TIMEOUT}s")


@contextlib.contextmanager
def running_server(
    index: Path, *extra: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`mecp serve` over index on a port the system picks: (base URL, process); always stopped.

    Port 0 and the announced address leave no window in which another process could take a
    port picked in advance.
    """
    command = [sys.executable, "-m", "mecp", "serve", "--index", str(index),
               "--host", "127.0.0.1", "--port", "0", *extra]  # fmt: skip
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **(env or {})},
    )
    try:
        url = read_address(proc)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
