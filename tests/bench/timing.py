"""Timing shared by the benchmarks that set several ways of doing one thing side by side."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence

WARM_UP = 5  # rounds not measured: caches, connection pools and lazy imports warm


def percentile(times: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 200 samples: the 190th smallest)."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def interleaved(asks: Mapping[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """Milliseconds per call of each way, the ways taking turns and each round starting with
    the next one, so that no way always runs first (cold) or right after a heavy one."""
    order = list(asks)
    for _ in range(WARM_UP):
        for ask in asks.values():
            ask()
    times: dict[str, list[float]] = {way: [] for way in asks}
    for round_ in range(rounds):
        shift = round_ % len(order)
        for way in order[shift:] + order[:shift]:
            started = time.perf_counter()
            asks[way]()
            times[way].append((time.perf_counter() - started) * 1000)
    return times
