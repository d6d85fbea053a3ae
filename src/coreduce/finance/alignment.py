"""Alignment of a borrower's emission intensity with a sector pathway: the sectoral decarbonisation approach.

SBTi's SDA as the PACTA ``target-sda`` vignette of r2dii.analysis states it, with the market-share parameter
m(t) = 1 (PACTA's assumption)::

    d        = I_co(t0) − I_sc(2050)
    p(t)     = (I_sc(t) − I_sc(2050)) ÷ (I_sc(t0) − I_sc(2050))
    I_target(t) = d · p(t) + I_sc(2050)                                   (variant "sbti")

r2dii.analysis (``target_sda``, the test "with known input outputs as expected": cement 0.6 → 0.460 and steel
1.6 → 0.944 in 2030) measures the distance to the scenario's 2050 value rescaled to the company's base year,
g(2050)·I_co(t0) with g(t) = I_sc(t)/I_sc(t0), and converges on I_sc(2050)::

    I_target(t) = (I_co(t0) − g(2050)·I_co(t0)) · p(t) + I_sc(2050)     (variant "r2dii")

The alignment gap is (I_co − I_target(t)) ÷ I_target(t): above 0 the borrower's current intensity lies above
its target path in year t (no plan of the borrower is assumed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

VARIANTS = ("sbti", "r2dii")


def sda_target(i_company, i_t0, i_t, i_2050, variant: str = "sbti"):
    """The company's target intensity in year t (arrays broadcast); see the module formulas."""
    if variant not in VARIANTS:
        raise ValueError(f"SDA variant must be one of {', '.join(VARIANTS)}; got {variant!r}")
    i_company, i_t0, i_t, i_2050 = (np.asarray(v, dtype=float) for v in (i_company, i_t0, i_t, i_2050))
    p = (i_t - i_2050) / (i_t0 - i_2050)
    end = i_2050 / i_t0 * i_company if variant == "r2dii" else i_2050
    return (i_company - end) * p + i_2050


def pathway_points(pathway: pd.DataFrame, year: int) -> pd.DataFrame:
    """By sector: base year t0 (first), I_sc(t0), I_sc(year) (linear between pathway years), I_sc(2050)."""
    rows = []
    for sector, part in pathway.sort_values("year").groupby("sector"):
        years, values = part["year"].to_numpy(float), part["intensity"].to_numpy(float)
        if not years[0] <= year <= years[-1] or years[-1] != 2050:
            continue
        rows.append({"sda_sector": sector, "t0": int(years[0]), "i_t0": values[0],
                     "i_t": float(np.interp(year, years, values)), "i_2050": values[-1],
                     "pathway_unit": part["unit"].iloc[0]})  # fmt: skip
    return pd.DataFrame(rows, columns=["sda_sector", "t0", "i_t0", "i_t", "i_2050", "pathway_unit"])


def alignment(book: pd.DataFrame, pathway: pd.DataFrame, year: int, variant: str = "sbti") -> pd.DataFrame:
    """Per loan: ``intensity`` (emissions ÷ production), ``target_intensity`` in ``year`` and ``alignment_gap``."""
    points = pathway_points(pathway, year).set_index("sda_sector")
    intensity = (book["emissions"] / book["production"]).where(book["production"] > 0)
    joined = points.reindex(book["sda_sector"].to_numpy())
    target = sda_target(intensity.to_numpy(), joined["i_t0"], joined["i_t"], joined["i_2050"], variant)
    return pd.DataFrame(
        {"intensity": intensity.to_numpy(), "target_intensity": target, "alignment_gap": intensity / target - 1,
         "pathway_unit": joined["pathway_unit"].to_numpy()},
        index=book.index,
    )  # fmt: skip
