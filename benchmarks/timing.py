"""Timing shared by the benchmark scripts."""
from __future__ import annotations

import statistics
import time


def median_time(fn, runs: int) -> float:
    """The median wall time of `runs` calls of fn, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
