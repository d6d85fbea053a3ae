"""Hand-written units for the market tests."""

import pandas as pd

from coreduce.market.units import validate_units


def make_units(rows: list[dict]) -> pd.DataFrame:
    """A user unit table (validated) from a few hand-written units."""
    base = {"province": "Shandong", "heat_rate_btu_kwh": 8500.0, "ef_kg_per_tj": 96100.0, "owner": "Owner A"}
    return validate_units(pd.DataFrame([base | row for row in rows]), where="test units")
