"""A continuous limit order book with the national market's listing-trade rules (挂牌协议交易).

Rules as a user meets them (MEE 2021 碳排放权交易管理规则（试行）; SEEE 2021 公告 — percentages unverified):

* prices in CNY per t on a tick of 0.01 CNY, quantities in whole tonnes;
* a price limit band around the previous close: ±10 % for listing trades, ±30 % for block trades (大宗协议交易,
  orders of at least 100,000 t); an order priced outside the band is rejected;
* price-time priority: an incoming order trades with the best-priced resting order first, and among equal
  prices with the earliest; each trade is at the resting order's price.

Prices are held as integer ticks, so comparisons are exact; the book is two heaps (best bid, best ask), and
each submission costs O(log n) per resting order it touches.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field


class OrderRejected(ValueError):
    """An order the exchange rules do not accept: names the order, the field and the rule."""


@dataclass
class Trade:
    buy_order: int
    sell_order: int
    buyer: int
    seller: int
    price: float
    quantity: int
    time: int


@dataclass
class OrderBook:
    """Price-time priority matching within a price band ``[reference × (1 − limit), reference × (1 + limit)]``."""

    reference: float
    limit: float
    tick: float = 0.01
    min_quantity: int = 1
    trades: list[Trade] = field(default_factory=list)
    _bids: list = field(default_factory=list)
    _asks: list = field(default_factory=list)
    _clock: int = 0

    def __post_init__(self) -> None:
        self.lower_tick = math.ceil(round(self.reference * (1 - self.limit) / self.tick, 6))
        self.upper_tick = math.floor(round(self.reference * (1 + self.limit) / self.tick, 6))

    @property
    def band(self) -> tuple[float, float]:
        return self.lower_tick * self.tick, self.upper_tick * self.tick

    def to_ticks(self, price: float, buy: bool) -> int:
        """A price in ticks: bids round down, asks round up (never beyond what the trader accepts)."""
        units = round(price / self.tick, 6)
        return math.floor(units) if buy else math.ceil(units)

    def submit(self, order_id: int, trader: int, buy: bool, price: float, quantity: int) -> list[Trade]:
        """Match an order against the book, rest what is left, and return the trades it made."""
        if quantity < self.min_quantity or int(quantity) != quantity:
            raise OrderRejected(f"order {order_id}: quantity {quantity} must be whole tonnes ≥ {self.min_quantity}")
        ticks = self.to_ticks(price, buy)
        if not self.lower_tick <= ticks <= self.upper_tick:
            low, high = self.band
            raise OrderRejected(f"order {order_id}: price {price} outside the price limits [{low:.2f}, {high:.2f}]")
        self._clock += 1
        made: list[Trade] = []
        book = self._asks if buy else self._bids
        remaining = int(quantity)
        while remaining and book:
            key, seq, rest_id, rest_trader, rest_qty = book[0]
            rest_ticks = key if buy else -key
            if (buy and rest_ticks > ticks) or (not buy and rest_ticks < ticks):
                break
            qty = min(remaining, rest_qty)
            buy_id, sell_id = (order_id, rest_id) if buy else (rest_id, order_id)
            buyer, seller = (trader, rest_trader) if buy else (rest_trader, trader)
            made.append(Trade(buy_id, sell_id, buyer, seller, rest_ticks * self.tick, qty, self._clock))
            remaining -= qty
            if qty == rest_qty:
                heapq.heappop(book)
            else:
                book[0] = (key, seq, rest_id, rest_trader, rest_qty - qty)
        if remaining:
            own = self._bids if buy else self._asks
            heapq.heappush(own, (-ticks if buy else ticks, self._clock, order_id, trader, remaining))
        self.trades.extend(made)
        return made

    def resting(self, buy: bool) -> list[tuple[float, int, int, int]]:
        """Resting orders of one side in priority order: (price, time, order id, quantity left)."""
        side = sorted(self._bids if buy else self._asks)
        return [((-k if buy else k) * self.tick, seq, oid, qty) for k, seq, oid, _, qty in side]
