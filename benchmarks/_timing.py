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


def cpu(work: Callable[[], object], repeat: int = 1) -> tuple[float, float, object]:
    """(best wall seconds, best CPU seconds of this process, the last result) over ``repeat`` untraced runs.

    CPU time (``time.process_time``: user + system of every thread of the process) is what a step costs a
    machine whose cores are shared; wall time alone hides the work of extra threads and swells with the load.
    """
    wall = spent = float("inf")
    result = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = work()
        wall = min(wall, time.perf_counter() - start)
        spent = min(spent, time.process_time() - start_cpu)
    return wall, spent, result
