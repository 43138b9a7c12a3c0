"""Latency summaries: percentiles by linear interpolation between closest ranks.

May import: stdlib.
"""

from __future__ import annotations

import math


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The value below which fraction of the values fall (interpolated, like numpy's default)."""
    if not sorted_values:
        return math.nan
    position = (len(sorted_values) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def summarize_ms(seconds: list[float]) -> dict[str, float | None]:
    """n, mean, p50, p95, p99 and max of durations given in seconds, in milliseconds."""
    values = sorted(s * 1000 for s in seconds)
    if not values:
        return {"n": 0, "mean": None, "p50": None, "p95": None, "p99": None, "max": None}
    return {
        "n": len(values),
        "mean": round(sum(values) / len(values), 2),
        "p50": round(percentile(values, 0.50), 2),
        "p95": round(percentile(values, 0.95), 2),
        "p99": round(percentile(values, 0.99), 2),
        "max": round(values[-1], 2),
    }


def ratio(ours: float | None, theirs: float | None) -> float | None:
    """ours / theirs rounded, or None when either is missing or theirs is zero."""
    if not ours or not theirs:
        return None
    return round(ours / theirs, 3)
