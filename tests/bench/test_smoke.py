"""`python -m bench` end to end on a tiny corpus: every measurement runs on the current code.

Figures are not checked (they are measured, not asserted); that the benchmark runs at all is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.servers import ROOT


def test_the_benchmark_runs_on_a_tiny_corpus(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--docs", "40", "--name", "smoke", "--skip-http",
         "--skip-baselines", "--work", str(tmp_path / "work"), "--results", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads((tmp_path / "smoke.json").read_text(encoding="utf-8"))
    assert results["snippets"]["hits"] > 0
