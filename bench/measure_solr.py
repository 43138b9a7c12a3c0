"""The Solr engine beside whoosh: `python -m bench.measure_solr --docs N` (`make bench-solr`).

Starts the SolrCloud harness (solr/launcher: ZooKeeper and two Solr nodes in one JVM), then runs
`mecp ingest --rebuild` into a new 2 shards x 2 replicas collection, an unchanged re-run, and the
whoosh ingest of the same corpus, each in a subprocess measured as measure_ingest measures (wall,
CPU, peak RSS of the ingest's process tree). The harness JVM's RSS is sampled during the build
and read after it, and its CPU time counted over the build. Then, on each engine's index, the
searches of `make bench` (in process, per query kind) and the HTTP load of `make bench` (8
clients on /api/search and /search), with the JVM's memory sampled while Solr answers. Writes
bench/results/solr-NAME.json and prints markdown tables. May import: bench, library.
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

from bench.generate import MEDIAN_WORDS, ensure_corpus
from bench.lexicon import build_lexicon
from bench.measure_http import measure_http
from bench.measure_ingest import ingest_run, run_dict
from bench.measure_search import WARMUP, our_engine, time_engine
from bench.procs import REPO, RssSampler, machine, memory_mb
from bench.queries import KINDS, build_queries, warmup_queries
from library.generations import current_generation, read_meta
from library.vocab import load_vocabulary

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
    corpus: Path,
    work: Path,
    workers: int | None,
    nodes: list[str] | None = None,
    searching: Searching | None = None,
) -> dict[str, Any]:
    """Solr full build and unchanged re-run, and the whoosh build of the same corpus; on the
    given SolrCloud nodes, or on a harness started for the run (its JVM's memory measured);
    with searching, the searches and HTTP load on both indexes."""
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
        solr_search: dict[str, Any] = {}
        if searching:
            with contextlib.ExitStack() as stack:
                sampler = stack.enter_context(RssSampler(proc.pid)) if proc else None
                solr_search = searching.run(solr_index, work / "serve-solr.log")
            if proc and sampler:
                solr_search["jvm_peak_rss_mb"] = round(sampler.peak_mb, 1)
    finally:
        if proc:
            stop_harness(proc)
    whoosh_index = work / "index-whoosh"
    shutil.rmtree(whoosh_index, ignore_errors=True)
    whoosh_load = os.getloadavg()[0]
    whoosh = ingest_run([*common, "--index", str(whoosh_index), "--rebuild"])
    whoosh_docs = int(read_meta(current_generation(whoosh_index))["documents"])
    whoosh_search = searching.run(whoosh_index, work / "serve-whoosh.log") if searching else {}
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
            **solr_search,
        },
        "whoosh": {
            **run_dict(whoosh["run"]),
            "documents": whoosh_docs,
            "docs_per_s": round(whoosh_docs / whoosh["run"].wall_s, 2),
            "load_before": round(whoosh_load, 2),
            **whoosh_search,
        },
    }


class Searching:
    """The searches and HTTP load of `make bench`, for one corpus, run on any engine's index."""

    def __init__(self, corpus: Path, seed: int, per_kind: int, duration: float, clients: int):
        """The queries of the corpus's vocabulary and seed, as `python -m bench` makes them."""
        lexicon = build_lexicon(load_vocabulary(corpus / "vocabulary.toml"), seed)
        self.queries = build_queries(lexicon, seed, per_kind)
        self.warmup = warmup_queries(lexicon, seed, self.queries, WARMUP)
        self.duration, self.clients = duration, clients

    def run(self, index_dir: Path, log: Path) -> dict[str, Any]:
        """In-process search latency per query kind, then the HTTP load on `mecp serve`."""
        search = time_engine(our_engine(index_dir), self.queries, self.warmup)
        http = measure_http(index_dir, self.queries, self.duration, self.clients, log)
        return {"search": search, "http": http}


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
    if "search" in solr:
        rows += ["", "| query kind (in process) | solr p50 ms | solr p95 ms | whoosh p50 ms "
                 "| whoosh p95 ms |", "|---|---|---|---|---|"]  # fmt: skip
        for kind in KINDS:
            on_solr, on_whoosh = solr["search"][kind], results["whoosh"]["search"][kind]
            rows.append(
                f"| {kind} | {on_solr['p50']} | {on_solr['p95']} | {on_whoosh['p50']} "
                f"| {on_whoosh['p95']} |"
            )
        rows += ["", "| HTTP, 8 clients | engine | requests/s | p50 ms | p99 ms | errors "
                 "| server RSS after, MB |", "|---|---|---|---|---|---|---|"]  # fmt: skip
        for name in ("solr", "whoosh"):
            http = results[name]["http"]
            for endpoint in ("api", "html"):
                h = http.get(endpoint, {})
                rows.append(
                    f"| {endpoint} | {name} | {h.get('requests_per_s')} | {h.get('p50')} "
                    f"| {h.get('p99')} | {h.get('errors')} | {http.get('rss_after_mb')} |"
                )
        rows += [
            "",
            f"Harness JVM while Solr answered: {solr.get('jvm_peak_rss_mb', '?')} MB at most.",
        ]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Measure, write the JSON, print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.measure_solr", description=__doc__)
    parser.add_argument("--docs", type=int, default=10_000, help="documents (default 10000)")
    parser.add_argument("--seed", type=int, default=5, help="corpus seed (default 5)")
    parser.add_argument("--work", type=Path, default=REPO / "bench" / "work", help="scratch folder")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "results")
    parser.add_argument("--workers", type=int, help="ingest extraction processes")
    parser.add_argument("--queries", type=int, default=50, help="queries per kind (default 50)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of HTTP load (20)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients (8)")
    parser.add_argument("--skip-search", action="store_true", help="measure the ingest only")
    parser.add_argument(
        "--median-words",
        type=int,
        default=MEDIAN_WORDS,
        help=f"median words a document (default {MEDIAN_WORDS}; 300 for short documents)",
    )
    args = parser.parse_args(argv)
    work = args.work.resolve()
    started = time.monotonic()
    corpus, info = ensure_corpus(work, args.docs, args.seed, VOCABULARY, args.median_words)
    name = corpus.name.removeprefix("corpus-")
    run = work / f"run-solr-{name}"
    run.mkdir(parents=True, exist_ok=True)
    results = {"docs": args.docs, "machine": machine(), "corpus": info}
    searching = None
    if not args.skip_search:
        searching = Searching(corpus, args.seed, args.queries, args.duration, args.clients)
    results |= measure(corpus, run, args.workers, searching=searching)
    results["bench_seconds"] = round(time.monotonic() - started, 1)
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"solr-{name}.json"
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
