"""Uniform-price call auction (集合竞价) and the least-cost benchmark solved independently as a linear programme.

Call auction: with bids b (price, quantity) and asks a, demand D(p) = Σ q_b [price_b ≥ p] and supply
S(p) = Σ q_a [price_a ≤ p]. The clearing price is the order price that maximises the executed volume
min(D, S); ties go to the smallest imbalance |D − S|, then to the price closest to the reference price (the
rule of exchange call auctions). Orders better than the price fill completely; at the price they fill by time
priority (submission order). Every unit of volume is one buyer's and one seller's, so allowances are conserved.

Least cost (:func:`least_cost`): min Σ c_s x_s + P·u subject to Σ x_s + u ≥ A, 0 ≤ x_s ≤ q_s, u ≥ 0, with A the
allowances missing in aggregate (−Σ positions), steps s of every unit and P the price of non-compliance; solved
with scipy's HiGHS. Its dual is the competitive price: all units abate until their marginal costs equal it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from coreduce.market.abatement import Orders


@dataclass(frozen=True)
class Clearing:
    """Price, volume, the quantity each order filled, and the pairwise trades."""

    price: float
    volume: float
    filled: np.ndarray
    trades: pd.DataFrame


def _priority(orders: Orders, side: np.ndarray, buy: bool) -> np.ndarray:
    idx = np.flatnonzero(side)
    key = -orders.price[idx] if buy else orders.price[idx]
    return idx[np.lexsort((idx, key))]


def clearing_price(orders: Orders, reference: float) -> tuple[float, float]:
    """(price, volume) of the call auction; (nan, 0) when no bid meets an ask."""
    bid_p, bid_q = orders.price[orders.buy], orders.quantity[orders.buy]
    ask_p, ask_q = orders.price[~orders.buy], orders.quantity[~orders.buy]
    if not len(bid_p) or not len(ask_p):
        return float("nan"), 0.0
    candidates = np.unique(np.r_[bid_p, ask_p])
    bo, ao = np.argsort(bid_p, kind="stable"), np.argsort(ask_p, kind="stable")
    bid_cum = np.r_[0.0, np.cumsum(bid_q[bo])]
    ask_cum = np.r_[0.0, np.cumsum(ask_q[ao])]
    demand = bid_cum[-1] - bid_cum[np.searchsorted(bid_p[bo], candidates, side="left")]
    supply = ask_cum[np.searchsorted(ask_p[ao], candidates, side="right")]
    volume = np.minimum(demand, supply)
    best = volume.max()
    if best <= 1e-9:
        return float("nan"), 0.0
    tol = 1e-9 * max(best, 1.0)
    keep = volume >= best - tol
    imbalance = np.abs(demand - supply)
    keep &= imbalance <= imbalance[keep].min() + tol
    chosen = candidates[keep]
    return float(chosen[np.argmin(np.abs(chosen - reference))]), float(best)


def _fill(orders: Orders, order_ids: np.ndarray, volume: float) -> np.ndarray:
    qty = orders.quantity[order_ids]
    before = np.cumsum(qty) - qty
    return np.clip(volume - before, 0.0, qty)


def pair_trades(
    orders: Orders,
    bids: np.ndarray,
    bid_fill: np.ndarray,
    asks: np.ndarray,
    ask_fill: np.ndarray,
    price: np.ndarray | float,
) -> pd.DataFrame:
    """Match filled bids and asks in priority order into (buy order, sell order, quantity) pairs (vectorised)."""
    b, bf = bids[bid_fill > 0], bid_fill[bid_fill > 0]
    a, af = asks[ask_fill > 0], ask_fill[ask_fill > 0]
    bc, ac = np.cumsum(bf), np.cumsum(af)
    total = min(bc[-1], ac[-1]) if len(bc) and len(ac) else 0.0
    edges = np.unique(np.r_[bc[bc < total], ac[ac < total], total]) if total > 0 else np.array([])
    lows = np.r_[0.0, edges[:-1]]
    qty = edges - lows
    mid = (lows + edges) / 2.0
    bi = b[np.minimum(np.searchsorted(bc, mid), len(b) - 1)] if len(edges) else np.array([], int)
    ai = a[np.minimum(np.searchsorted(ac, mid), len(a) - 1)] if len(edges) else np.array([], int)
    keep = qty > 1e-9
    trades = pd.DataFrame(
        {
            "buy_order": bi[keep],
            "sell_order": ai[keep],
            "buyer": orders.unit[bi[keep]],
            "seller": orders.unit[ai[keep]],
            "price": np.broadcast_to(price, len(qty))[keep] if np.ndim(price) else price,
            "quantity_t": qty[keep],
        }
    )
    return trades


def call_auction(orders: Orders, reference: float) -> Clearing:
    """Clear ``orders`` at one uniform price (see the module docstring)."""
    price, volume = clearing_price(orders, reference)
    filled = np.zeros(len(orders))
    if volume <= 0:
        return Clearing(
            price,
            0.0,
            filled,
            pair_trades(orders, np.array([], int), np.array([]), np.array([], int), np.array([]), price),
        )
    bids = _priority(orders, orders.buy & (orders.price >= price), buy=True)
    asks = _priority(orders, ~orders.buy & (orders.price <= price), buy=False)
    filled[bids] = _fill(orders, bids, volume)
    filled[asks] = _fill(orders, asks, volume)
    trades = pair_trades(orders, bids, filled[bids], asks, filled[asks], price)
    return Clearing(price, volume, filled, trades)


@dataclass(frozen=True)
class LeastCost:
    """The least-cost abatement: quantity per step, uncovered shortfall, total cost and the shadow price."""

    abatement: np.ndarray
    uncovered: float
    cost: float
    price: float


def least_cost(position: np.ndarray, steps: pd.DataFrame, noncompliance_price: float) -> LeastCost:
    """Solve the least-cost linear programme (module docstring) with scipy ``linprog`` (HiGHS)."""
    required = float(-np.sum(position))
    q = steps["quantity_t"].to_numpy(float)
    c = steps["cost"].to_numpy(float)
    if required <= 0:
        return LeastCost(np.zeros(len(q)), 0.0, 0.0, 0.0)
    scale = 1e6  # solve in Mt for conditioning
    cost = np.r_[c, noncompliance_price]
    a_ub = -np.ones((1, len(q) + 1))
    bounds = [(0.0, x / scale) for x in q] + [(0.0, None)]
    res = linprog(cost, A_ub=a_ub, b_ub=[-required / scale], bounds=bounds, method="highs")
    if res.status != 0:
        raise RuntimeError(f"least-cost programme not solved: {res.message}")
    x = res.x * scale
    return LeastCost(x[:-1], float(x[-1]), float(res.fun * scale), float(-res.ineqlin.marginals[0]))
