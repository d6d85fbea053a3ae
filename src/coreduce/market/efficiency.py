"""Information and efficiency: matching under limited information against the least-cost outcome.

* ``full``: one book, uniform-price call auction — the competitive equilibrium;
* ``partial_book``: each participant sees only part of the market — units are split at random into
  round(1 / visible share) separate books, each cleared by its own call auction;
* ``bilateral``: buyers, in random order, contact sellers at random and trade with the first whose ask is at or
  below their bid, at the midpoint price; each bid makes at most round(visible share × 40) contacts.

Gains from trade = cost without trade (each unit covers its own need; *autarky*) − cost with trade; the share
of gains realised is (autarky − regime) / (autarky − least cost), the least cost solved by the LP
(:func:`~coreduce.market.auction.least_cost`). All randomness comes from the recorded seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.market.abatement import Orders
from coreduce.market.auction import Clearing, call_auction, pair_trades
from coreduce.market.matching import Market

MAX_CONTACTS = 40


def partial_book(market: Market) -> Clearing:
    """Clear separate random books of units (module docstring)."""
    conv, book = market.conv, market.orders
    segments = max(1, round(1.0 / conv.visible_share))
    rng = np.random.default_rng(conv.seed + 1)
    segment_of_unit = rng.integers(0, segments, len(market.units))
    filled = np.zeros(len(book))
    trades, volume = [], 0.0
    for s in range(segments):
        idx = np.flatnonzero(segment_of_unit[book.unit] == s)
        part = call_auction(book.take(idx), conv.reference_price)
        filled[idx] = part.filled
        volume += part.volume
        if len(part.trades):
            t = part.trades.copy()
            t["buy_order"], t["sell_order"] = idx[t["buy_order"]], idx[t["sell_order"]]
            trades.append(t.assign(segment=s))
    frame = pd.concat(trades, ignore_index=True) if trades else pair_trades(book, *(np.array([], int),) * 4, 0.0)
    price = float(np.average(frame["price"], weights=frame["quantity_t"])) if len(frame) else float("nan")
    return Clearing(price, volume, filled, frame)


def bilateral(market: Market) -> Clearing:
    """First-acceptable-counterparty bilateral trading (module docstring)."""
    conv, book = market.conv, market.orders
    rng = np.random.default_rng(conv.seed + 2)
    contacts = max(1, round(conv.visible_share * MAX_CONTACTS))
    asks = np.flatnonzero(~book.buy)
    left = book.quantity.copy()
    filled = np.zeros(len(book))
    rows = []
    for b in rng.permutation(np.flatnonzero(book.buy)):
        for a in rng.choice(asks, size=min(contacts, len(asks)), replace=False) if len(asks) else []:
            if left[b] <= 1e-9:
                break
            if left[a] <= 1e-9 or book.price[a] > book.price[b] or book.unit[a] == book.unit[b]:
                continue
            qty = min(left[a], left[b])
            left[a] -= qty
            left[b] -= qty
            filled[a] += qty
            filled[b] += qty
            rows.append((b, a, book.unit[b], book.unit[a], (book.price[a] + book.price[b]) / 2.0, qty))
    trades = pd.DataFrame(rows, columns=["buy_order", "sell_order", "buyer", "seller", "price", "quantity_t"])
    volume = float(trades["quantity_t"].sum())
    price = float(np.average(trades["price"], weights=trades["quantity_t"])) if volume else float("nan")
    return Clearing(price, volume, filled, trades)


def run_regime(market: Market, regime: str) -> Clearing:
    if regime == "full":
        return call_auction(market.orders, market.conv.reference_price)
    if regime == "partial_book":
        return partial_book(market)
    if regime == "bilateral":
        return bilateral(market)
    raise ValueError(f"information {regime!r}: expected full, partial_book or bilateral")


def no_trade(orders: Orders) -> np.ndarray:
    """Fills of autarky: nothing trades."""
    return np.zeros(len(orders))
