"""A synthetic panel with every variable the NQPF systems use (31 provinces, 2006–2022), seeded and smooth.

Values are random but positive and trending, so every indicator varies across provinces and years; the tests
use it for properties and for bad-input errors, while published numbers are checked in tests/methods.
"""

import numpy as np
import pandas as pd
from synthetic import synthetic_as_panel

from coreduce.data.panel import Panel
from coreduce.geo import provinces

YEARS = range(2006, 2023)
UNITS = {
    "gdp": "1e8 CNY",
    "va_secondary": "1e8 CNY",
    "va_tertiary": "1e8 CNY",
    "population": "1e4 person",
    "energy_total": "1e4 tce",
    "electricity_generation": "1e8 kWh",
    "electricity_nonfossil": "1e8 kWh",
    "coal_share": "fraction",
    "rd_expenditure": "1e8 CNY",
    "patents_applied": "count",
    "patents_granted": "count",
    "patents_granted_invention": "count",
    "green_patents_invention": "count",
    "green_patents_utility": "count",
    "co2_ceads": "Mt",
    "co2_ceds": "Mt",
    "so2_ceds": "kt",
    "nox_ceds": "kt",
}


def nqpf_panel(seed: int = 7, drop: set[tuple[str, int, str]] | None = None, years=YEARS) -> Panel:
    rng = np.random.default_rng(seed)
    rows = []
    for k, p in enumerate(provinces()):
        level = rng.uniform(0.5, 2.0)
        tech = rng.uniform(0.5, 2.0)
        green = rng.uniform(0.5, 2.0)
        for year in years:
            t = year - 2006
            gdp = 1000 * level * 1.09**t * rng.uniform(0.97, 1.03)
            sec = gdp * (0.5 - 0.008 * t * green) * rng.uniform(0.97, 1.03)
            gen = 500 * level * 1.06**t
            granted = 2e4 * tech * 1.15**t * rng.uniform(0.9, 1.1)
            vals = {
                "gdp": gdp,
                "va_secondary": sec,
                "va_tertiary": gdp * 0.9 - sec + 0.01 * gdp * t * tech,
                "population": 3000 + 100 * k,
                "energy_total": 0.9 * gdp * (0.96 - 0.005 * green) ** t,
                "electricity_generation": gen,
                "electricity_nonfossil": gen * min(0.9, 0.1 * green + 0.01 * t),
                "coal_share": (0.5 + 0.1 * level) * (0.98 - 0.005 * green) ** t,
                "rd_expenditure": gdp * 0.015 * tech * 1.03**t,
                "patents_applied": 1.6 * granted,
                "patents_granted": granted,
                "patents_granted_invention": granted * (0.1 + 0.1 * tech) * rng.uniform(0.9, 1.1),
                "green_patents_invention": granted * 0.05 * green * rng.uniform(0.9, 1.1),
                "green_patents_utility": granted * 0.04 * green * rng.uniform(0.9, 1.1),
                "co2_ceads": 0.002 * gdp * (0.95 - 0.01 * tech) ** t * rng.uniform(0.95, 1.05),
                "co2_ceds": 0.0021 * gdp * (0.95 - 0.01 * tech) ** t,
                "so2_ceds": 0.05 * gdp * (0.9 - 0.01 * green) ** t * rng.uniform(0.95, 1.05),
                "nox_ceds": 0.04 * gdp * 0.93**t * rng.uniform(0.95, 1.05),
            }
            for var, value in vals.items():
                if drop and (p.code, year, var) in drop:
                    continue
                rows.append((p.code, year, var, value))
    data = pd.DataFrame(rows, columns=["geo", "year", "variable", "value"])
    return synthetic_as_panel(data, UNITS)
