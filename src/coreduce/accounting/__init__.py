"""Emission accounting: the factor library and the co-accounting of activity into CO2 and air pollutants.

No HTTP, no database: domains (CBAM, carbon market, green finance), the exchange and scripts import this layer.

What to call::

    from coreduce.accounting import load_factor_library, lookup_factor, parse_activity, account, totals

    library = load_factor_library()                      # the shipped table, every factor citing its publisher

    # one factor, with its source (the same choice the co-accounting makes)
    f = lookup_factor(library, "co2", activity_type="fuel", fuel="hard_coal", sector="power", unit="t", year=2020)
    f.value, f.unit, f.kg_per_unit, f.publisher, f.licence, f.citation, f.verified

    # co-account activity records (CSV/JSON text, a path, a list of dicts or a frame) into CO2 + pollutants
    activity = parse_activity([{"activity_type": "electricity", "region": "east", "year": 2022,
                                "quantity": 100, "unit": "MWh"}], library=library)
    result = account(activity, library)                  # one row per activity row × pollutant, kg, with the factor
    totals(result)                                       # kg per pollutant (``by="product"`` for per-product)

    library.get("ceds:hard_coal/*/*:*:co2")              # a factor by id; library.attribution(ids) for licences

Activity rows: ``activity_type`` fuel / electricity / material / freight, the fields that identify it, ``quantity``
and a pint ``unit`` (:mod:`coreduce.accounting.activity`). Factor choice: :mod:`coreduce.accounting.matching`.
Building the library from the publishers' files: :func:`build_factor_library` (one builder per publisher in
:mod:`coreduce.accounting.builders`).
"""

from coreduce.accounting.activity import ActivityError, parse_activity
from coreduce.accounting.build import build_factor_library
from coreduce.accounting.coaccount import AccountingError, account, totals, wide
from coreduce.accounting.conversion import DEFAULT_HEAT_CONTENT, convert_quantity
from coreduce.accounting.library import FactorError, FactorLibrary, load_factor_library
from coreduce.accounting.lookup import Factor, lookup_factor

__all__ = [
    "DEFAULT_HEAT_CONTENT",
    "AccountingError",
    "ActivityError",
    "Factor",
    "FactorError",
    "FactorLibrary",
    "account",
    "build_factor_library",
    "convert_quantity",
    "load_factor_library",
    "lookup_factor",
    "parse_activity",
    "totals",
    "wide",
]
