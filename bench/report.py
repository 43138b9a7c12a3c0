"""Ratios to the baselines, the issue's targets, and the markdown table of a results dict.

Every ratio is ours ÷ baseline: above 1 is better for rates, below 1 is better for times and sizes.
May import: bench.stats, bench.queries.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.queries import KINDS, LABELS
from bench.stats import ratio

BASELINES = ("whoosh_or", "whoosh_and", "fts5")


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table: our figure, the baselines' figures, the target if there is one."""

    label: str
    ours: Any
    whoosh: Any = None  # plain Whoosh; OR grouping for searches
    whoosh_and: Any = None  # plain Whoosh's default AND grouping (searches only)
    fts5: Any = None
    target: str = ""
    met: bool | None = None
    ours_on_whoosh_set: Any = None  # ours over the smaller query set plain Whoosh ran, if smaller

    def whoosh_ratios(self) -> tuple[float | None, float | None]:
        """ours ÷ plain Whoosh (OR) and ours ÷ plain Whoosh (AND), over the same queries."""
        ours = self.ours if self.ours_on_whoosh_set is None else self.ours_on_whoosh_set
        return ratio(ours, self.whoosh), ratio(ours, self.whoosh_and)


def _get(data: dict[str, Any], *path: str) -> Any:
    """data[path[0]][path[1]]..., or None where any step is missing."""
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _at_most(value: Any, limit: float) -> bool | None:
    """value <= limit, or None when not measured."""
    return None if value is None else value <= limit


def _at_least(value: Any, limit: float) -> bool | None:
    """value >= limit, or None when not measured."""
    return None if value is None else value >= limit


def serial_qps(search: dict[str, Any], prefix: bool = False) -> float | None:
    """Queries per second of one engine run serially over all kinds (1000 / mean ms); with
    prefix, over the smaller query set plain Whoosh ran."""
    means = [
        _get(search, kind, "prefix", "mean")
        if _get(search, kind, "prefix") and prefix
        else _get(search, kind, "mean")
        for kind in KINDS
    ]
    if not means or any(m is None for m in means):
        return None
    return round(1000 / (sum(means) / len(means)), 2)


def ingest_rows(r: dict[str, Any]) -> list[Row]:
    """Rows of the ingest section."""
    full, builds = _get(r, "ingest", "full") or {}, r.get("builds", {})
    whoosh, fts = builds.get("whoosh", {}), builds.get("fts5", {})

    def row(label: str, ours: Any, key: str, target: str = "", met: bool | None = None) -> Row:
        return Row(label, ours, whoosh.get(key), None, fts.get(key), target, met)

    speedup = ratio(full.get("docs_per_s"), whoosh.get("docs_per_s"))
    rerun = _get(r, "ingest", "rerun", "wall_s")
    only = _get(builds, "ours_index_only", "docs_per_s")
    text_mb = full.get("text_mb")
    return [
        row(
            "Full build, documents/s (ours: extraction + indexing)",
            full.get("docs_per_s"),
            "docs_per_s",
            ">= 3x plain Whoosh",
            _at_least(speedup, 3.0),
        ),
        Row(
            "Full build, MB of text/s",
            full.get("text_mb_per_s"),
            _per_s(text_mb, whoosh),
            None,
            _per_s(text_mb, fts),
        ),
        row("Full build, wall s", full.get("wall_s"), "wall_s"),
        row("Full build, CPU s (all processes)", full.get("cpu_s"), "cpu_s"),
        row("Index-only build of the same text, documents/s", only, "docs_per_s"),
        row("Unchanged re-run, s", rerun, "wall_s", "<= 5 s", _at_most(rerun, 5.0)),
        Row("PDF extraction, pages/s (1 process)", _get(r, "ingest", "pdf", "pages_per_s")),
        row("Index size, MB", _get(r, "ingest", "index_mb"), "index_mb"),
        row("Peak RSS of the process tree, MB", full.get("peak_rss_mb"), "peak_rss_mb"),
    ]


