"""Marginal abatement cost (MAC) steps of each unit, and the bids and asks they imply.

Each unit *i* has three abatement options *k* (a step of quantity q_ik t CO2 at a constant cost c_ik CNY/t):

* ``efficiency``: heat-rate upgrades (turbine flow-path retrofits, optimisation) closing part of the gap to the
  fleet's best decile: q = clip((HR_i − HR_p10) / HR_i, 1 %, 8 %) × E_i;
* ``cofiring``: biomass co-firing of up to 10 % of the heat input: q = 10 % × E_i (coal units);
* ``output_shift``: output shifted to lower-carbon plant: q = 15 % × E_i.

Base costs (CNY/t CO2) are modelling assumptions, **unverified**; each unit's cost is the base times a
log-normal factor exp(σz − σ²/2) (mean one, σ the convention ``abatement_dispersion``, z from the recorded
seed), standing for the unit differences the tracker does not show.

Orders (:func:`orders`): a unit needing N_i allowances covers them with its cheapest steps first; the part of a
step that covers its need becomes a *bid* at the step's cost (buying is worth it below that price), the rest of
the step an *ask* at its cost (abating more to sell); need beyond all steps is a bid at the non-compliance
price. A unit with a surplus asks its surplus at zero and all its steps at their costs. Summed over units these
orders reproduce each unit's net demand at every price, so a uniform-price clearing is the competitive
equilibrium in which all units abate until their marginal costs equal the price.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

OPTIONS = ("efficiency", "cofiring", "output_shift")
BASE_COST = {"efficiency": 60.0, "cofiring": 260.0, "output_shift": 150.0}
"""CNY per t CO2 — modelling assumptions (unverified), recorded in every clearing result."""
COPOLLUTANT_SHARE = {
    "efficiency": {"so2": 1.0, "nox": 1.0, "pm25": 1.0},
    "cofiring": {"so2": 1.0, "nox": 0.0, "pm25": 0.0},
    "output_shift": {"so2": 1.0, "nox": 1.0, "pm25": 1.0},
}
"""Share of the coal-burning pollutants removed with each t CO2 abated: less coal burnt removes all three; co-fired
biomass carries almost no sulphur but its NOx and PM are taken as unchanged (assumption)."""
KINDS = ("surplus", "step", "need", "noncompliance")


def abatement_steps(units: pd.DataFrame, dispersion: float, seed: int) -> pd.DataFrame:
    """One row per unit and option: unit index, option, quantity (t CO2) and cost (CNY/t)."""
    n = len(units)
    emissions = units["emissions_t"].to_numpy(float)
    rate = units["heat_rate_btu_kwh"].to_numpy(float)
    coal = (units["fuel"] == "coal").to_numpy() if "fuel" in units else np.ones(n, bool)
    best = np.percentile(rate[coal], 10) if coal.any() else rate.min(initial=0.0)
    shares = {
        "efficiency": np.clip((rate - best) / rate, 0.01, 0.08),
        "cofiring": np.where(coal, 0.10, 0.0),
        "output_shift": np.full(n, 0.15),
    }
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, len(OPTIONS)))
    factor = np.exp(dispersion * z - dispersion**2 / 2.0)
    frames = [
        pd.DataFrame(
            {
                "unit": np.arange(n),
                "option": option,
                "quantity_t": shares[option] * emissions,
                "cost": BASE_COST[option] * factor[:, k],
            }
        )
        for k, option in enumerate(OPTIONS)
    ]
    steps = pd.concat(frames, ignore_index=True)
    return steps[steps["quantity_t"] > 0].reset_index(drop=True)


@dataclass(frozen=True)
class Orders:
    """Bids and asks as parallel arrays (one entry per order, in submission order)."""

    unit: np.ndarray
    buy: np.ndarray
    price: np.ndarray
    quantity: np.ndarray
    kind: np.ndarray
    """index into :data:`KINDS`"""
    step: np.ndarray
    """row of the abatement step the order stands for, −1 for surplus and non-compliance"""

    def __len__(self) -> int:
        return len(self.unit)

    def take(self, index: np.ndarray) -> Orders:
        return Orders(*(getattr(self, f)[index] for f in ("unit", "buy", "price", "quantity", "kind", "step")))


def orders(position: np.ndarray, steps: pd.DataFrame, noncompliance_price: float) -> Orders:
    """The bids and asks of every unit (see the module docstring), vectorised over steps.

    ``position``: allowances held minus obligation per unit (negative: need to cover).
    """
    need = np.maximum(-np.asarray(position, float), 0.0)
    surplus = np.maximum(np.asarray(position, float), 0.0)
    order = np.lexsort((steps["cost"].to_numpy(), steps["unit"].to_numpy()))
    unit = steps["unit"].to_numpy()[order]
    qty = steps["quantity_t"].to_numpy()[order]
    cost = steps["cost"].to_numpy()[order]
    cum = np.cumsum(qty)
    start_of_unit = np.r_[0, np.flatnonzero(np.diff(unit)) + 1]
    before_unit = np.repeat(np.r_[0.0, cum][start_of_unit], np.diff(np.r_[start_of_unit, len(unit)]))
    before = cum - qty - before_unit
    covered = np.clip(need[unit] - before, 0.0, qty)
    extra = qty - covered
    potential = np.bincount(unit, weights=qty, minlength=len(need))
    short = np.maximum(need - potential, 0.0)
    units_all = np.arange(len(need))
    parts = [
        (units_all, np.zeros(len(need), bool), np.zeros(len(need)), surplus, 0, -1),
        (unit, np.ones(len(unit), bool), cost, covered, 2, order),
        (unit, np.zeros(len(unit), bool), cost, extra, 1, order),
        (units_all, np.ones(len(need), bool), np.full(len(need), noncompliance_price), short, 3, -1),
    ]
    cols = [[], [], [], [], [], []]
    for u, b, p, q, k, s in parts:
        keep = q > 1e-9
        for col, value in zip(cols, (u, b, p, q, np.full(len(u), k), np.broadcast_to(s, len(u))), strict=True):
            col.append(np.asarray(value)[keep])
    return Orders(*(np.concatenate(c) for c in cols))
