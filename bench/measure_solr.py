"""Solr ingest beside whoosh: `python -m bench.measure_solr --docs N` (`make bench-solr`).

Starts the SolrCloud harness (solr/launcher: ZooKeeper and two Solr nodes in one JVM), then runs
`mecp ingest --rebuild` into a new 2 shards x 2 replicas collection, an unchanged re-run, and the
whoosh ingest of the same corpus, each in a subprocess measured as measure_ingest measures (wall,
CPU, peak RSS of the ingest's process tree). The harness JVM's RSS is sampled during the build and read after it, and its CPU time
counted over the build. Writes
bench/results/solr-NAME.json and prints a markdown table. May import: bench, library.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.generate import ensure_corpus
from bench.measure_ingest import ingest_run, run_dict
from bench.procs import REPO, RssSampler, machine, memory_mb
from library.generations import current_generation, read_meta

LAUNCHER = REPO / "solr" / "launcher" / "target" / "mecp-solr-launcher.jar"
VOCABULARY = REPO / "corpus" / "vocabulary.toml"
START_TIMEOUT = 180.0
ALIAS = "mecp-bench"


def start_harness(data: Path) -> tuple[subprocess.Popen[str], list[str]]:
    """Start the launcher with its data under data; the process and its nodes' base URLs."""
    if not LAUNCHER.exists():
        raise RuntimeError(f"{LAUNCHER.relative_to(REPO)} is missing: run `make solr-launcher`")
    shutil.rmtree(data, ignore_errors=True)
    proc = subprocess.Popen(
        ["java", "-Xmx1g", "-jar", str(LAUNCHER), str(data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the launcher prints its ready line, or exits
    if not line:
        proc.wait(timeout=START_TIMEOUT)
        raise RuntimeError(f"the Solr launcher exited ({proc.returncode}); see {data}/logs")
    return proc, list(json.loads(line)["nodes"])


def stop_harness(proc: subprocess.Popen[str]) -> None:
    """Close the launcher's input (a clean shutdown); kill it if it lingers."""
    if proc.stdin:
        proc.stdin.close()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def measure(
    corpus: Path, work: Path, workers: int | None, nodes: list[str] | None = None
) -> dict[str, Any]:
    """Solr full build and unchanged re-run, and the whoosh build of the same corpus; on the
    given SolrCloud nodes, or on a harness started for the run (its JVM's memory measured)."""
    proc = None
    if nodes is None:
        proc, nodes = start_harness(work / "solr")
    try:
        solr_index = work / "index-solr"
        shutil.rmtree(solr_index, ignore_errors=True)
        common = ["-m", "mecp", "ingest", "--corpus", str(corpus)]
        common += ["--workers", str(workers)] if workers else []
        solr = [*common, "--index", str(solr_index), "--engine", "solr"]
        solr += ["--solr-url", ",".join(nodes), "--solr-alias", ALIAS]
        solr += ["--shards", "2", "--replicas", "2"]
        solr_load = os.getloadavg()[0]
        cpu = _cpu_s(proc.pid) if proc else 0.0
        with contextlib.ExitStack() as stack:
            sampler = stack.enter_context(RssSampler(proc.pid)) if proc else None
            full = ingest_run([*solr, "--rebuild"])
        jvm: dict[str, float] = memory_mb(proc.pid) if proc else {}
        if proc and sampler:
            jvm["peak_rss_during_build"] = round(sampler.peak_mb, 1)
            jvm["cpu_s_during_build"] = round(_cpu_s(proc.pid) - cpu, 1)
        rerun = ingest_run(solr)
        documents = int(read_meta(current_generation(solr_index))["documents"])
    finally:
        if proc:
            stop_harness(proc)
    whoosh_index = work / "index-whoosh"
    shutil.rmtree(whoosh_index, ignore_errors=True)
    whoosh_load = os.getloadavg()[0]
    whoosh = ingest_run([*common, "--index", str(whoosh_index), "--rebuild"])
    whoosh_docs = int(read_meta(current_generation(whoosh_index))["documents"])
    return {
        "solr": {
            **run_dict(full["run"]),
            "documents": documents,
            "docs_per_s": round(documents / full["run"].wall_s, 2),
            "rerun_wall_s": round(rerun["run"].wall_s, 3),
            "jvm_mb": jvm,
            "load_before": round(solr_load, 2),
            "shards": 2,
            "replicas": 2,
        },
        "whoosh": {
            **run_dict(whoosh["run"]),
            "documents": whoosh_docs,
            "docs_per_s": round(whoosh_docs / whoosh["run"].wall_s, 2),
            "load_before": round(whoosh_load, 2),
        },
    }


def _cpu_s(pid: int) -> float:
    """CPU seconds a process has used (user and system, from /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def markdown(results: dict[str, Any]) -> str:
    """The results as a markdown table."""
    rows = [
        "| Ingest (`--rebuild`) | documents | wall s | docs/s | CPU s | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("solr", "whoosh"):
        r = results[name]
        rows.append(
            f"| {name} | {r['documents']} | {r['wall_s']} | {r['docs_per_s']} | {r['cpu_s']} "
            f"| {r['peak_rss_mb']} |"
        )
    solr = results["solr"]
    rows.append("")
    rows.append(
        f"Solr unchanged re-run: {solr['rerun_wall_s']} s. Harness JVM after the build "
        f"(ZooKeeper and both nodes): RSS {solr['jvm_mb'].get('rss', '?')} MB, "
        f"{solr['jvm_mb'].get('peak_rss_during_build', '?')} MB at most during the build, "
        f"{solr['jvm_mb'].get('cpu_s_during_build', '?')} s of CPU during the build."
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Measure, write the JSON, print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.measure_solr", description=__doc__)
    parser.add_argument("--docs", type=int, default=10_000, help="documents (default 10000)")
    parser.add_argument("--seed", type=int, default=5, help="corpus seed (default 5)")
    parser.add_argument("--work", type=Path, default=REPO / "bench" / "work", help="scratch folder")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "results")
    parser.add_argument("--workers", type=int, help="ingest extraction processes")
    args = parser.parse_args(argv)
    work = args.work.resolve()
    started = time.monotonic()
    corpus, info = ensure_corpus(work, args.docs, args.seed, VOCABULARY)
    run = work / f"run-solr-{args.docs}"
    run.mkdir(parents=True, exist_ok=True)
    results = {"docs": args.docs, "machine": machine(), "corpus": info}
    results |= measure(corpus, run, args.workers)
    results["bench_seconds"] = round(time.monotonic() - started, 1)
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"solr-{args.docs}.json"
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
