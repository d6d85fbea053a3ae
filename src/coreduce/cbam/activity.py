"""A CBAM production process from the exchange's activity records (the co-accounting's activity rows).

Fuel rows become fuel source streams (their CO2 through the same factor library); electricity rows are summed into
the electricity consumed (MWh). Material rows carry life-cycle factors (e.g. BEIS "concrete"), not the process
emissions or precursor SEE that CBAM counts, and freight is outside the CBAM boundary (Annex IV of Regulation
(EU) 2023/956 covers the production processes only): both are returned as not mapped, by row number, so the caller
shows what was left out. Process emissions (carbonates) and precursors are added with their stated factors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from coreduce.cbam.model import ProductionProcess
from coreduce.units import factor


def process_from_activity(
    activity: pd.DataFrame,
    *,
    process_id: str,
    cn: str,
    activity_level_t: float,
    route: str = "",
    process_streams: Sequence[Mapping] = (),
    precursors: Sequence[Mapping] = (),
) -> tuple[ProductionProcess, list[int]]:
    """(the process, row numbers of activity rows not mapped).

    ``activity``: rows as parsed by :func:`coreduce.accounting.parse_activity`.
    """
    fuels = activity[activity["activity_type"] == "fuel"]
    streams = [
        {
            "name": f"activity row {r.row}: {r.fuel}",
            "kind": "fuel",
            "quantity": float(r.quantity),
            "unit": r.unit,
            "fuel": r.fuel,
        }
        for r in fuels.itertuples()
    ]
    electricity = activity[activity["activity_type"] == "electricity"]
    mwh = sum(float(r.quantity) * factor(r.unit, "MWh") for r in electricity.itertuples())
    unmapped = activity[activity["activity_type"].isin(["material", "freight"])]["row"].astype(int).tolist()
    data = {
        "process_id": process_id,
        "cn": cn,
        "route": route,
        "activity_level_t": activity_level_t,
        "source_streams": [*streams, *process_streams],
        "electricity_mwh": mwh,
        "precursors": list(precursors),
    }
    return ProductionProcess.from_mapping(data, "process."), unmapped
