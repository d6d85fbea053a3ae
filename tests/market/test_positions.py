"""Compliance positions: the plans' caps (gas units, the 20 % rule), CCER offsets up to 5 %, banking, borrowing."""

from __future__ import annotations

import pandas as pd
import pytest

from coreduce.market import MarketConventions, positions
from coreduce.market.compliance import unit_positions


def _allocated(rows):
    base = {"category": "coal_300_plus", "owner": None, "banked": 0.0, "province": "Shandong"}
    return pd.DataFrame([base | r for r in rows])


def test_twenty_percent_rule_gas_cap_and_offsets_by_hand():
    table = _allocated(
        [
            dict(unit_id="short", allocation_t=700.0, emissions_t=1000.0),
            dict(unit_id="gas", category="gas", allocation_t=800.0, emissions_t=1000.0),
            dict(unit_id="long", allocation_t=1200.0, emissions_t=1000.0),
            dict(unit_id="small", allocation_t=980.0, emissions_t=1000.0),
        ]
    )
    out = unit_positions(table, MarketConventions(plan_year=2022)).set_index("unit_id")
    # short: obligation min(1000, 700 + 0.2 × 1000) = 900; CCER min(200, 5 % × 900 = 45) → position −155
    assert out.loc["short", "obligation_t"] == pytest.approx(900.0)
    assert out.loc["short", "offsets_t"] == pytest.approx(45.0)
    assert out.loc["short", "position_t"] == pytest.approx(-155.0)
    # gas: obligation capped at the allocation (800) → balanced, no offsets needed
    assert out.loc["gas", ["obligation_t", "offsets_t", "position_t"]].tolist() == [800.0, 0.0, 0.0]
    # long: 200 to sell; small: shortfall 20 covered by CCER (≤ 50)
    assert out.loc["long", "can_sell_t"] == 200.0 and out.loc["small", "position_t"] == pytest.approx(0.0)
    plain = unit_positions(table, MarketConventions(offsets="none", shortfall_cap=False, gas_cap=False))
    assert plain.set_index("unit_id")["position_t"].tolist() == [-300.0, -200.0, 200.0, -20.0]


def test_owner_level_cap_applies_to_the_owners_total():
    table = _allocated(
        [
            dict(unit_id="a", owner="X", allocation_t=500.0, emissions_t=1000.0),
            dict(unit_id="b", owner="X", allocation_t=1000.0, emissions_t=1000.0),
        ]
    )
    conv = MarketConventions(cap_level="owner", offsets="none")
    out = unit_positions(table, conv).set_index("unit_id")
    # owner: A = 1500, E = 2000, cap 1500 + 400 = 1900 → 100 waived, all on unit a (the only shortfall)
    assert out["obligation_t"].tolist() == [900.0, 1000.0]
    unit_level = unit_positions(table, conv.replace(cap_level="unit")).set_index("unit_id")
    assert unit_level["obligation_t"].tolist() == [700.0, 1000.0]


def test_borrowing_and_banking_follow_the_plan():
    table = _allocated([dict(unit_id="a", allocation_t=800.0, emissions_t=1000.0, banked=50.0)])
    conv = MarketConventions(plan_year=2022, offsets="none", borrowing=True)
    out = unit_positions(table, conv).iloc[0]
    # banked 50 counts (2021–2022 plan allows carry-over); gap 150 ≥ 10 % of 800 → borrow 50 % = 75
    assert (out["banked_t"], out["borrowed_t"], out["position_t"]) == (50.0, 75.0, -75.0)
    old = unit_positions(table, conv.replace(plan_year=2020)).iloc[0]
    assert (old["banked_t"], old["borrowed_t"], old["position_t"]) == (0.0, 0.0, -200.0)


def test_positions_totals_equal_units(gem_units):
    result = positions(gem_units)
    units = result.units
    for column in ("position_t", "must_buy_t", "can_sell_t", "obligation_t"):
        assert result.provinces[column].sum() == pytest.approx(units[column].sum(), rel=1e-12)
        assert result.nation[column].iloc[0] == pytest.approx(units[column].sum(), rel=1e-12)
    assert (units["offsets_t"] <= 0.05 * units["obligation_t"] + 1e-9).all()
    assert result.nation["buyers"].iloc[0] == (units["position_t"] < 0).sum()
