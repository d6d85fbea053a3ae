"""Small linear algebra on one BLAS thread.

The regressions of this package solve small systems: a province panel of a few hundred rows with tens of columns
once the fixed-effects dummies are in. OpenBLAS, the BLAS that numpy and scipy bundle, splits each product or
factorisation of that size over every core; the hand-off costs more than it saves, and where the cores are busy
(the report runs two processes on a two-core machine, other programs run beside it) the waiting threads spin.
The report's eleven NQPF-effect specifications took 2.7–4.6 s of CPU with two BLAS threads and 1.0 s with one,
for the same numbers. ``threadpoolctl`` (BSD-3-Clause) sets the thread count of the BLAS libraries of the
process for a block and restores it afterwards.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import cache


@cache
def _controller():
    """The BLAS libraries of this process, found once (a search of the loaded libraries takes 2 ms, setting
    their thread count microseconds): numpy's and scipy's, which is loaded here first (numpy and scipy each
    bundle their own OpenBLAS)."""
    import scipy.linalg  # noqa: F401  (loads scipy's BLAS, so that the controller finds it)
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_blas_thread() -> AbstractContextManager:
    """A block in which the BLAS libraries of numpy and scipy run on one thread."""
    return _controller().limit(limits=1, user_api="blas")
