"""Benchmark: screening a large loan book (target: 100,000 loans in under 5 s).

    python benchmarks/bench_finance.py [--loans 100000] [--repeat 3]

The book: the shipped example book's ten borrowers repeated with random amounts (seed 42; outstanding ×
U(0.2, 1.8), exposure ≥ outstanding, 30 % of emissions blanked so that the revenue-factor option of PCAF runs,
one in eight borrowers given EU exports), written to CSV. Timed: ``read_book`` (parse + every row check),
``screen`` (PCAF attribution and scores, China ETS and CBAM cost under a 2026 test scenario, SDA alignment
against a three-point pathway, tiers, ranking, committee table), and both together. Baseline: the financed
emissions of the same book computed row by row in Python (``DataFrame.itertuples``), the way a spreadsheet
macro does it, on the first 10,000 loans, scaled to the book. Prints the problem size, the load average and
the CPU time of one read + screen (on a shared machine the wall time follows the load).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from _timing import measure
from coreduce.finance.book import read_book
from coreduce.finance.conventions import FinanceConventions
from coreduce.finance.scenarios import load_pathway, load_scenario
from coreduce.finance.screen import screen

DATA = Path(str(files("coreduce.finance") / "data"))
SCENARIO = """kind,key,year,value,unit,citation
price,eu_ets,2026,80,EUR/t,benchmark input
fx,EUR/CNY,2026,7.8,CNY/EUR,benchmark input
price,china_ets,2026,70,CNY/t,benchmark input
ets_sector,china_ets,2021,44,division,benchmark input
"""
PATHWAY = """sector,year,intensity,unit,scenario,citation
cement,2020,0.53835,t/t,r2dii test,r2dii.analysis test-target_sda.R (before 41fe44d) demo values
cement,2030,0.43039,t/t,r2dii test,r2dii.analysis test-target_sda.R (before 41fe44d) demo values
cement,2050,0.16897,t/t,r2dii test,r2dii.analysis test-target_sda.R (before 41fe44d) demo values
"""
FACTORS = pd.DataFrame({"sector": ["26", "44", "30", "31", "32"], "basis": "revenue", "value": 2e-4,
                        "unit": "t/CNY", "citation": "benchmark input"})  # fmt: skip


def make_book(n: int, seed: int = 42) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    base = pd.read_csv(DATA / "example_book.csv", dtype=str, keep_default_na=False)
    book = base.iloc[rng.integers(0, len(base), n)].reset_index(drop=True)
    book["loan_id"] = [f"L{i:07d}" for i in range(n)]
    outstanding = pd.to_numeric(book["outstanding"]) * rng.uniform(0.2, 1.8, n)
    book["outstanding"] = outstanding.round(0).astype(int).astype(str)
    book["exposure"] = (outstanding * rng.uniform(1.0, 1.3, n)).round(0).astype(int).astype(str)
    book.loc[rng.random(n) < 0.3, "emissions"] = ""
    book.loc[(rng.random(n) < 0.125) & (book["cn_code"] != ""), "eu_exports"] = "10000"  # CBAM goods only
    return book


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loans", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = tmp / "book.csv"
        make_book(args.loans).to_csv(path, index=False)
        (tmp / "s.csv").write_text(SCENARIO, encoding="utf-8")
        (tmp / "p.csv").write_text(PATHWAY, encoding="utf-8")
        scenario, pathway = load_scenario(tmp / "s.csv"), load_pathway(tmp / "p.csv")
        conv = FinanceConventions(price_year=2026, scenario="benchmark")
        size = path.stat().st_size / 2**20
        t_read, m_read, book = measure(lambda: read_book(path), args.repeat)
        t_screen, m_screen, result = measure(
            lambda: screen(book, scenario, conv, pathway=pathway, factors=FACTORS), args.repeat
        )
        t_all, m_all, _ = measure(
            lambda: screen(read_book(path), scenario, conv, pathway=pathway, factors=FACTORS), args.repeat
        )
        cpu = time.process_time()
        screen(read_book(path), scenario, conv, pathway=pathway, factors=FACTORS)
        cpu = time.process_time() - cpu
        sample = book.head(10_000)
        start = time.perf_counter()
        total = 0.0
        for row in sample.itertuples():
            denominator = row.evic if row.listed else row.equity_plus_debt
            if row.emissions == row.emissions and denominator == denominator:
                total += row.outstanding / denominator * row.emissions
        t_loop = (time.perf_counter() - start) * len(book) / len(sample)
    load = os.getloadavg()
    print(f"book: {len(book):,} loans, {size:.1f} MiB CSV; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"on {os.cpu_count()} CPUs")  # fmt: skip
    print(f"read_book (parse + checks): {t_read:6.2f} s   peak traced memory {m_read:7.1f} MiB")
    print(f"screen:                     {t_screen:6.2f} s   peak traced memory {m_screen:7.1f} MiB")
    print(f"read + screen:              {t_all:6.2f} s   peak traced memory {m_all:7.1f} MiB   (target < 5 s)")
    print(f"read + screen, CPU time of this process (less sensitive to the load): {cpu:6.2f} s")
    print(f"baseline, financed emissions row by row (itertuples, scaled from 10,000): {t_loop:6.2f} s")
    tiers = result.tiers["loans"].to_dict()
    print(f"result: {int(result.risk['financed_emissions'].notna().sum()):,} loans with financed emissions; "
          f"tiers {tiers}")  # fmt: skip


if __name__ == "__main__":
    main()
