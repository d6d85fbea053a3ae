"""What a matching leaves behind: who abated how much at what cost, who stayed short, and the co-pollutants.

Given the orders and the quantity each filled: an ask standing for an abatement step abates what it sold; a
bid standing for a step (buying instead of abating) abates what it did not buy; a non-compliance bid left
unfilled is a shortfall costed at the non-compliance price. Surplus sold or kept costs nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.market.abatement import COPOLLUTANT_SHARE, Orders

POLLUTANTS = ("so2", "nox", "pm25")


def step_abatement(orders: Orders, filled: np.ndarray, n_steps: int) -> np.ndarray:
    """Tonnes of CO2 abated on each abatement step."""
    abated = np.zeros(n_steps)
    ask_step = (orders.kind == 1) & (orders.step >= 0)
    bid_step = (orders.kind == 2) & (orders.step >= 0)
    np.add.at(abated, orders.step[ask_step], filled[ask_step])
    np.add.at(abated, orders.step[bid_step], orders.quantity[bid_step] - filled[bid_step])
    return abated


def evaluate(orders: Orders, filled: np.ndarray, steps: pd.DataFrame, n_units: int, penalty: float) -> pd.DataFrame:
    """Per unit: bought, sold, abated (t), abatement cost (CNY), uncovered shortfall (t) and its cost."""
    abated = step_abatement(orders, filled, len(steps))
    unit_of_step = steps["unit"].to_numpy()
    short = orders.kind == 3
    table = pd.DataFrame(
        {
            "bought_t": np.bincount(orders.unit[orders.buy], filled[orders.buy], n_units),
            "sold_t": np.bincount(orders.unit[~orders.buy], filled[~orders.buy], n_units),
            "abated_t": np.bincount(unit_of_step, abated, n_units),
            "abatement_cost": np.bincount(unit_of_step, abated * steps["cost"].to_numpy(), n_units),
            "uncovered_t": np.bincount(orders.unit[short], orders.quantity[short] - filled[short], n_units),
        }
    )
    table["uncovered_cost"] = table["uncovered_t"] * penalty
    for option in steps["option"].unique():
        mask = (steps["option"] == option).to_numpy()
        table[f"abated_{option}_t"] = np.bincount(unit_of_step[mask], abated[mask], n_units)
    return table


def total_cost(table: pd.DataFrame) -> float:
    return float(table["abatement_cost"].sum() + table["uncovered_cost"].sum())


def copollutant_changes(units: pd.DataFrame, table: pd.DataFrame, factors: dict[str, dict[str, float]] | None):
    """Change of SO2, NOx and PM2.5 (t, negative = less) per unit from the abatement in ``table``.

    ``factors``: kg of pollutant per GJ of fuel by fuel (``coal``, ``gas``), from the factor library; per t CO2
    abated the change is factor ÷ (EF_CO2 / 10⁶) kg times the option's share (:data:`COPOLLUTANT_SHARE`).
    Returns None when no factors are available.
    """
    if not factors:
        return None
    ef_t_per_gj = units["ef_kg_per_tj"].to_numpy(float) / 1e6
    out = pd.DataFrame(index=table.index)
    for pollutant in POLLUTANTS:
        per_gj = units["fuel"].map(lambda f, p=pollutant: factors.get(f, {}).get(p, np.nan)).to_numpy(float)
        per_t_co2_kg = per_gj / ef_t_per_gj
        removed = sum(
            table.get(f"abated_{option}_t", 0.0) * shares[pollutant] for option, shares in COPOLLUTANT_SHARE.items()
        )
        out[f"{pollutant}_change_t"] = -np.asarray(removed) * per_t_co2_kg / 1000.0
    return out
