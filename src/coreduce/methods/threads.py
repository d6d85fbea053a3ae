"""Small linear algebra on one BLAS thread.

The regressions of this package solve small systems: a province panel of a few hundred rows with tens of columns
once the fixed-effects dummies are in. OpenBLAS, the BLAS that numpy and scipy bundle, splits each product or
factorisation of that size over every core; the hand-off costs more than it saves, and where the cores are busy
(the report runs two processes on a two-core machine, other programs run beside it) the waiting threads spin.
The report's eleven NQPF-effect specifications took 2.7–4.6 s of CPU with two BLAS threads and 1.0 s with one,
for the same numbers. ``threadpoolctl`` (BSD-3-Clause) sets the thread count of the BLAS libraries loaded in the
process for a block and restores it afterwards.
"""

from __future__ import annotations

from contextlib import AbstractContextManager


def one_blas_thread() -> AbstractContextManager:
    """A block in which every BLAS library loaded so far (numpy's, scipy's once imported) runs on one thread.

    Enter it after importing what the block uses, so that the libraries those imports load are limited too.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")
