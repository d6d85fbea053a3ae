"""Alignment of a borrower's emission intensity with a sector pathway: the sectoral decarbonisation approach.

SBTi's SDA as the PACTA ``target-sda`` vignette of r2dii.analysis states it, with the market-share parameter
m(t) = 1 (PACTA's assumption)::

    d        = I_co(t0) − I_sc(2050)
    p(t)     = (I_sc(t) − I_sc(2050)) ÷ (I_sc(t0) − I_sc(2050))
    I_target(t) = d · p(t) + I_sc(2050)                                   (variant "sbti")

r2dii.analysis (``target_sda``; vignette ``target-sda.Rmd``, "Approximation: Adjust base year scenario emission
intensity"; R/target_sda.R ``compute_abcd_adjusted_scenario``) first rescales the scenario to the corporate
economy, I'_sc(t) = k·I_sc(t) with k = I_ce(t0) ÷ I_sc(t0), I_ce the production-weighted mean intensity of the
sector's companies, and recomputes d and p(t) on I'_sc (p is unchanged by the rescaling)::

    I_target(t) = (I_co(t0) − k·I_sc(2050)) · p(t) + k·I_sc(2050)          (variant "r2dii")

r2dii.analysis takes I_ce from its whole asset-level data set; a loan book here has only its own borrowers, so
I_ce(t0) is the book's Σ emissions ÷ Σ production of the sector's borrowers (their production-weighted mean).
An earlier form, which converged on the unadjusted I_sc(2050) after rescaling by the company's own intensity,
was withdrawn by r2dii.analysis as incorrect (commit 41fe44d, 31 July 2020, "Fix incorrect ``target_sda`` outputs
and methodology (#153)"); it is not offered.

The alignment gap is (I_co − I_target(t)) ÷ I_target(t): above 0 the borrower's current intensity lies above
its target path in year t (no plan of the borrower is assumed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

VARIANTS = ("sbti", "r2dii")


def sda_target(i_company, i_t0, i_t, i_2050, variant: str = "sbti", baseline=None):
    """The company's target intensity in year t (arrays broadcast); see the module formulas. ``baseline`` is the
    corporate economy's intensity I_ce(t0), required by (and only used in) the ``r2dii`` variant."""
    if variant not in VARIANTS:
        raise ValueError(f"SDA variant must be one of {', '.join(VARIANTS)}; got {variant!r}")
    if variant == "r2dii" and baseline is None:
        raise ValueError("SDA variant r2dii needs baseline, the corporate economy's intensity in the base year")
    i_company, i_t0, i_t, i_2050 = (np.asarray(v, dtype=float) for v in (i_company, i_t0, i_t, i_2050))
    p = (i_t - i_2050) / (i_t0 - i_2050)
    end = np.asarray(baseline, dtype=float) / i_t0 * i_2050 if variant == "r2dii" else i_2050
    return (i_company - end) * p + end


def corporate_economy(book: pd.DataFrame) -> pd.Series:
    """By SDA sector: Σ emissions ÷ Σ production of the borrowers with both (their production-weighted mean
    intensity), the corporate economy I_ce(t0) of the ``r2dii`` variant."""
    known = book[(book["production"] > 0) & book["emissions"].notna()]
    sums = known.groupby("sda_sector")[["emissions", "production"]].sum()
    return sums["emissions"] / sums["production"]


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
    baseline = corporate_economy(book).reindex(book["sda_sector"].to_numpy()).to_numpy()
    target = sda_target(intensity.to_numpy(), joined["i_t0"], joined["i_t"], joined["i_2050"], variant, baseline)
    return pd.DataFrame(
        {"intensity": intensity.to_numpy(), "target_intensity": target, "alignment_gap": intensity / target - 1,
         "pathway_unit": joined["pathway_unit"].to_numpy()},
        index=book.index,
    )  # fmt: skip
