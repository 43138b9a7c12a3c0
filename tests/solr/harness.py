"""Driving the SolrCloud harness (solr/launcher) from tests: start it, send it commands, stop it."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import IO, Any

from tests.servers import ROOT

LAUNCHER_DIR = ROOT / "solr" / "launcher"
LAUNCHER = LAUNCHER_DIR / "target" / "mecp-solr-launcher.jar"
REQUIRE = "MECP_REQUIRE_SOLR"  # set to 1 (CI does) and a missing harness fails instead of skipping
START_TIMEOUT = 180  # seconds for the cluster to be ready (the first start on a slow machine)
COMMAND_TIMEOUT = 120  # seconds for one command (a restarted node's replicas to recover)
HEAP = os.environ.get("MECP_SOLR_HEAP", "1g")


class HarnessError(RuntimeError):
    """The harness did not start, or did not answer a command in time."""


def unavailable() -> str | None:
    """Why the harness cannot run here (no Java; no jar and no Maven to build it), or None."""
    if shutil.which("java") is None:
        return "java is not installed: the SolrCloud harness cannot run"
    if not LAUNCHER.exists() and shutil.which("mvn") is None:
        return f"{LAUNCHER.relative_to(ROOT)} is not built and mvn is not installed"
    return None


def build_launcher() -> None:
    """Build the launcher jar if it is missing (`make solr-launcher` does the same)."""
    if LAUNCHER.exists():
        return
    done = subprocess.run(
        ["mvn", "-B", "-q", "package"],
        cwd=LAUNCHER_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if done.returncode != 0:
        raise HarnessError(f"mvn package failed in {LAUNCHER_DIR}:\n{done.stdout[-3000:]}")


class Harness:
    """A running launcher: its ready line's facts, and its stdin for commands."""

    def __init__(self, data: Path) -> None:
        """Start the cluster with its data under data and wait until it is ready."""
        self.data = data
        self._stderr = (data.parent / f"{data.name}-stderr.log").open("w")
        self.proc = subprocess.Popen(
            ["java", f"-Xmx{HEAP}", "-jar", str(LAUNCHER), str(data)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            bufsize=1,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        assert self.proc.stdout is not None
        threading.Thread(target=_pump, args=(self.proc.stdout, self._lines), daemon=True).start()
        try:
            ready = self._read(START_TIMEOUT)
        except HarnessError:
            self.close()
            raise
        self.nodes: list[str] = ready["nodes"]
        self.zk_host: str = ready["zk_host"]
        self.startup_seconds: float = ready["seconds"]

    def command(self, line: str) -> dict[str, Any]:
        """Send one command ("stop 1", "start 1", "status") and return its JSON answer."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self._read(COMMAND_TIMEOUT)

    def _read(self, timeout: float) -> dict[str, Any]:
        """The next JSON line from the launcher."""
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise HarnessError(f"the launcher said nothing for {timeout}s") from None
        if line is None:
            log = self.data / "logs" / "solr.log"
            raise HarnessError(f"the launcher exited ({self.proc.poll()}); see {log}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        """Stop the cluster: close stdin (a clean shutdown), then terminate if it lingers."""
        if self.proc.stdin and not self.proc.stdin.closed:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        self._stderr.close()


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Move the launcher's stdout lines to a queue; None when it ends."""
    for line in stream:
        if line.strip():
            lines.put(line)
    lines.put(None)