def _per_s(text_mb: float | None, build: dict[str, Any]) -> float | None:
    """MB of text per second of a baseline build (the same text as ours)."""
    return round(text_mb / build["wall_s"], 3) if text_mb and build.get("wall_s") else None


def search_rows(r: dict[str, Any]) -> list[Row]:
    """Rows of the in-process search section (milliseconds)."""
    s = r.get("search", {})
    limits = {("short", "p50"): 30, ("short", "p95"): 100, ("natural", "p95"): 200}
    rows: list[Row] = []
    for kind in KINDS:
        for stat in ("p50", "p95", "p99"):
            ours = _get(s, "ours", kind, stat)
            limit = limits.get((kind, stat))
            rows.append(
                Row(
                    f"Search {LABELS[kind]}, {stat} ms",
                    ours,
                    *(_get(s, name, kind, stat) for name in BASELINES),
                    target=f"<= {limit} ms" if limit else "",
                    met=_at_most(ours, limit) if limit else None,
                    ours_on_whoosh_set=_get(s, "ours", kind, "prefix", stat),
                )
            )
    suggest = r.get("suggest", {})
    suggest_p95 = _get(suggest, "latency", "p95")
    rows += [
        Row("Suggestions (/api/suggest), p50 ms", _get(suggest, "latency", "p50")),
        Row(
            "Suggestions (/api/suggest), p95 ms",
            suggest_p95,
            target="< 20 ms",
            met=None if suggest_p95 is None else suggest_p95 < 20,
        ),
        Row("Suggestions: table built per index generation, ms", suggest.get("build_ms")),
        Row("Snippet per hit, µs", r.get("snippets", {}).get("snippet_us")),
        Row(
            "Snippet and its PDF page per hit, µs", r.get("snippets", {}).get("snippet_and_page_us")
        ),
    ]
    first = r.get("first_query", {})
    qps = [serial_qps(s.get(name, {})) for name in BASELINES]
    return rows + [
        Row("First query after start: open index + search, ms", first.get("open_and_first_ms")),
        Row("First query after start: whole process, ms", first.get("process_ms")),
        Row(
            "Serial queries/s (all kinds)",
            serial_qps(s.get("ours", {})),
            *qps,
            ours_on_whoosh_set=serial_qps(s.get("ours", {}), prefix=True),
        ),
    ]


def http_rows(r: dict[str, Any]) -> list[Row]:
    """Rows of the HTTP section; throughput is compared with the baselines' serial queries/s."""
    h = r.get("http", {})
    if not h or "error" in h or h.get("skipped"):
        return []
    s = r.get("search", {})
    whoosh_qps, fts_qps = serial_qps(s.get("whoosh_or", {})), serial_qps(s.get("fts5", {}))
    api, html = h.get("api", {}), h.get("html", {})
    rows = [
        Row(
            f"HTTP /api/search, requests/s ({h.get('clients')} clients)",
            api.get("requests_per_s"),
            whoosh_qps,
            None,
            fts_qps,
            ">= 150",
            _at_least(api.get("requests_per_s"), 150),
        ),
        Row("HTTP /api/search, p50 ms", api.get("p50")),
        Row(
            "HTTP /api/search, p99 ms",
            api.get("p99"),
            target="< 300 ms",
            met=_at_most(api.get("p99"), 299.999),
        ),
        Row(
            "HTTP /api/search, errors (non-200)",
            api.get("errors"),
            target="0",
            met=_at_most(api.get("errors"), 0),
        ),
        Row(
            f"HTTP /search (HTML), requests/s ({h.get('clients')} clients)",
            html.get("requests_per_s"),
            whoosh_qps,
            None,
            fts_qps,
        ),
        Row("HTTP /search (HTML), p50 ms", html.get("p50")),
        Row("HTTP /search (HTML), p99 ms", html.get("p99")),
        Row(
            "HTTP /search (HTML), errors (non-200)",
            html.get("errors"),
            target="0",
            met=_at_most(html.get("errors"), 0),
        ),
        Row(
            "`mecp serve` RSS after the run, all its processes, MB",
            h.get("rss_after_mb"),
            target="< 400 MB",
            met=_at_most(h.get("rss_after_mb"), 399.999),
        ),
        Row("`mecp serve` of which anonymous (heap), MB", _get(h, "memory_after_mb", "anon")),
        Row(
            "`mecp serve` PSS after the run (shared pages split), MB",
            _get(h, "memory_after_mb", "pss"),
        ),  # fmt: skip
        Row(
            "`mecp serve` processes (parent and children)", _get(h, "memory_after_mb", "processes")
        ),
    ]
    return rows


