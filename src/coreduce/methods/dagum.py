"""Dagum (1997) Gini coefficient and its decomposition by subgroups, in O(n log n).

Dagum, C. (1997), "A new approach to the decomposition of the Gini income inequality ratio", Empirical
Economics 22: 515–531. With k groups (group j: n_j values, mean Ȳ_j), n values in all with mean ȳ::

    G     = Σ_j Σ_h Σ_i Σ_r |y_ji − y_hr| / (2 n² ȳ)                    (the ordinary Gini)
    G_jj  = Δ_jj / (2 Ȳ_j)                 Δ_jh = mean over pairs |y_ji − y_hr|
    G_jh  = Δ_jh / (Ȳ_j + Ȳ_h)
    p_j   = n_j / n,   s_j = n_j Ȳ_j / (n ȳ)
    d_jh  = mean over pairs of max(y_ji − y_hr, 0),  p_jh = mean of max(y_hr − y_ji, 0)   (Ȳ_j ≥ Ȳ_h)
    D_jh  = (d_jh − p_jh) / (d_jh + p_jh)  = (Ȳ_j − Ȳ_h) / Δ_jh          (relative economic affluence)
    G_w   = Σ_j G_jj p_j s_j
    G_nb  = Σ_{j>h} G_jh (p_j s_h + p_h s_j) D_jh
    G_t   = Σ_{j>h} G_jh (p_j s_h + p_h s_j) (1 − D_jh)
    G     = G_w + G_nb + G_t

Every sum of absolute differences is computed from sorted values and prefix sums (O(n log n)), never over all
pairs. Values must be non-negative with a positive mean.

:func:`dagum_bootstrap` gives percentile confidence intervals (Efron & Tibshirani 1993, ch. 13) of G, G_w,
G_nb, G_t and their shares by resampling units with replacement within each group (group sizes fixed, as in a
stratified sample), all replicates at once: every replicate's sums of |differences| come from one sort along
the replicate axis, and the sum over pairs across groups j, h from the within sums of their union,
Σ_{i,r} |y_ji − y_hr| = (S(j ∪ h) − S(j) − S(h)) / 2 with S the sum over ordered pairs within a set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


class InequalityError(ValueError):
    """Values or groups an inequality measure cannot use."""


def _check(y: np.ndarray, what: str = "values") -> np.ndarray:
    y = np.asarray(y, dtype=float).ravel()
    if y.size == 0:
        raise InequalityError(f"no {what}")
    if np.isnan(y).any():
        raise InequalityError(f"{what} contain missing values (NaN); drop or fill them first")
    if (y < 0).any():
        raise InequalityError(f"{what} must be non-negative for the Gini coefficient")
    return y


def sum_abs_within(y: np.ndarray) -> float:
    """Σ_i Σ_r |y_i − y_r| over all ordered pairs = 2 Σ_i (2i − n − 1) y_(i), with y sorted (i = 1..n)."""
    s = np.sort(y)
    n = s.size
    return float(2.0 * ((2.0 * np.arange(1, n + 1) - n - 1) * s).sum())


def sum_abs_between(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Σ max(a_i − b_r, 0), Σ max(b_r − a_i, 0)) over all pairs, by sorting ``b`` and prefix sums."""
    a, bs = np.sort(a), np.sort(b)  # sorted queries keep the binary searches cache-friendly
    prefix = np.concatenate(([0.0], np.cumsum(bs)))
    k = np.searchsorted(bs, a, side="left")  # number of b below each a
    above_a = (a * k - prefix[k]).sum()  # Σ over b < a of (a − b)
    below_a = ((prefix[-1] - prefix[k]) - a * (bs.size - k)).sum()  # Σ over b ≥ a of (b − a)
    return float(above_a), float(below_a)


def gini(y: np.ndarray) -> float:
    """The Gini coefficient Σ_i Σ_r |y_i − y_r| / (2 n² ȳ)."""
    y = _check(y)
    if y.mean() <= 0:
        raise InequalityError("the Gini coefficient needs a positive mean")
    return sum_abs_within(y) / (2.0 * y.size**2 * y.mean())


