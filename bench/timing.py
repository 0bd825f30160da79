"""Timing shared by the benchmarks."""
from __future__ import annotations

import time
from typing import Callable


def best_of(repeat: int, fn: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    """Smallest time of ``repeat`` calls of ``fn``, in seconds: wall time, or ``clock`` (e.g. time.process_time)."""
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return min(times)
