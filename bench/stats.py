"""Small, dependency-free statistics for the benchmark figures (kept pure so they can be tested)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation between closest ranks.

    Same definition as numpy's default ("linear"), written out so the report code does not
    depend on numpy and the unit tests can pin it.
    """
    if not values:
        raise ValueError("percentile of an empty sequence")
    if not 0.0 <= q <= 100.0:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    lower = math.floor(position)
    upper = math.ceil(position)
    if lower == upper:
        return float(ordered[lower])
    fraction = position - lower
    return float(ordered[lower] + (ordered[upper] - ordered[lower]) * fraction)


def summarise_latencies(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/mean/max of round-trip times, in milliseconds."""
    if not seconds:
        raise ValueError("no round trips were measured")
    millis = [s * 1000.0 for s in seconds]
    return {
        "count": len(millis),
        "p50_ms": percentile(millis, 50),
        "p95_ms": percentile(millis, 95),
        "mean_ms": sum(millis) / len(millis),
        "max_ms": max(millis),
    }


def ratio(subject: float | None, baseline: float | None) -> float | None:
    """subject ÷ baseline, or None when either side is missing or the baseline is not positive."""
    if subject is None or baseline is None or baseline <= 0:
        return None
    return subject / baseline


# Figures compared HubGuide ÷ stock, and the path of each inside one bot's latency results.
RATIO_SOURCES: dict[str, tuple[str, ...]] = {
    "p50_latency": ("serial", "p50_ms"),
    "p95_latency": ("serial", "p95_ms"),
    "startup": ("startup_s",),
    "rss": ("rss", "rasa_bytes"),
    "train_time": ("train_time_s",),
}

# Upper bounds from the issue; p95 has none.
RATIO_TARGETS: dict[str, float] = {
    "p50_latency": 0.6,
    "startup": 0.4,
    "rss": 1.0,
    "train_time": 1.5,
}


def _dig(data: Mapping, path: Sequence[str]) -> float | None:
    node: object = data
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return float(node) if isinstance(node, (int, float)) else None


def ratios(subject: Mapping, stock: Mapping) -> dict[str, float | None]:
    """HubGuide ÷ stock for every figure of RATIO_SOURCES (None when a side is missing)."""
    return {
        name: ratio(_dig(subject, path), _dig(stock, path)) for name, path in RATIO_SOURCES.items()
    }


def verdicts(values: Mapping[str, float | None]) -> dict[str, bool | None]:
    """Whether each ratio meets its target (None when unmeasured or without a target)."""
    out: dict[str, bool | None] = {}
    for name, value in values.items():
        target = RATIO_TARGETS.get(name)
        out[name] = None if value is None or target is None else value <= target
    return out