@dataclass(frozen=True)
class DagumGini:
    """The decomposition; ``matrix`` holds G_jj on the diagonal and G_jh off it; ``groups`` has n, mean, p, s."""

    total: float
    within: float
    between: float
    transvariation: float
    matrix: pd.DataFrame
    groups: pd.DataFrame
    pairs: pd.DataFrame

    def contributions(self) -> pd.Series:
        """G_w, G_nb, G_t and their shares of G."""
        parts = pd.Series({"G_w": self.within, "G_nb": self.between, "G_t": self.transvariation})
        return pd.concat([parts, (parts / self.total).add_prefix("share_")])


def dagum_gini(y: np.ndarray, groups: np.ndarray, *, min_group_size: int = 2) -> DagumGini:
    """Dagum's decomposition of the Gini coefficient of ``y`` by the labels in ``groups``.

    A group with fewer than ``min_group_size`` members raises :class:`InequalityError`: its within-group Gini is
    0 by construction and would be read as perfect equality (set ``min_group_size=1`` to allow it).
    """
    y = _check(y)
    labels = np.asarray(groups).ravel()
    if labels.size != y.size:
        raise InequalityError(f"{y.size} values but {labels.size} group labels")
    n, mean = y.size, y.mean()
    if mean <= 0:
        raise InequalityError("the Gini coefficient needs a positive mean")
    codes, uniques = pd.factorize(labels)
    names = uniques.tolist()
    if len(names) < 2:
        raise InequalityError(f"Dagum's decomposition needs at least 2 groups; got {len(names)}")
    order = np.argsort(codes, kind="stable")
    parts = np.split(y[order], np.cumsum(np.bincount(codes))[:-1])
    sizes = np.array([part.size for part in parts])
    small = np.flatnonzero(sizes < min_group_size)
    if small.size:
        raise InequalityError(
            f"group {names[small[0]]!r} has {sizes[small[0]]} member(s); Dagum's within-group Gini needs at "
            f"least {min_group_size} (merge it with a neighbouring group or pass min_group_size=1)"
        )
    means = np.array([part.mean() for part in parts])
    if (means <= 0).any():
        raise InequalityError(f"group {names[int(np.argmax(means <= 0))]!r} has a zero mean")
    p = sizes / n
    s = sizes * means / (n * mean)
    k = len(names)
    matrix = np.full((k, k), np.nan)
    for j, part in enumerate(parts):
        matrix[j, j] = sum_abs_within(part) / (2.0 * part.size**2 * means[j])
    g_w = float((np.diag(matrix) * p * s).sum())
    rows = []
    g_nb = g_t = 0.0
    for a in range(k):
        for b in range(a + 1, k):
            hi, lo = (a, b) if means[a] >= means[b] else (b, a)
            d_sum, p_sum = sum_abs_between(parts[hi], parts[lo])
            pairs = sizes[hi] * sizes[lo]
            d_jh, p_jh = d_sum / pairs, p_sum / pairs
            delta = d_jh + p_jh
            g_jh = delta / (means[hi] + means[lo])
            D = (d_jh - p_jh) / delta if delta > 0 else 0.0
            weight = p[hi] * s[lo] + p[lo] * s[hi]
            g_nb += g_jh * weight * D
            g_t += g_jh * weight * (1.0 - D)
            matrix[a, b] = matrix[b, a] = g_jh
            rows.append({"richer": names[hi], "poorer": names[lo], "G_jh": g_jh, "d_jh": d_jh, "p_jh": p_jh, "D_jh": D})
    index = pd.Index(names, name="group")
    info = pd.DataFrame({"n": sizes, "mean": means, "p": p, "s": s, "gini": np.diag(matrix)}, index=index)
    total = sum_abs_within(y) / (2.0 * n**2 * mean)
    frame = pd.DataFrame(matrix, index=index, columns=index)
    return DagumGini(total, g_w, float(g_nb), float(g_t), frame, info, pd.DataFrame(rows))


