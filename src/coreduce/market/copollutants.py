"""Power-sector pollutant factors (kg per GJ of fuel) from the project's factor library (:mod:`coreduce.accounting`).

Looked up as one GJ of coal or natural gas burnt in China's power sector in ``year`` (the library's choice: IIASA
GAINS ECLIPSE V6b implied factors for China, 2020); the factors used are returned with their publisher, licence,
citation and verified flag, so a factor the library marks unverified (PM2.5 here) stays marked in the result.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from coreduce.accounting import load_factor_library, lookup_factor

FUELS = {"coal": "hard_coal", "gas": "natural_gas"}
POLLUTANTS = ("so2", "nox", "pm25")
COLUMNS = ["fuel", "pollutant", "value", "unit", "factor_id", "publisher", "licence", "citation", "verified"]


@cache
def _lookup(year: int) -> tuple[tuple[str, str, float, str, str, str, str, str, bool], ...]:
    library = load_factor_library()
    rows = []
    for ours, fuel in FUELS.items():
        for pollutant in POLLUTANTS:
            f = lookup_factor(
                library, pollutant, activity_type="fuel", unit="GJ", fuel=fuel, sector="power", region="CN", year=year
            )
            rows.append(
                (ours, pollutant, f.kg_per_unit, "kg/GJ", f.factor_id, f.publisher, f.licence, f.citation, f.verified)
            )
    return tuple(rows)


def load_power_factors(year: int = 2020) -> tuple[dict[str, dict[str, float]], pd.DataFrame]:
    """({fuel: {pollutant: kg/GJ}}, the factors used with their sources)."""
    table = pd.DataFrame(list(_lookup(year)), columns=COLUMNS)
    factors = {fuel: dict(zip(part["pollutant"], part["value"], strict=True)) for fuel, part in table.groupby("fuel")}
    return factors, table
