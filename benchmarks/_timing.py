"""Shared by the benchmark scripts: best wall time of a piece of work and its peak traced memory."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable


def measure(work: Callable[[], object], repeat: int = 1) -> tuple[float, float, object]:
    """(best wall seconds over ``repeat`` untraced runs, tracemalloc peak MiB of one more run, its result).

    The traced run is separate because tracemalloc slows allocation-heavy code several times over.
    """
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    try:
        result = work()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return best, peak, result