def _pair_sums_rows(values: np.ndarray) -> np.ndarray:
    """Row-wise Σ_i Σ_r |y_i − y_r| over ordered pairs of each row of ``values`` (B × m), by sorting."""
    m = values.shape[1]
    return 2.0 * (np.sort(values, axis=1) * (2.0 * np.arange(1, m + 1) - m - 1)).sum(axis=1)


def dagum_replicates(samples: list[np.ndarray]) -> pd.DataFrame:
    """G, G_w, G_nb, G_t and shares of many samples at once: ``samples[j]`` is a (B × n_j) array holding group
    j's values in each of B samples (group sizes fixed across samples). One row per sample."""
    sizes = np.array([part.shape[1] for part in samples], dtype=float)
    reps = samples[0].shape[0]
    n = sizes.sum()
    sums = np.stack([part.sum(axis=1) for part in samples], axis=1)  # B × k
    means = sums / sizes
    mean = sums.sum(axis=1) / n
    p = sizes / n
    share = sums / (n * mean)[:, None]
    within = [_pair_sums_rows(part) for part in samples]
    g_jj = np.stack(within, axis=1) / (2.0 * sizes**2 * means)
    g_w = (g_jj * p * share).sum(axis=1)
    g_nb = np.zeros(reps)
    g_t = np.zeros(reps)
    for a in range(len(samples)):
        for b in range(a + 1, len(samples)):
            across = (_pair_sums_rows(np.concatenate([samples[a], samples[b]], axis=1)) - within[a] - within[b]) / 2
            delta = across / (sizes[a] * sizes[b])
            g_ab = delta / (means[:, a] + means[:, b])
            with np.errstate(invalid="ignore", divide="ignore"):
                affluence = np.where(delta > 0, np.abs(means[:, a] - means[:, b]) / delta, 0.0)
            weight = p[a] * share[:, b] + p[b] * share[:, a]
            g_nb += g_ab * weight * affluence
            g_t += g_ab * weight * (1.0 - affluence)
    total = _pair_sums_rows(np.concatenate(samples, axis=1)) / (2.0 * n**2 * mean)
    return pd.DataFrame(
        {
            "G": total,
            "G_w": g_w,
            "G_nb": g_nb,
            "G_t": g_t,
            "share_G_w": g_w / total,
            "share_G_nb": g_nb / total,
            "share_G_t": g_t / total,
        }
    )


def dagum_bootstrap(
    y: np.ndarray,
    groups: np.ndarray,
    *,
    reps: int = 999,
    level: float = 0.95,
    seed: int | None = 0,
    min_group_size: int = 2,
) -> pd.DataFrame:
    """Percentile bootstrap intervals of Dagum's G, G_w, G_nb, G_t and shares (see the module docstring).

    Returns one row per component with the point ``estimate`` (of the data), the bootstrap ``se`` (sd of the
    replicates, ddof = 1) and the ``lower``/``upper`` percentile bounds at ``level``. ``seed`` fixes the draws;
    ``min_group_size`` as in :func:`dagum_gini`.
    """
    point = dagum_gini(y, groups, min_group_size=min_group_size)
    if reps < 2:
        raise InequalityError(f"the bootstrap needs at least 2 replicates; got {reps}")
    if not 0 < level < 1:
        raise InequalityError(f"confidence level must lie in (0, 1); got {level}")
    y = _check(y)
    codes, _ = pd.factorize(np.asarray(groups).ravel())
    rng = np.random.default_rng(seed)
    samples = []
    for j in range(codes.max() + 1):
        members = y[codes == j]
        samples.append(members[rng.integers(0, members.size, size=(reps, members.size))])
    draws = dagum_replicates(samples)
    estimate = pd.Series(
        {
            "G": point.total,
            "G_w": point.within,
            "G_nb": point.between,
            "G_t": point.transvariation,
            **point.contributions().filter(like="share_").to_dict(),
        }
    )
    tail = (1.0 - level) / 2.0
    return pd.DataFrame(
        {
            "estimate": estimate,
            "se": draws.std(ddof=1),
            "lower": draws.quantile(tail),
            "upper": draws.quantile(1.0 - tail),
        }
    ).rename_axis("component")
