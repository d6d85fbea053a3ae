"""Look up the one factor the co-accounting would use for an activity and a pollutant, with its source.

:func:`lookup_factor` validates the activity exactly as :func:`~coreduce.accounting.activity.parse_activity` does and
chooses exactly as :func:`~coreduce.accounting.coaccount.account` does (rule in
:mod:`coreduce.accounting.matching`), so a domain that needs a single factor (CBAM, a carbon-market benchmark, a
financed-emissions estimate) gets the same number and the same citation as a full co-accounting run.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from coreduce.accounting.activity import parse_activity
from coreduce.accounting.coaccount import account
from coreduce.accounting.library import FactorLibrary


@dataclass(frozen=True)
class Factor:
    """One library factor and where it comes from.

    ``value`` is in ``unit`` (mass per unit of activity, e.g. ``kg/GJ``); ``kg_per_unit`` is the same factor in
    kilograms per one unit of the activity that was looked up (e.g. per tonne of coal when the factor is per GJ).
    """

    factor_id: str
    pollutant: str
    value: float
    unit: str
    kg_per_unit: float
    year: int | None
    publisher: str
    licence: str
    citation: str
    verified: bool
    status: str
    note: str


def lookup_factor(
    library: FactorLibrary,
    pollutant: str,
    *,
    activity_type: str,
    unit: str,
    preference: dict[str, tuple[str, ...]] | None = None,
    heat_content: dict[str, str] | None = None,
    **fields,
) -> Factor:
    """The factor used for ``pollutant`` of one unit of the activity described by ``activity_type``, ``unit`` and
    ``fields`` (``fuel``, ``sector``, ``technology``, ``region``, ``year``, ``material``, ``mode``).

    Raises :class:`~coreduce.accounting.activity.ActivityError` for an invalid activity and
    :class:`~coreduce.accounting.coaccount.AccountingError` when no factor serves it.
    """
    record = {"activity_type": activity_type, "quantity": 1, "unit": unit, **fields}
    activity = parse_activity([record], origin="lookup")
    frame = account(
        activity, library, pollutants=(pollutant,), preference=preference, strict=True, heat_content=heat_content
    )
    chosen = frame.iloc[0]
    row = library.get(chosen["factor_id"])
    year = None if pd.isna(row["year"]) else int(row["year"])
    return Factor(
        factor_id=str(row["factor_id"]),
        pollutant=pollutant,
        value=float(row["value"]),
        unit=str(row["unit"]),
        kg_per_unit=float(chosen["emission"]),
        year=year,
        publisher=str(row["publisher"]),
        licence=str(row["licence"]),
        citation=str(row["citation"]),
        verified=bool(row["verified"]),
        status=str(row["status"]),
        note=str(row["note"]),
    )
