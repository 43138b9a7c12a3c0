"""HTTP throughput and latency of `mecp serve` (waitress) under a bounded load generator: a fixed
number of client threads, each with one keep-alive connection, for a fixed time, on 127.0.0.1.

May import: bench.
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.procs import REPO, RssSampler, free_port, tree_memory_mb, tree_rss_mb
from bench.queries import Query
from bench.stats import summarize_ms

HOST = "127.0.0.1"
ENDPOINTS = {"api": "/api/search", "html": "/search"}
START_TIMEOUT = 60.0
WARMUP_S = 2.0


def measure_http(
    index_dir: Path, queries: dict[str, list[Query]], duration: float, clients: int, log: Path
) -> dict[str, Any]:
    """Start the server, load each endpoint in turn, record RSS; always stop the server."""
    port = free_port()
    args = [
        "-m",
        "mecp",
        "serve",
        "--index",
        str(index_dir),
        "--host",
        HOST,
        "--port",
        str(port),
    ]
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [sys.executable, *args], cwd=REPO, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        if not _wait_ready(server, port):
            tail = log.read_text(encoding="utf-8", errors="replace")[-1500:]
            return {"error": f"the server did not start: {tail.strip()}"}
        results: dict[str, Any] = {"clients": clients, "duration_s": duration}
        mixed = [q for group in zip(*queries.values(), strict=False) for q in group]
        with RssSampler(server.pid) as sampler:
            results["rss_start_mb"] = round(tree_rss_mb(server.pid), 1)
            for name, path in ENDPOINTS.items():
                urls = [f"{path}?{urlencode(_params(q))}" for q in mixed]
                load(port, urls, WARMUP_S, clients)
                results[name] = load(port, urls, duration, clients)
        results["rss_after_mb"] = round(tree_rss_mb(server.pid), 1)
        results["memory_after_mb"] = tree_memory_mb(server.pid)
        results["rss_peak_mb"] = round(sampler.peak_mb, 1)
        return results
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _params(query: Query) -> list[tuple[str, str]]:
    """The query string pairs of a search (topic and audience repeatable)."""
    pairs = [("q", query.text)]
    pairs += [("topic", t) for t in query.topics] + [("audience", a) for a in query.audiences]
    return pairs


def _wait_ready(server: subprocess.Popen[bytes], port: int) -> bool:
    """True once the server answers any HTTP request; False if it exits or times out."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def load(port: int, urls: list[str], duration: float, clients: int) -> dict[str, Any]:
    """clients threads request urls round-robin for duration seconds; rate, latency, errors."""
    started = time.perf_counter()
    deadline = started + duration
    with ThreadPoolExecutor(clients) as pool:
        parts = list(
            pool.map(lambda k: _client(port, urls[k::clients] or urls, deadline), range(clients))
        )
    elapsed = time.perf_counter() - started
    latencies = [x for lat, _ in parts for x in lat]
    statuses: Counter[int] = sum((c for _, c in parts), Counter())
    return {
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        **summarize_ms(latencies),
        "errors": sum(n for status, n in statuses.items() if status != 200),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def _client(port: int, urls: list[str], deadline: float) -> tuple[list[float], Counter[int]]:
    """One keep-alive client: request until the deadline; status 0 is a connection failure."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    position = 0
    while time.perf_counter() < deadline:
        url = urls[position % len(urls)]
        position += 1
        started = time.perf_counter()
        try:
            conn.request("GET", url)
            response = conn.getresponse()
            response.read()
            status = response.status
            if response.will_close:
                conn.close()
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
        latencies.append(time.perf_counter() - started)
        statuses[status] += 1
    conn.close()
    return latencies, statuses
