"""Matching: the call auction clears where demand meets supply, equals the least-cost LP under full information,
conserves allowances; the continuous book keeps price limits and price-time priority (property-based tests)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coreduce.market import MarketConventions
from coreduce.market.abatement import Orders, orders
from coreduce.market.auction import call_auction, clearing_price, least_cost
from coreduce.market.orderbook import OrderBook, OrderRejected
from coreduce.market.outcome import evaluate, step_abatement, total_cost
from coreduce.market.simulate import clear, simulate


def _book(rows):
    unit, buy, price, qty = (np.array(c) for c in zip(*rows, strict=True))
    n = len(rows)
    return Orders(unit, buy.astype(bool), price.astype(float), qty.astype(float), np.ones(n, int), -np.ones(n, int))


def test_call_auction_by_hand():
    # bids 10×5, 8×5, 6×5; asks 5×4, 7×4, 9×4 → volume max 8 at 7 and 8 (imbalance 2 at both); 7 is nearer 7.4
    book = _book([(0, 1, 10, 5), (1, 1, 8, 5), (2, 1, 6, 5), (3, 0, 5, 4), (4, 0, 7, 4), (5, 0, 9, 4)])
    assert clearing_price(book, 7.4) == (7.0, 8.0)
    result = call_auction(book, 7.4)
    assert result.filled.tolist() == [5, 3, 0, 4, 4, 0]
    assert result.trades["quantity_t"].sum() == 8 and (result.trades["price"] == 7.0).all()
    assert clearing_price(book, 100.0) == (8.0, 8.0)


def _random_market(seed: int, n: int = 40):
    rng = np.random.default_rng(seed)
    position = rng.normal(-50, 100, n)
    steps = pd.DataFrame(
        {
            "unit": np.repeat(np.arange(n), 3),
            "option": np.tile(["efficiency", "cofiring", "output_shift"], n),
            "quantity_t": rng.uniform(1, 60, 3 * n),
            "cost": rng.uniform(10, 250, 3 * n),
        }
    )
    return position, steps


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000))
def test_full_information_auction_equals_least_cost_lp(seed):
    position, steps = _random_market(seed)
    penalty = 300.0
    book = orders(position, steps, penalty)
    result = call_auction(book, 96.0)
    cost = total_cost(evaluate(book, result.filled, steps, len(position), penalty))
    lp = least_cost(position, steps, penalty)
    assert cost == pytest.approx(lp.cost, rel=1e-7, abs=1e-4)
    # the same abatement on every step (random costs make the optimum unique), so the same units abate
    assert np.allclose(step_abatement(book, result.filled, len(steps)), lp.abatement, rtol=1e-7, atol=1e-6)
    # allowances conserved: every filled bid is matched by filled asks, trade by trade
    assert result.filled[book.buy].sum() == pytest.approx(result.filled[~book.buy].sum())
    trades = result.trades
    assert trades["quantity_t"].sum() == pytest.approx(result.volume)
    by_buy = trades.groupby("buy_order")["quantity_t"].sum()
    assert np.allclose(result.filled[by_buy.index], by_buy)
    assert book.buy[trades["buy_order"]].all() and not book.buy[trades["sell_order"]].any()


def test_gem_units_full_information_equals_lp(gem_units):
    conv = MarketConventions(heat_rate_basis="gem")
    result = clear(gem_units, conv)
    row = result.summary_table.iloc[0]
    assert row["total_cost"] == pytest.approx(row["least_cost"], rel=1e-9)
    assert row["price"] == pytest.approx(row["least_cost_price"], rel=1e-6)
    assert row["gains_realised"] == pytest.approx(1.0)
    assert row["volume_t"] == pytest.approx(result.trades["quantity_t"].sum())
    units = result.units
    assert units["bought_t"].sum() == pytest.approx(units["sold_t"].sum(), rel=1e-12)
    assert result.provinces["abated_t"].sum() == pytest.approx(units["abated_t"].sum())
    assert not (result.trades["buyer_id"] == result.trades["seller_id"]).any()
    assert result.flows.to_numpy().sum() == pytest.approx(result.trades["quantity_t"].sum())


@pytest.mark.slow
def test_limited_information_costs_more_and_is_reproducible(gem_units):
    conv = MarketConventions(heat_rate_basis="gem", seed=7)
    first = simulate(gem_units, conv).regimes
    assert first.loc["full", "efficiency_gap"] == pytest.approx(0.0, abs=1e-9)
    for regime in ("partial_book", "bilateral", "continuous"):
        assert first.loc[regime, "total_cost"] >= first.loc[regime, "least_cost"] * (1 - 1e-9)
        assert 0.0 <= first.loc[regime, "gains_realised"] <= 1.0 + 1e-9
    again = simulate(gem_units, conv).regimes
    pd.testing.assert_frame_equal(first, again)
    assert simulate(gem_units, conv.replace(seed=8)).regimes.loc["bilateral", "total_cost"] != pytest.approx(
        first.loc["bilateral", "total_cost"]
    )


# --- the continuous book -------------------------------------------------------------------------------------

order_st = st.tuples(st.booleans(), st.integers(-1500, 1500), st.integers(1, 50))


def _naive(orders_, reference=100.0, limit=0.1):
    """Reference matcher: scan all resting orders for the best price, then the earliest (price-time priority)."""
    low, high = round(reference * (1 - limit) * 100), round(reference * (1 + limit) * 100)
    resting, trades = [], []
    for oid, (buy, offset, qty) in enumerate(orders_):
        ticks = 10_000 + offset
        if not low <= ticks <= high:
            continue
        while qty:
            cands = [r for r in resting if r[0] != buy and (r[1] <= ticks if buy else r[1] >= ticks)]
            if not cands:
                break
            best = min(cands, key=lambda r: ((r[1] if buy else -r[1]), r[2]))
            q = min(qty, best[4])
            trades.append((oid, best[3], best[1], q) if buy else (best[3], oid, best[1], q))
            qty -= q
            best[4] -= q
            if best[4] == 0:
                resting.remove(best)
        if qty:
            resting.append([buy, ticks, oid, oid, qty])
    return [(b, s, t, q) for b, s, t, q in trades]


@settings(max_examples=150, deadline=None)
@given(st.lists(order_st, min_size=1, max_size=60))
def test_book_price_limits_priority_and_conservation(stream):
    book = OrderBook(reference=100.0, limit=0.10, tick=0.01)
    low, high = book.band
    submitted = {}
    for oid, (buy, offset, qty) in enumerate(stream):
        price = (10_000 + offset) / 100
        try:
            book.submit(oid, trader=oid % 7, buy=buy, price=price, quantity=qty)
            submitted[oid] = (buy, qty)
        except OrderRejected:
            assert not low - 1e-9 <= price <= high + 1e-9
    for trade in book.trades:
        assert low - 1e-9 <= trade.price <= high + 1e-9  # no trade outside the price limits
        assert trade.quantity > 0 and submitted[trade.buy_order][0] and not submitted[trade.sell_order][0]
    traded = pd.DataFrame([vars(t) for t in book.trades], columns=["buy_order", "sell_order", "quantity"])
    for oid, (buy, qty) in submitted.items():  # allowances conserved: no order fills beyond its size
        done = traded.loc[traded["buy_order" if buy else "sell_order"] == oid, "quantity"].sum()
        left = sum(q for _, _, o, q in book.resting(buy) if o == oid)
        assert done + left == qty
    ours = [(t.buy_order, t.sell_order, round(t.price * 100), t.quantity) for t in book.trades]
    assert ours == _naive(stream)  # the same trades, in the same order, as the price-time reference


def test_book_rejects_out_of_band_and_fractional_orders():
    book = OrderBook(reference=96.02, limit=0.10, tick=0.01)
    assert book.band == pytest.approx((86.42, 105.62))
    with pytest.raises(OrderRejected, match="price limits"):
        book.submit(1, 1, True, 105.63, 10)
    with pytest.raises(OrderRejected, match="whole tonnes"):
        book.submit(2, 1, True, 100.0, 1.5)
    block = OrderBook(reference=96.02, limit=0.30, tick=0.01, min_quantity=100_000)
    assert block.band == pytest.approx((67.22, 124.82))
    with pytest.raises(OrderRejected):
        block.submit(3, 1, True, 100.0, 99_999)


def test_copollutant_side_effects_follow_the_factor_library(gem_units):
    """SO2 removed = CO2 abated by burning less coal × GAINS 2020 power-coal factor (kg/GJ) ÷ CO2 factor (t/GJ)."""
    from coreduce.accounting import load_factor_library, lookup_factor

    result = clear(gem_units, MarketConventions(heat_rate_basis="gem"))
    so2 = lookup_factor(
        load_factor_library(),
        "so2",
        activity_type="fuel",
        unit="GJ",
        fuel="hard_coal",
        sector="power",
        region="CN",
        year=2020,
    )
    assert so2.factor_id == "gains:coal/power/*:CN:so2:2020"
    units = result.units.merge(gem_units[["unit_id", "ef_kg_per_tj"]], on="unit_id")
    removed_t = (units["abated_t"] * so2.value / (units["ef_kg_per_tj"] / 1e6) / 1000).sum()
    assert -result.provinces["so2_change_t"].sum() == pytest.approx(removed_t, rel=1e-9)
    # co-firing keeps NOx: less NOx is removed per t CO2 than SO2 (relative to their factors)
    assert result.provinces["nox_change_t"].sum() < 0
    assert any(n.key == "note.market.unverified_factors" for n in result.notes)
