"""The CEADs accounting of energy-related CO2, with its factors recovered from published energy/CO2 pairs.

CEADs computes the scope-1 CO2 of fuel *f* burnt in sector *s* of a province as (Shan et al. 2018, Sci. Data
5:170201, Eq. 1)

    CE_{s,f} = AD_{s,f} × NCV_f × CC_f × O_{s,f}

with AD the activity (physical quantity combusted), NCV the net calorific value, CC the carbon content and O the
oxidation rate; the activity is the final consumption of the sector, plus, for the power and heat sector, the
fuel input to thermal power and heating supply, and, for the chemical industry, less the fuel used as feedstock
(non-energy use), which is not burnt. The CEADs energy inventories give AD; the CO2 inventories give CE for
2011–2019. Their ratio is the composite factor NCV × CC × O, which this module recovers per sector and fuel as a
ratio of sums over the calibration years and the provinces,

    EF_{s,f} = Σ_{p,t} CE_{p,s,f,t} / Σ_{p,t} AD_{p,s,f,t}   (cells with AD > 0),

falling back to the ratio over all sectors for that fuel when a sector has no positive activity in the
calibration years (``level="province"`` recovers EF_{p,s,f} per province instead). Derived CO2 is EF × AD.
The factor is recovered, not taken from a table, because CEADs coal factors differ by sector (oxidation) and by vintage.
:func:`validate` measures how well this reproduces published years it did not see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

POWER_SECTOR = "power_heat_supply"
TRANSFORMATION_INPUTS = ("thermal_power", "heating_supply")
FEEDSTOCK_SECTOR = "chemicals"
NON_ENERGY_USE = "non_energy_use"
CELL = ["geo", "sector", "fuel"]


def combustion_activity(energy: pd.DataFrame) -> pd.DataFrame:
    """Activity combusted by sector: ``geo, year, sector, fuel, activity`` from energy cells ``geo, year, row,
    fuel, value`` (rows: 47 sectors, ``thermal_power``, ``heating_supply``, ``non_energy_use``).

    Power and heat = its final consumption + thermal-power and heating-supply inputs; chemicals =
    max(0, final consumption − non-energy use); negative cells count as zero.
    """
    keys = ["geo", "year", "fuel"]
    by_row = energy.pivot_table(index=keys, columns="row", values="value", aggfunc="sum", fill_value=0.0)
    extra = [*TRANSFORMATION_INPUTS, NON_ENERGY_USE]
    missing = [r for r in (*extra, POWER_SECTOR, FEEDSTOCK_SECTOR) if r not in by_row.columns]
    if missing:
        raise ValueError(f"combustion_activity: energy cells lack the row(s) {', '.join(missing)}")
    sectors = by_row.drop(columns=extra).clip(lower=0.0)
    sectors[POWER_SECTOR] += by_row[list(TRANSFORMATION_INPUTS)].clip(lower=0.0).sum(axis=1)
    sectors[FEEDSTOCK_SECTOR] = (sectors[FEEDSTOCK_SECTOR] - by_row[NON_ENERGY_USE]).clip(lower=0.0)
    long = sectors.rename_axis(columns="sector").stack().rename("activity").reset_index()
    return long.loc[:, ["geo", "year", "sector", "fuel", "activity"]]


def _ratio(frame: pd.DataFrame, keys: list[str], name: str) -> pd.Series:
    sums = frame.groupby(keys)[["co2", "activity"]].sum()
    return (sums["co2"] / sums["activity"]).rename(name)


LEVELS = {"province": ["geo", "sector", "fuel"], "sector": ["sector", "fuel"], "fuel": ["fuel"]}
"""How specific a recovered factor is: the keys its ratio of sums runs over."""


def calibrate(
    activity: pd.DataFrame, emissions: pd.DataFrame, years: Iterable[int], level: str = "sector"
) -> pd.DataFrame:
    """Factors (Mt CO2 per physical unit) recovered from the pairs of ``years``: ``geo, sector, fuel, factor,
    level`` (the level whose ratio of sums gave the factor; see the module doc).

    ``level="sector"`` (default) recovers one factor per sector and fuel from all provinces, as CEADs applies
    national NCV and carbon contents and sector oxidation rates; ``"province"`` one per province, sector and fuel
    (it also absorbs differences between the vintages of the energy and CO2 files, and overfits where they drift).
    A cell without positive activity at its level falls back to the next coarser one. ``emissions``: ``geo, year,
    sector, fuel, value`` (Mt); cells without a pair count as zero CO2.
    """
    if level not in LEVELS:
        raise ValueError(f"calibrate: level must be one of {', '.join(LEVELS)}; got {level!r}")
    years = list(years)
    pairs = activity[activity["year"].isin(years)].merge(
        emissions.rename(columns={"value": "co2"}), on=["geo", "year", "sector", "fuel"], how="left"
    )
    pairs["co2"] = pairs["co2"].fillna(0.0)
    positive = pairs[pairs["activity"] > 0]
    chain = list(LEVELS)[list(LEVELS).index(level) :]
    columns = [f"by_{name}" for name in chain]
    out = activity[CELL].drop_duplicates()
    for name, column in zip(chain, columns, strict=True):
        out = out.join(_ratio(positive, LEVELS[name], column), on=LEVELS[name])
    known = out[columns].notna()
    out["level"] = known.idxmax(axis=1).str.removeprefix("by_").where(known.any(axis=1), "none")
    out["factor"] = out[columns].bfill(axis=1).iloc[:, 0].fillna(0.0)
    return out.loc[:, [*CELL, "factor", "level"]].reset_index(drop=True)


def apply_factors(activity: pd.DataFrame, factors: pd.DataFrame) -> pd.DataFrame:
    """CO2 (Mt) = factor × activity for every cell: ``geo, year, sector, fuel, value``."""
    out = activity.merge(factors[[*CELL, "factor"]], on=CELL, how="left")
    out["value"] = out["activity"] * out["factor"].fillna(0.0)
    return out.loc[:, ["geo", "year", "sector", "fuel", "value"]]


@dataclass(frozen=True)
class Validation:
    """Out-of-sample errors of the derivation: ``errors`` has ``geo, year, published, derived, error_pct``
    (derived ÷ published − 1, in %), for the test years, with factors recovered from the calibration years."""

    calibration_years: tuple[int, ...]
    test_years: tuple[int, ...]
    errors: pd.DataFrame
    level: str = "sector"

    @property
    def median_abs(self) -> float:
        return float(self.errors["error_pct"].abs().median())

    @property
    def max_abs(self) -> float:
        return float(self.errors["error_pct"].abs().max())

    def by_province(self) -> pd.DataFrame:
        """One row per province: the largest absolute error over the test years and its signed value."""
        e = self.errors.assign(abs_pct=self.errors["error_pct"].abs())
        worst = e.loc[e.groupby("geo")["abs_pct"].idxmax(), ["geo", "year", "error_pct", "abs_pct"]]
        return worst.sort_values("abs_pct", ascending=False).reset_index(drop=True)

    def summary(self) -> str:
        cal, test = self.calibration_years, self.test_years
        lines = [
            f"CEADs-method CO2, factors by {self.level}, calibrated {cal[0]}–{cal[-1]}, predicted {test[0]}–{test[-1]} "
            f"({self.errors['geo'].nunique()} provinces × {len(test)} years)",
            f"median |error| {self.median_abs:.2f} %, max |error| {self.max_abs:.2f} %",
        ]
        table = self.errors.pivot(index="geo", columns="year", values="error_pct")
        lines += [f"  {g}  " + "  ".join(f"{v:+6.2f}" for v in row) for g, row in table.iterrows()]
        return "\n".join(lines)


def province_totals(cells: pd.DataFrame) -> pd.Series:
    """Σ over sectors and fuels of ``geo, year, sector, fuel, value`` cells, by (geo, year)."""
    return cells.groupby(["geo", "year"])["value"].sum()


def validate(
    activity: pd.DataFrame,
    emissions: pd.DataFrame,
    calibration_years: Iterable[int],
    test_years: Iterable[int],
    level: str = "sector",
) -> Validation:
    """Recover the factors on ``calibration_years``, derive ``test_years`` and compare province totals with the
    published energy-related CO2 of those years (``emissions`` without the process column)."""
    cal, test = tuple(calibration_years), tuple(test_years)
    factors = calibrate(activity, emissions, cal, level)
    derived = province_totals(apply_factors(activity[activity["year"].isin(test)], factors))
    published = province_totals(emissions[emissions["year"].isin(test)])
    errors = pd.concat({"published": published, "derived": derived}, axis=1).dropna().reset_index()
    errors["error_pct"] = (errors["derived"] / errors["published"] - 1.0) * 100.0
    if not np.isfinite(errors["error_pct"]).all():
        raise ValueError("validate: a province has zero published CO2 in a test year")
    return Validation(calibration_years=cal, test_years=test, errors=errors, level=level)