def all_rows(r: dict[str, Any]) -> list[Row]:
    """Every row in table order."""
    return ingest_rows(r) + search_rows(r) + http_rows(r)


def ratios(r: dict[str, Any]) -> dict[str, dict[str, float]]:
    """ours ÷ each baseline for every row that has one."""
    out = {}
    for row in all_rows(r):
        to_whoosh, to_whoosh_and = row.whoosh_ratios()
        found = {
            "whoosh": to_whoosh,
            "whoosh_and": to_whoosh_and,
            "fts5": ratio(row.ours, row.fts5),
        }
        kept = {name: value for name, value in found.items() if value is not None}
        if kept:
            out[row.label] = kept
    return out


def targets(r: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets with the measured value and whether it was met (None: not measured)."""
    return [
        {"measure": row.label, "target": row.target, "value": row.ours, "met": row.met}
        for row in all_rows(r)
        if row.target
    ]


def _fmt(value: Any) -> str:
    """A number for the table: thousands separators from 100, three significant digits below 1."""
    if value is None:
        return ""
    if not isinstance(value, float):
        return str(value)
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"


def _fmt_ratio(value: float | None) -> str:
    """A ratio for the table."""
    return "" if value is None else f"{value:.2f}\u00d7"


HEADER = (
    "| Measure | Ours | Plain Whoosh | Plain Whoosh, AND | FTS5 | Ours ÷ Whoosh | Ours ÷ FTS5 "
    "| Target (10k docs) | Met |\n|---|---:|---:|---:|---:|---:|---:|---|:-:|"
)


def markdown(r: dict[str, Any]) -> str:
    """The results as a markdown table, after a line naming the run, its corpus and machine."""
    m, c = r.get("machine", {}), r.get("corpus", {})
    lines = [
        f"**{r.get('name')}**: {r.get('docs')} documents ({_formats(c)}; median "
        f"{c.get('words_median')} words, {_get(r, 'ingest', 'full', 'text_mb')} MB of text), "
        f"{r.get('queries_per_kind')} queries per kind; {m.get('cores')} cores ({m.get('cpu')}), "
        f"Python {m.get('python')}, {m.get('date')}, commit {m.get('commit')}.",
        "",
        HEADER,
    ]
    for row in all_rows(r):
        mark = {True: "yes", False: "**no**", None: ""}[row.met]
        lines.append(
            f"| {row.label} | {_fmt(row.ours)} | {_fmt(row.whoosh)} | {_fmt(row.whoosh_and)} "
            f"| {_fmt(row.fts5)} | {_fmt_ratio(row.whoosh_ratios()[0])} "
            f"| {_fmt_ratio(ratio(row.ours, row.fts5))} | {row.target} | {mark} |"
        )
    http = r.get("http", {})
    if http.get("skipped") or "error" in http:
        lines += [
            "",
            "HTTP: " + ("skipped (--skip-http)" if http.get("skipped") else http["error"]),
        ]
    return "\n".join(lines)


def _formats(corpus: dict[str, Any]) -> str:
    """'850 txt, 100 html, 50 pdf'."""
    counts = sorted(corpus.get("formats", {}).items(), key=lambda item: -item[1])
    return ", ".join(f"{n} {fmt}" for fmt, n in counts)


if __name__ == "__main__":  # python -m bench.report bench/results/NAME.json: the table again
    print(markdown(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
