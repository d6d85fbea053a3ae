"""Matching buyers and sellers: the continuous book (listing and block trades) and the call auction, on the
orders every unit's position and abatement costs imply (:mod:`coreduce.market.abatement`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coreduce.market.abatement import Orders, abatement_steps, orders
from coreduce.market.auction import Clearing, call_auction
from coreduce.market.compliance import unit_positions
from coreduce.market.conventions import MarketConventions
from coreduce.market.orderbook import OrderBook


@dataclass(frozen=True)
class Market:
    """Everything a matching needs: unit table with positions, abatement steps and orders."""

    units: pd.DataFrame
    steps: pd.DataFrame
    orders: Orders
    conv: MarketConventions


def build_market(allocated: pd.DataFrame, conv: MarketConventions) -> Market:
    """Positions, abatement steps (seeded) and orders of the allocated units."""
    units = unit_positions(allocated, conv).reset_index(drop=True)
    steps = abatement_steps(units, conv.abatement_dispersion, conv.seed)
    book = orders(units["position_t"].to_numpy(), steps, conv.noncompliance_price)
    return Market(units, steps, book, conv)


def _banded_prices(book: OrderBook, price: np.ndarray, buy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Prices a trader can post: a bid above the band goes at the upper limit, an ask below it at the lower
    limit; a bid below or an ask above the band cannot be posted (returned as not placeable)."""
    low, high = book.band
    placeable = np.where(buy, price >= low, price <= high)
    return np.clip(price, low, high), placeable


def continuous(orders_: Orders, conv: MarketConventions) -> Clearing:
    """Orders arrive in a seeded random sequence at the continuous book; block-sized orders go to the block
    book (±``block_limit``), the others to the listing book (±``price_limit``). Quantities are whole tonnes."""
    rng = np.random.default_rng(conv.seed)
    arrival = rng.permutation(len(orders_))
    listing = OrderBook(conv.reference_price, conv.price_limit, conv.tick)
    block = OrderBook(conv.reference_price, conv.block_limit, conv.tick, min_quantity=conv.block_size)
    quantity = np.floor(orders_.quantity + 1e-6).astype(np.int64)
    filled = np.zeros(len(orders_))
    rows = []
    prices = {id(b): _banded_prices(b, orders_.price, orders_.buy) for b in (listing, block)}
    for i in arrival:
        if quantity[i] < 1:
            continue
        venue = block if quantity[i] >= conv.block_size else listing
        price, placeable = prices[id(venue)]
        if not placeable[i]:
            continue
        for trade in venue.submit(
            int(i), int(orders_.unit[i]), bool(orders_.buy[i]), float(price[i]), int(quantity[i])
        ):
            filled[trade.buy_order] += trade.quantity
            filled[trade.sell_order] += trade.quantity
            rows.append((trade.buy_order, trade.sell_order, trade.buyer, trade.seller, trade.price, trade.quantity))
    trades = pd.DataFrame(rows, columns=["buy_order", "sell_order", "buyer", "seller", "price", "quantity_t"])
    volume = float(trades["quantity_t"].sum())
    last = float(trades["price"].iloc[-1]) if len(trades) else float("nan")
    return Clearing(last, volume, filled, trades)


def match(market: Market, mechanism: str = "auction") -> Clearing:
    """Clear the market's orders with the uniform-price call auction or the continuous book."""
    if mechanism == "auction":
        return call_auction(market.orders, market.conv.reference_price)
    if mechanism == "continuous":
        return continuous(market.orders, market.conv)
    raise ValueError(f"mechanism {mechanism!r}: expected 'auction' or 'continuous'")


def curves(orders_: Orders) -> pd.DataFrame:
    """Aggregate demand (bids, price descending) and supply (asks, ascending) as cumulative step curves."""
    frames = []
    for side, buy in (("demand", True), ("supply", False)):
        price, qty = orders_.price[orders_.buy == buy], orders_.quantity[orders_.buy == buy]
        order = np.argsort(-price if buy else price, kind="stable")
        frames.append(pd.DataFrame({"side": side, "price": price[order], "quantity_t": np.cumsum(qty[order])}))
    return pd.concat(frames, ignore_index=True)
