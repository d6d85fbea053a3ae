"""Time and peak memory of the carbon-market computations on China's GEM units and on a 100,000-order book.

    python benchmarks/bench_market.py [--repeat 3] [--orders 100000]

1. Allocation and compliance positions for every Chinese unit of the GEM tracker (all statuses: 5,981 units),
   vectorised with numpy (target < 1 s); reading the workbook is timed apart (no baseline: no other tool
   allocates under these plans).
2. Clearing a book of ``--orders`` orders (prices uniform within the ±10 % band around 96.02 CNY/t, whole-tonne
   quantities 1–5,000 t, half bids): the heap-based continuous book (price-time priority) and the vectorised
   uniform-price call auction (target < 2 s each). Baseline: a list-scan matcher (the naive way: scan every
   resting order for the best one) on 2,000 orders.

Last, the book of China's operating units (their positions and abatement steps as bids and asks) is cleared
both ways. Prints problem sizes, best wall time of ``--repeat`` runs, tracemalloc peak memory and the load.

Measured on the 2-core build machine at load average ≈ 20 (2026-12-04): read 5,981 units 2.9 s;
allocation + positions for the 5,971 allocated units (10 IGCC/CCS units have no plan category) 113 ms, peak
9.5 MiB; continuous book 100,000 orders 1.32 s (78,447 trades, peak 25.4 MiB); call auction 100,000 orders
78 ms (peak 9.6 MiB); list-scan baseline 0.12 s for 2,000 orders against 12 ms for the heap book.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from _timing import measure
from coreduce.market import MarketConventions, read_gem
from coreduce.market.abatement import Orders
from coreduce.market.allocation import allocate_units
from coreduce.market.auction import call_auction
from coreduce.market.compliance import unit_positions
from coreduce.market.conventions import STATUSES
from coreduce.market.matching import build_market, continuous
from coreduce.market.orderbook import OrderBook


def random_book(n: int, seed: int = 0) -> Orders:
    rng = np.random.default_rng(seed)
    price = np.round(rng.uniform(96.02 * 0.9 + 0.01, 96.02 * 1.1 - 0.01, n), 2)
    return Orders(
        rng.integers(0, 3000, n),
        rng.random(n) < 0.5,
        price,
        rng.integers(1, 5001, n).astype(float),
        np.ones(n, int),
        -np.ones(n, int),
    )


def run_book(book: Orders) -> int:
    ob = OrderBook(96.02, 0.10, 0.01)
    for i in range(len(book)):
        ob.submit(i, int(book.unit[i]), bool(book.buy[i]), float(book.price[i]), int(book.quantity[i]))
    return len(ob.trades)


def naive_book(book: Orders) -> int:
    resting, trades = [], 0
    for i in range(len(book)):
        buy, price, qty = bool(book.buy[i]), book.price[i], book.quantity[i]
        while qty:
            cands = [r for r in resting if r[0] != buy and (r[1] <= price if buy else r[1] >= price)]
            if not cands:
                break
            best = min(cands, key=lambda r: (r[1] if buy else -r[1], r[2]))
            q = min(qty, best[3])
            qty, best[3], trades = qty - q, best[3] - q, trades + 1
            if not best[3]:
                resting.remove(best)
        if qty:
            resting.append([buy, price, i, qty])
    return trades


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    print(f"load average (1, 5, 15 min): {os.getloadavg()}  cpus: {os.cpu_count()}")
    start = time.perf_counter()
    units = read_gem(statuses=STATUSES)
    print(f"read GEM workbook: {len(units):,} units in {time.perf_counter() - start:.2f} s")
    conv = MarketConventions(statuses=STATUSES)

    def allocation_and_positions():
        return unit_positions(allocate_units(units, conv), conv)

    best, peak, table = measure(allocation_and_positions, args.repeat)
    print(f"allocation + positions, {len(table):,} units: {best * 1000:.1f} ms, peak {peak:.1f} MiB")

    book = random_book(args.orders)
    best, peak, trades = measure(lambda: run_book(book), args.repeat)
    print(f"continuous book, {args.orders:,} orders: {best:.2f} s, {trades:,} trades, peak {peak:.1f} MiB")
    best, peak, result = measure(lambda: call_auction(book, 96.02), args.repeat)
    print(
        f"call auction, {args.orders:,} orders: {best * 1000:.1f} ms, volume {result.volume:,.0f} t, "
        f"{len(result.trades):,} trades, peak {peak:.1f} MiB"
    )
    small = random_book(2_000)
    best_naive, _, _ = measure(lambda: naive_book(small), 1)
    best_heap, _, _ = measure(lambda: run_book(small), args.repeat)
    print(f"  baseline list-scan matcher, 2,000 orders: {best_naive:.2f} s (heap book: {best_heap * 1000:.1f} ms)")
    market = build_market(allocate_units(units[units["status"] == "operating"], MarketConventions()), conv)
    best, _, result = measure(lambda: call_auction(market.orders, 96.02), args.repeat)
    print(f"GEM operating units' own book, {len(market.orders):,} orders: call auction {best * 1000:.1f} ms", end="")
    best, _, result = measure(lambda: continuous(market.orders, conv), args.repeat)
    print(f", continuous book {best * 1000:.1f} ms ({len(result.trades):,} trades)")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
