"""CO2 and co-pollutants of a borrower's fuel use, from the factor library of :mod:`coreduce.accounting`.

A book may give each borrower's main fuel (``fuel``: a library fuel such as ``hard_coal``, ``natural_gas``,
``diesel_oil``; ``fuel_quantity`` and ``fuel_unit``, e.g. ``t``, ``GJ``, ``m3``). For each distinct (fuel,
sector, unit) the library's factor for CO2, SO2 and NOx is looked up once (:func:`coreduce.accounting.
lookup_factor`, the same choice as a full co-accounting run, with its publisher) and applied to every borrower
of that combination::

    E_p = fuel_quantity × EF_p(fuel, sector, unit)         (kg → t)

The CO2 is PCAF option 2a (primary physical activity × emission factor, score 3) where the borrower reports no
emissions; SO2 and NOx are the co-pollutants of the same activity, used where the borrower reports none.
The library sector of a GB/T 4754 division: 44 → power; 06–46 → industry; 53–60 → transport; 61–97 → services;
other divisions match the library's ``*`` factors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.finance.book import BookError

POLLUTANTS = ("co2", "so2", "nox")


def library_sector(code: str) -> str:
    """The factor-library sector of a two-digit GB/T 4754-2017 division."""
    n = int(code)
    if n == 44:
        return "power"
    if 6 <= n <= 46:
        return "industry"
    if 53 <= n <= 60:
        return "transport"
    return "services" if n >= 61 else "*"


def activity_emissions(book: pd.DataFrame, year: int, library=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per loan ``<p>_activity`` (t) for CO2, SO2, NOx (NaN without fuel data), and the factors used."""
    from coreduce.accounting import AccountingError, ActivityError, load_factor_library, lookup_factor

    out = pd.DataFrame(np.nan, index=book.index, columns=[f"{p}_activity" for p in POLLUTANTS])
    if "fuel" not in book or book["fuel"].isna().all():
        return out, pd.DataFrame()
    library = library or load_factor_library()
    has = book["fuel"].notna() & book["fuel_quantity"].notna()
    keys = pd.DataFrame({"fuel": book["fuel"], "sector": book["sector"].map(library_sector), "unit": book["fuel_unit"]})
    used = []
    for (fuel, sector, unit), rows in keys[has].groupby(["fuel", "sector", "unit"], dropna=False).groups.items():
        quantity = book.loc[rows, "fuel_quantity"]
        for pollutant in POLLUTANTS:
            try:
                f = lookup_factor(library, pollutant, activity_type="fuel", fuel=fuel, sector=sector, unit=unit,
                                  year=year)  # fmt: skip
            except (AccountingError, ActivityError) as exc:
                first = int(rows[0]) + 2
                raise BookError(f"row {first}, column 'fuel': {fuel!r} in {unit!r} has no {pollutant} factor "
                                f"({exc})") from None  # fmt: skip
            out.loc[rows, f"{pollutant}_activity"] = quantity * f.kg_per_unit / 1000
            used.append({"fuel": fuel, "sector": sector, "unit": unit, "pollutant": pollutant,
                         "factor_id": f.factor_id, "kg_per_unit": f.kg_per_unit, "publisher": f.publisher,
                         "licence": f.licence, "verified": f.verified})  # fmt: skip
    return out, pd.DataFrame(used)
