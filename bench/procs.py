"""Subprocesses measured from outside: wall and CPU time, and the RSS of the whole process tree.

RSS is sampled every 50 ms from /proc/<pid>/status (VmRSS) of the process and all its
descendants; the peak is the largest sum seen. CPU time is the rise of RUSAGE_CHILDREN across
the run, which includes grandchildren their parents waited for (the ingest joins its workers).
May import: stdlib.
"""

from __future__ import annotations

import os
import platform
import resource
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

INTERVAL = 0.05
REPO = Path(__file__).resolve().parents[1]


def _children_map() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc/*/stat."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the name in brackets may hold spaces
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_pids(root: int) -> list[int]:
    """root and every live descendant."""
    tree = _children_map()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, ()))
    return found


def rss_mb(pid: int) -> float:
    """Resident set size of one process in MB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def memory_mb(pid: int) -> dict[str, float]:
    """RSS split into anonymous and file-backed pages, and PSS (shared pages divided among their
    mappings: a file mapped by 8 readers counts 8 times in RSS but once in PSS)."""
    found: dict[str, float] = {}
    try:
        for name in ("status", "smaps_rollup"):
            with open(f"/proc/{pid}/{name}", encoding="ascii", errors="replace") as handle:
                for line in handle:
                    key = line.split(":", 1)[0]
                    if key in ("VmRSS", "RssAnon", "RssFile", "Pss"):
                        found[key] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return {
        "rss": found.get("VmRSS", 0.0),
        "anon": found.get("RssAnon", 0.0),
        "file": found.get("RssFile", 0.0),
        "pss": found.get("Pss", 0.0),
    }


def tree_memory_mb(root: int) -> dict[str, float]:
    """memory_mb summed over root and its descendants (the serving processes of `mecp serve`)."""
    total = {"rss": 0.0, "anon": 0.0, "file": 0.0, "pss": 0.0}
    for pid in tree_pids(root):
        for key, value in memory_mb(pid).items():
            total[key] = round(total[key] + value, 1)
    total["processes"] = float(len(tree_pids(root)))
    return total


def tree_rss_mb(root: int) -> float:
    """Sum of the RSS of root and its descendants, in MB."""
    return sum(rss_mb(pid) for pid in tree_pids(root))


@dataclass(slots=True)
class RssSampler:
    """Polls a process tree's RSS in a background thread while in a with block."""

    root: int
    peak_mb: float = 0.0
    largest_process_mb: float = 0.0
    processes: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> RssSampler:
        """Start polling."""
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop polling."""
        self._stop.set()
        if self._thread:
            self._thread.join()

    def _poll(self) -> None:
        """Sample until stopped."""
        while not self._stop.is_set():
            sizes = [rss_mb(pid) for pid in tree_pids(self.root)]
            self.peak_mb = max(self.peak_mb, sum(sizes))
            self.largest_process_mb = max(self.largest_process_mb, *sizes, 0.0)
            self.processes = max(self.processes, sum(1 for s in sizes if s))
            self._stop.wait(INTERVAL)


@dataclass(frozen=True, slots=True)
class Run:
    """How a measured subprocess went."""

    returncode: int
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    largest_process_mb: float
    processes: int
    stdout: str
    stderr: str


def run_measured(args: list[str], timeout: float | None = None) -> Run:
    """Run python with args from the repository root, measuring time, CPU and tree RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    with RssSampler(proc.pid) as sampler:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(
        proc.returncode,
        wall,
        cpu,
        sampler.peak_mb,
        sampler.largest_process_mb,
        sampler.processes,
        out,
        err,
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def dir_size_mb(path: Path) -> float:
    """Total size of the files under path, in MB."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def machine() -> dict[str, object]:
    """Cores, CPU model, memory, Python and the code's commit, for the results file."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kb = 0
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "library", "ingest", "webapp"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "memory_gb": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit + ("+uncommitted" if dirty else ""),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }
