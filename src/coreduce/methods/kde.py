"""Kernel density estimation with Stata's default kernel and bandwidth, and the usual alternatives.

Stata's ``kdensity`` default (Stata Base Reference Manual, [R] kdensity, "Methods and formulas"):

* kernel ``"epanechnikov"``: K(z) = 3/(4√5) · (1 − z²/5) for |z| < √5 (unit variance);
* bandwidth ``"stata"`` (Silverman 1986, eq. 3.31): h = 0.9 · min(sd, IQR/1.349) · n^(−1/5), with sd
  (ddof = 1) if the IQR is 0; the quartiles are those of ``summarize, detail`` (kdensity.ado takes
  r(p75) − r(p25)): with r = n·p/100, the mean of x_(r) and x_(r+1) when r is whole, else x_(⌈r⌉)
  ([R] summarize, Methods and formulas; Hyndman & Fan 1996 definition 2, numpy ``averaged_inverted_cdf``);
* evaluation points: 50 evenly spaced over [min − h, max + h].

Alternatives: kernels ``"epan2"`` (K(z) = 3/4 (1 − z²), |z| < 1), ``"gaussian"``, ``"triangular"``,
``"biweight"``; bandwidth rules ``"silverman"`` (the same 0.9 rule with linear-interpolation quartiles, as in
statsmodels), ``"scott"`` (1.059 · sd · n^(−1/5)) or a positive number.

f̂(x) = (1/(n h)) Σ_i K((x − x_i)/h).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from coreduce.methods.dagum import InequalityError

SQRT5 = np.sqrt(5.0)

KERNELS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "epanechnikov": lambda z: np.where(np.abs(z) < SQRT5, 0.75 / SQRT5 * (1.0 - z * z / 5.0), 0.0),
    "epan2": lambda z: np.where(np.abs(z) < 1.0, 0.75 * (1.0 - z * z), 0.0),
    "gaussian": lambda z: np.exp(-0.5 * z * z) / np.sqrt(2.0 * np.pi),
    "triangular": lambda z: np.where(np.abs(z) < 1.0, 1.0 - np.abs(z), 0.0),
    "biweight": lambda z: np.where(np.abs(z) < 1.0, 15.0 / 16.0 * (1.0 - z * z) ** 2, 0.0),
}
BANDWIDTHS = ("stata", "silverman", "scott")


def bandwidth(x: np.ndarray, rule: str | float = "stata") -> float:
    """The bandwidth ``h`` for sample ``x`` under ``rule`` (see the module docstring)."""
    x = np.asarray(x, dtype=float)
    if not isinstance(rule, str):
        if rule <= 0:
            raise InequalityError(f"bandwidth must be positive; got {rule}")
        return float(rule)
    n = x.size
    sd = x.std(ddof=1)
    if rule in ("stata", "silverman"):
        method = "averaged_inverted_cdf" if rule == "stata" else "linear"
        q75, q25 = np.percentile(x, [75, 25], method=method)
        spread = min(sd, (q75 - q25) / 1.349)
        spread = spread if spread > 0 else sd
        h = 0.9 * spread * n ** (-0.2)
    elif rule == "scott":
        h = 1.059 * sd * n ** (-0.2)
    else:
        raise InequalityError(f"bandwidth rule must be one of {', '.join(BANDWIDTHS)} or a number; got {rule!r}")
    if not h > 0:
        raise InequalityError("all values are equal: the kernel density bandwidth is zero")
    return float(h)


def kernel_density(
    x: np.ndarray,
    points: np.ndarray | None = None,
    *,
    kernel: str = "epanechnikov",
    bw: str | float = "stata",
    n_points: int = 50,
) -> tuple[np.ndarray, np.ndarray, float]:
    """(evaluation points, density, bandwidth). Default points: ``n_points`` evenly over [min − h, max + h]."""
    x = np.asarray(x, dtype=float).ravel()
    x = x[~np.isnan(x)]
    if x.size < 2:
        raise InequalityError(f"kernel density needs at least 2 values; got {x.size}")
    if kernel not in KERNELS:
        raise InequalityError(f"kernel must be one of {', '.join(KERNELS)}; got {kernel!r}")
    h = bandwidth(x, bw)
    grid = np.linspace(x.min() - h, x.max() + h, n_points) if points is None else np.asarray(points, dtype=float)
    z = (grid[:, None] - x[None, :]) / h
    density = KERNELS[kernel](z).sum(axis=1) / (x.size * h)
    return grid, density, h
