"""Specific embedded emissions of simple and complex goods, solved for whole production graphs at once.

Annex IV of Regulation (EU) 2023/956, points 2 and 3 (simple and complex goods)::

    SEE_g = AttrEm_g / AL_g                                  (simple goods)
    SEE_g = (AttrEm_g + EE_InpMat) / AL_g,   EE_InpMat = Σ_i M_i × SEE_i     (complex goods)

with ``AttrEm_g`` the attributed emissions of the process (t CO2e), ``AL_g`` its activity level (t), ``M_i`` the
mass of precursor *i* consumed (t) and ``SEE_i`` its specific embedded emissions — from another process of the
same graph, or given (a supplier's value or a default value). Direct and indirect are solved separately (the
same formula on each). The part of ``SEE_g`` that comes from default values is carried along the same way::

    D_g = (X_g + Σ_i M_i × D_i) / AL_g

(``X_g`` = the given precursor emissions that are default values), so ``D_g / SEE_g`` is the share of defaults.

:func:`solve` is vectorised: a level of the graph (all processes whose precursors are solved) per step, with
``np.bincount`` sums over the links; a cycle among processes is an error naming them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class CycleError(ValueError):
    """Processes that consume each other's goods, so their specific embedded emissions have no level order."""

    def __init__(self, nodes: np.ndarray) -> None:
        self.nodes = nodes
        super().__init__(f"precursor links form a cycle through processes {nodes[:10].tolist()}")


@dataclass(frozen=True)
class Solved:
    """Specific embedded emissions (t CO2e / t) per process: direct, indirect, their default parts, and the
    graph level (0 = simple good)."""

    direct: np.ndarray
    indirect: np.ndarray
    default_direct: np.ndarray
    default_indirect: np.ndarray
    level: np.ndarray


def solve(
    attr: np.ndarray,
    activity: np.ndarray,
    given: np.ndarray,
    given_default: np.ndarray,
    links: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> Solved:
    """Solve SEE for ``n`` processes.

    ``attr``: (n, 2) attributed direct and indirect emissions, t; ``activity``: (n,) activity levels, t (> 0);
    ``given``: (n, 2) embedded emissions of precursors with given SEE (Σ M × SEE, t); ``given_default``: (n, 2)
    the part of ``given`` that comes from default values; ``links``: (src, dst, mass) — process ``dst`` consumes
    ``mass`` t of the good of process ``src``.
    """
    src, dst, mass = (np.asarray(a) for a in links)
    n = activity.shape[0]
    acc = attr + given  # (n, 2): emissions gathered so far
    acc_def = np.array(given_default, dtype=float)
    waiting = np.bincount(dst, minlength=n)
    see = np.full((n, 2), np.nan)
    dflt = np.full((n, 2), np.nan)
    level = np.full(n, -1)
    done = waiting == 0
    see[done] = acc[done] / activity[done, None]
    dflt[done] = acc_def[done] / activity[done, None]
    level[done] = 0
    used = np.zeros(src.shape[0], dtype=bool)
    step = 0
    while True:
        ready = ~used & done[src]
        if not ready.any():
            break
        step += 1
        d, m, s = dst[ready], mass[ready], src[ready]
        for k in (0, 1):
            acc[:, k] += np.bincount(d, weights=m * see[s, k], minlength=n)
            acc_def[:, k] += np.bincount(d, weights=m * dflt[s, k], minlength=n)
        waiting -= np.bincount(d, minlength=n)
        used |= ready
        new = (waiting == 0) & ~done
        see[new] = acc[new] / activity[new, None]
        dflt[new] = acc_def[new] / activity[new, None]
        level[new] = step
        done |= new
    if not done.all():
        raise CycleError(np.flatnonzero(~done))
    return Solved(see[:, 0], see[:, 1], dflt[:, 0], dflt[:, 1], level)
