"""Coupling coordination degree of n subsystems, in the standard and the modified (Wang et al. 2021) form.

Scores ``U_1 … U_n`` of the subsystems lie in [0, 1] (e.g. weighted sums of min–max normalised indicators).

* Standard coupling degree (the form used across the Chinese literature)::

      C = n · [Π U_i / (Σ U_i)^n]^(1/n)  =  n · (Π U_i)^(1/n) / Σ U_i

* Modified coupling degree (Wang Shujia, Kong Wei, Ren Lang, Zhi Dandan, Dai Bingtao 2021, "Misconceptions
  and corrections of domestic coupling coordination degree models", Journal of Natural Resources 36(3):
  793–810; also implemented as ``type = "adjusted"`` in the R package mathmodels)::

      C = sqrt{ [1 − Σ_{i>j} sqrt((U_i − U_j)^2) / Σ_{m=1}^{n−1} m] · [Π U_i / max U_i]^(1/(n−1)) }

  The first factor is one minus the mean absolute difference over the n(n−1)/2 pairs; the second rewards
  subsystems that are all close to the best one. Unlike the standard form it spreads over [0, 1].
* Comprehensive coordination index ``T = Σ α_i U_i`` (weights α sum to 1; equal by default).
* Coupling coordination degree ``D = sqrt(C · T)``.

When every ``U_i`` is 0, ``C`` is undefined (0/0) and returned as NaN, while ``D = 0`` because ``T = 0``.

``D`` is graded into ten equal bands 0.1 wide, the scale most often used in the literature (Liao Chongbin 1999):
极度失调 extreme imbalance … 优质协调 high-quality coordination. Which band an exact boundary such as D = 0.3 falls
in is a convention (``closed``): ``"upper"`` (default) closes each band at its top, 0.2 < D ≤ 0.3 中度失调,
0.3 < D ≤ 0.4 轻度失调, as printed by Tian Shenzhen et al. (2021), "Spatio-temporal coupling coordination … of
urban pseudo and reality human settlements in the three provinces of Northeast China", Acta Geographica Sinica
76(4): 781, Table 1 (D = 0 is extreme imbalance); ``"lower"`` closes each band at its bottom (0.3 ≤ D < 0.4,
1.0 included in the top band), as tables written "0.30–0.39" read. A D within 1e-9 of a boundary counts as on it,
so 0.1 + 0.2 (0.30000000000000004 in floating point) is graded as 0.3.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

GRADES: tuple[tuple[str, str], ...] = (
    ("extreme imbalance", "极度失调"),
    ("serious imbalance", "严重失调"),
    ("moderate imbalance", "中度失调"),
    ("mild imbalance", "轻度失调"),
    ("on the verge of imbalance", "濒临失调"),
    ("barely coordinated", "勉强协调"),
    ("primary coordination", "初级协调"),
    ("intermediate coordination", "中级协调"),
    ("good coordination", "良好协调"),
    ("high-quality coordination", "优质协调"),
)


class CouplingError(ValueError):
    """Scores or weights that the coupling coordination model cannot use."""


def _scores(u: np.ndarray | pd.DataFrame) -> np.ndarray:
    arr = np.asarray(u, dtype=float)
    if arr.ndim == 1:
        arr = arr[np.newaxis, :]
    if arr.ndim != 2 or arr.shape[1] < 2:
        raise CouplingError(f"scores must be (observations × subsystems) with at least 2 subsystems; got {arr.shape}")
    finite = arr[~np.isnan(arr)]
    if finite.size and (finite.min() < 0 or finite.max() > 1):
        raise CouplingError(
            f"subsystem scores must lie in [0, 1]; found values from {finite.min():.4g} to {finite.max():.4g} "
            "(normalise the indicators first)"
        )
    return arr


def coupling_degree(u: np.ndarray | pd.DataFrame, *, form: str = "standard") -> np.ndarray:
    """Coupling degree C of each row of ``u`` (rows: observations; columns: subsystems)."""
    arr = _scores(u)
    n = arr.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        if form == "standard":
            total = arr.sum(axis=1)
            c = n * np.exp(np.log(arr).mean(axis=1)) / total
        elif form == "modified":
            i, j = np.triu_indices(n, k=1)
            spread = np.abs(arr[:, i] - arr[:, j]).sum(axis=1) / (n * (n - 1) / 2)
            top = arr.max(axis=1, keepdims=True)
            closeness = np.prod(arr / top, axis=1) ** (1.0 / (n - 1))
            c = np.sqrt((1.0 - spread) * closeness)
        else:
            raise CouplingError(f"form must be 'standard' or 'modified', not {form!r}")
    all_zero = np.all(arr == 0, axis=1)
    c[all_zero] = np.nan
    return c


CLOSED = ("upper", "lower")
TOLERANCE = 1e-9


def grade(d: np.ndarray | Sequence[float], *, closed: str = "upper") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Band number (1–10), English and Chinese label of each coupling coordination degree (NaN → band 0, "").

    ``closed``: which end of each 0.1-wide band holds its boundary (see the module doc).
    """
    if closed not in CLOSED:
        raise CouplingError(f"closed must be 'upper' or 'lower', not {closed!r}")
    arr = np.asarray(d, dtype=float)
    tenths = np.nan_to_num(arr) * 10
    nearest = np.round(tenths)
    tenths = np.where(np.abs(tenths - nearest) <= TOLERANCE * 10, nearest, tenths)
    raw = np.ceil(tenths) if closed == "upper" else np.floor(tenths) + 1
    band = np.where(np.isnan(arr), 0, np.clip(raw.astype(int), 1, 10))
    en = np.array([""] + [g[0] for g in GRADES], dtype=object)[band]
    zh = np.array([""] + [g[1] for g in GRADES], dtype=object)[band]
    return band, en, zh


def coupling_coordination(
    u: np.ndarray | pd.DataFrame,
    *,
    weights: Sequence[float] | None = None,
    form: str = "standard",
    closed: str = "upper",
) -> pd.DataFrame:
    """C, T, D and the grade of each row of subsystem scores ``u``; index kept when ``u`` is a DataFrame.

    ``weights`` are the α of ``T = Σ α_i U_i`` (non-negative, summing to 1; equal by default).
    Rows with a NaN score give NaN C, T and D. The form, weights and grading scale are recorded in
    ``frame.attrs["conventions"]``.
    """
    arr = _scores(u)
    n = arr.shape[1]
    if weights is None:
        w = np.full(n, 1.0 / n)
    else:
        w = np.asarray(weights, dtype=float)
        if w.shape != (n,):
            raise CouplingError(f"{n} subsystems need {n} weights; got {w.size}")
        if np.any(w < 0) or not np.isclose(w.sum(), 1.0):
            raise CouplingError(f"weights must be non-negative and sum to 1; got {w.tolist()}")
    c = coupling_degree(arr, form=form)
    t = arr @ w
    d = np.sqrt(np.where(t == 0, 0.0, c) * t)
    band, en, zh = grade(d, closed=closed)
    index = u.index if isinstance(u, pd.DataFrame) else None
    frame = pd.DataFrame({"C": c, "T": t, "D": d, "grade": band, "grade_en": en, "grade_zh": zh}, index=index)
    frame.attrs["conventions"] = {
        "coupling form": form,
        "weights": [round(float(x), 6) for x in w],
        "grading": f"ten equal bands of D, 0.1 wide (极度失调 … 优质协调), closed at the {closed} end",
    }
    return frame
