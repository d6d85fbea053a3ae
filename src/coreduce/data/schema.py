"""The canonical panel: one long table of (geo, year, variable, value, unit, source, status) rows.

``geo`` is a GB/T 2260 province code, :data:`coreduce.geo.NATIONAL_CODE` for China, or the code of another
unit declared in the sources (e.g. a city cluster). ``source`` is the id of a row of the sources table, which
names the original publisher and the licence. ``status`` says how the value came to be.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

import numpy as np
import pandas as pd

PANEL_COLUMNS = ("geo", "year", "variable", "value", "unit", "source", "status")
CATALOGUE_COLUMNS = ("variable", "unit", "definition", "publisher", "source")
SOURCES_COLUMNS = ("source", "publisher", "title", "licence", "citation", "files")
KEY = ("geo", "year", "variable")
TEXT_COLUMNS = ("geo", "variable", "unit", "source", "status")


class Status(StrEnum):
    REPORTED = "reported"
    INTERPOLATED = "interpolated"
    CORRECTED = "corrected"
    DERIVED = "derived"


class PanelSchemaError(ValueError):
    """A panel frame that breaks the canonical schema; the message names the column and rows."""


def _rows(index: pd.Index, limit: int = 5) -> str:
    shown = ", ".join(str(i) for i in list(index[:limit]))
    return shown + (f" … ({len(index)} rows)" if len(index) > limit else "")


def labels_valid(distinct: Mapping[str, Iterable]) -> bool:
    """Whether the distinct values of each text column (``TEXT_COLUMNS`` → values) pass :func:`validate_panel`:
    strings that are not blank, and statuses of :class:`Status`."""
    statuses = {s.value for s in Status}
    filled = all(isinstance(v, str) and v.strip() for values in distinct.values() for v in values)
    return filled and set(distinct.get("status", ())) <= statuses


def validate_panel(frame: pd.DataFrame, origin: str = "panel") -> pd.DataFrame:
    """Check ``frame`` against the canonical schema and return it with canonical dtypes.

    Errors name the column and the offending rows: a missing column, a non-integer year, a non-numeric
    value, an unknown status, an empty geo/variable/unit/source, or a duplicated (geo, year, variable) key.
    """
    missing = [c for c in PANEL_COLUMNS if c not in frame.columns]
    if missing:
        raise PanelSchemaError(f"{origin}: missing column(s) {', '.join(missing)}; expected {PANEL_COLUMNS}")
    out = frame.loc[:, list(PANEL_COLUMNS)].copy()
    year = pd.to_numeric(out["year"], errors="coerce")
    bad = out.index[year.isna() | (year != year.round())]
    if len(bad):
        raise PanelSchemaError(f"{origin}: column 'year' is not an integer at rows {_rows(bad)}")
    out["year"] = year.astype("int32")
    value = pd.to_numeric(out["value"], errors="coerce")
    bad = out.index[value.isna() & out["value"].notna()]
    if len(bad):
        raise PanelSchemaError(f"{origin}: column 'value' is not a number at rows {_rows(bad)}")
    out["value"] = value.astype("float64")
    for column in TEXT_COLUMNS:
        # checked on the distinct values (a few hundred), not on every row: 10× faster on the full panel
        codes, distinct = pd.factorize(out[column])
        blank = [i for i, v in enumerate(distinct) if not str(v).strip()]
        bad = out.index[(codes < 0) | np.isin(codes, blank)]
        if len(bad):
            raise PanelSchemaError(f"{origin}: column {column!r} is empty at rows {_rows(bad)}")
        if out[column].dtype != object or not all(isinstance(v, str) for v in distinct):
            out[column] = out[column].astype("string").astype(str)
    bad = out.index[~out["status"].isin([s.value for s in Status])]
    if len(bad):
        raise PanelSchemaError(
            f"{origin}: column 'status' must be one of {[s.value for s in Status]} at rows {_rows(bad)}"
        )
    dup = out.index[out.duplicated(list(KEY), keep=False)]
    if len(dup):
        first = out.loc[dup, list(KEY)].iloc[0].tolist()
        raise PanelSchemaError(f"{origin}: duplicate (geo, year, variable) {first} at rows {_rows(dup)}")
    return out.reset_index(drop=True)
