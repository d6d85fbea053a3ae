"""Compliance positions under the plans: obligation after the caps, CCER offsets, banking and borrowing.

For unit (or owner) *i* with allocation A and verified emissions E:

* gas cap (燃气机组): a gas unit's obligation is min(E, A) — its shortfall is waived;
* 20 % rule (配额缺口上限): obligation ≤ A + 20 % × E;
* CCER offsets (MEE Order No. 19, art. 29): at most 5 % of the obligation, used only to cover a shortfall;
* borrowing (2021–2022 plan, 配额预支): a holder whose shortfall is ≥ 10 % of its allocation may borrow up to
  50 % of the shortfall from the next allocation (when the convention ``borrowing`` is on);
* banking: allowances banked from earlier years count only under plans that allow carry-over;
* position = A + banked + offsets + borrowed − obligation: below zero the holder must buy, above it can sell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.market.allocation import allocate
from coreduce.market.conventions import MarketConventions
from coreduce.market.plans import plan
from coreduce.market.results import AllocationResult, PositionsResult
from coreduce.results import Note

POSITION_SUMS = ["emissions_t", "allocation_t", "obligation_t", "offsets_t", "banked_t", "borrowed_t"]
POSITION_SUMS += ["position_t", "must_buy_t", "can_sell_t"]


def _capped(alloc: np.ndarray, emis: np.ndarray, gas: np.ndarray, conv: MarketConventions, cap: float) -> np.ndarray:
    obligation = emis.copy()
    if conv.gas_cap:
        obligation = np.where(gas, np.minimum(obligation, alloc), obligation)
    if conv.shortfall_cap:
        obligation = np.minimum(obligation, alloc + cap * emis)
    return obligation


def obligations(units: pd.DataFrame, conv: MarketConventions) -> np.ndarray:
    """Each unit's surrender obligation after the gas and 20 % caps, per unit or per owner (``cap_level``).

    At owner level the caps act on the owner's totals and the waived amount is shared among its units in
    proportion to their shortfalls.
    """
    p = plan(conv.plan_year)
    alloc, emis = units["allocation_t"].to_numpy(float), units["emissions_t"].to_numpy(float)
    gas = (units["category"] == "gas").to_numpy()
    if conv.cap_level == "unit":
        return _capped(alloc, emis, gas, conv, p.shortfall_cap.value)
    # gas cap per unit first (a gas unit's own waiver), then the 20 % rule on the owner's totals
    per_unit = _capped(alloc, emis, gas, conv.replace(shortfall_cap=False), 0.0)
    owner = units["owner"].fillna(units["unit_id"]).to_numpy()
    frame = pd.DataFrame({"owner": owner, "a": alloc, "e": emis, "o": per_unit})
    sums = frame.groupby("owner")[["a", "e", "o"]].transform("sum")
    capped = np.minimum(sums["o"], sums["a"] + p.shortfall_cap.value * sums["e"]) if conv.shortfall_cap else sums["o"]
    waived = (sums["o"] - capped).to_numpy()
    shortfall = np.maximum(per_unit - alloc, 0.0)
    owner_short = pd.Series(shortfall).groupby(owner).transform("sum").to_numpy()
    share = np.divide(shortfall, owner_short, out=np.zeros_like(shortfall), where=owner_short > 0)
    return per_unit - waived * share


def unit_positions(allocated: pd.DataFrame, conv: MarketConventions) -> pd.DataFrame:
    """The allocation table with obligation, offsets, banked, borrowed, position, must-buy and can-sell."""
    p = plan(conv.plan_year)
    out = allocated.copy()
    out["obligation_t"] = obligations(out, conv)
    gap = np.maximum(out["obligation_t"] - out["allocation_t"], 0.0)
    out["banked_t"] = out["banked"].fillna(0.0) if p.banking else 0.0
    gap = np.maximum(gap - out["banked_t"], 0.0)
    ccer = p.ccer_cap.value * out["obligation_t"] if conv.offsets == "up_to_cap" else 0.0 * gap
    out["offsets_t"] = np.minimum(gap, ccer)
    gap = gap - out["offsets_t"]
    out["borrowed_t"] = 0.0
    if conv.borrowing and p.borrowing_share is not None:
        rate = np.divide(gap, out["allocation_t"], out=np.zeros(len(out)), where=out["allocation_t"] > 0)
        eligible = rate >= p.borrowing_gap_threshold.value
        out["borrowed_t"] = np.where(eligible, p.borrowing_share.value * gap, 0.0)
    holdings = out["allocation_t"] + out["banked_t"] + out["offsets_t"] + out["borrowed_t"]
    out["position_t"] = holdings - out["obligation_t"]
    out["must_buy_t"] = np.maximum(-out["position_t"], 0.0)
    out["can_sell_t"] = np.maximum(out["position_t"], 0.0)
    out["side"] = np.select([out["position_t"] < 0, out["position_t"] > 0], ["buyer", "seller"], "balanced")
    return out


def position_totals(units: pd.DataFrame, by: str | None) -> pd.DataFrame:
    cols = [c for c in POSITION_SUMS if c in units.columns]
    if by is None:
        table = units[cols].sum().to_frame().T
        table.index = pd.Index(["China"], name="geo")
        table["buyers"], table["sellers"] = (
            int((units["side"] == "buyer").sum()),
            int((units["side"] == "seller").sum()),
        )
        return table
    table = units.groupby(by)[cols].sum()
    table["buyers"] = units["side"].eq("buyer").groupby(units[by]).sum()
    table["sellers"] = units["side"].eq("seller").groupby(units[by]).sum()
    return table


def positions(
    units: pd.DataFrame, conv: MarketConventions | None = None, allocation: AllocationResult | None = None
) -> PositionsResult:
    """Compliance positions of every unit with province and national totals (sums of the units)."""
    conv = conv or MarketConventions()
    allocation = allocation or allocate(units, conv)
    table = unit_positions(allocation.units, conv)
    notes = list(allocation.notes)
    if plan(conv.plan_year).banking is False and table["banked"].fillna(0).gt(0).any():
        notes.append(Note.of("note.market.banking_not_allowed", plan_year=conv.plan_year))
    if conv.borrowing and plan(conv.plan_year).borrowing_share is None:
        notes.append(Note.of("note.market.borrowing_not_allowed", plan_year=conv.plan_year))
    return PositionsResult(
        units=table,
        provinces=position_totals(table, "province"),
        nation=position_totals(table, None),
        conventions=conv.records(),
        notes=tuple(notes),
        missing=allocation.missing,
        sources=allocation.sources,
    )
