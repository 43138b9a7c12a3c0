"""`mecp serve` with several processes: one port, children replaced when they die, no orphans."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.servers import running_server


def _children(pid: int) -> set[int]:
    """The child processes of pid (Linux /proc)."""
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="utf-8")
    return {int(part) for part in text.split()}


def _alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition: object, timeout: float = 15.0) -> bool:
    """Poll a zero-argument callable until it returns true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def _search(url: str, q: str) -> int:
    """Total hits of one API search."""
    with urllib.request.urlopen(f"{url}/api/search?q={q}", timeout=10) as response:
        total: int = json.load(response)["total"]
        return total


def test_two_processes_share_the_port_and_a_dead_one_is_replaced(index_dir: Path) -> None:
    """Every request is answered; killing a child leaves the other serving and brings a new one."""
    with running_server(index_dir, "--processes", "2") as (url, proc):
        assert _wait_for(lambda: len(_children(proc.pid)) == 2)
        with ThreadPoolExecutor(8) as pool:
            totals = list(pool.map(lambda _: _search(url, "abduction"), range(40)))
        assert len(set(totals)) == 1
        assert totals[0] > 0

        first = _children(proc.pid)
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        assert _wait_for(
            lambda: len(_children(proc.pid)) == 2 and victim not in _children(proc.pid)
        )
        assert _search(url, "abduction") == totals[0]

        survivors = _children(proc.pid)
        proc.terminate()
        assert proc.wait(timeout=10) == 0
        assert _wait_for(lambda: not any(_alive(pid) for pid in survivors))
        with socket.socket() as sock:  # nothing listens on the port any more
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past TIME_WAIT
            sock.bind(("127.0.0.1", int(url.rsplit(":", 1)[1])))
            sock.listen()


def test_children_stop_when_the_parent_is_killed(index_dir: Path) -> None:
    """SIGKILL of the parent (no chance to clean up) still leaves no process on the port."""
    with running_server(index_dir, "--processes", "2") as (url, proc):
        assert _wait_for(lambda: len(_children(proc.pid)) == 2)
        children = _children(proc.pid)
        proc.kill()
        proc.wait(timeout=10)
        assert _wait_for(lambda: not any(_alive(pid) for pid in children))
