"""Start and end values of a change between two periods, checked once for the methods that use them.

Relative changes (x_T − x_0)/x_0 are defined only for positive starts, so every method that compares two periods
(Tapio decoupling, co-control reduction rates) needs the same checks: one shape for all inputs, and the first
non-positive start named with its label.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd


def start_end_arrays(
    values: Mapping[str, np.ndarray | pd.Series],
    *,
    positive: tuple[str, ...],
    error: type[ValueError],
    why: str,
) -> tuple[pd.Index | None, list[np.ndarray]]:
    """The ``values`` as flat float arrays of one shape, and the index of the first when it is a Series.

    Each name in ``positive`` must have only positive values; otherwise ``error`` names the input, ``why`` the
    change that is undefined, and the first offending value with its label (or position).
    """
    first = next(iter(values.values()))
    index = first.index if isinstance(first, pd.Series) else None
    arrays = {name: np.asarray(v, dtype=float) for name, v in values.items()}
    if len({a.shape for a in arrays.values()}) != 1:
        names = ", ".join(arrays)
        raise error(f"{names} must have the same shape; got {[a.shape for a in arrays.values()]}")
    flat = {name: a.ravel() for name, a in arrays.items()}
    for name in positive:
        start = flat[name]
        if np.any(start <= 0):
            at = int(np.flatnonzero(start <= 0)[0])
            where = index[at] if index is not None else at
            raise error(f"{name} must be positive ({why} from zero is undefined); found {start[at]} at {where}")
    return index, list(flat.values())
