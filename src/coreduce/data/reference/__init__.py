"""Reference values shipped as data, each with the document it comes from.

* ``plan_targets.csv``: the binding national targets of the 11th–14th five-year plans (energy and CO2 per unit
  of GDP, SO2 and NOx totals, PM2.5) and the officially reported achievements, as relative changes over the plan
  (−0.18 is an 18 % fall from the year before the plan to its last year). Columns: plan, indicator, kind
  (``target`` / ``achieved``), value, base_year, end_year, binding, document, location (chapter, table or
  section), url (a public copy of the text where the number was read), verified (``yes`` when the number was
  found in that text; ``no`` when it is the commonly cited value and no stored text was found), note.
* ``pm25_standards.csv``: annual PM2.5 limits of the WHO 2021 guidelines (interim targets 1–4 and the guideline
  level) and of GB 3095-2012 (grades I and II), with document, location and verified.

:func:`plan_targets` and :func:`pm25_standards` read and check them (:func:`read_reference` reads a user's file
of the same form); an error names the file, the row and the column.
"""

from __future__ import annotations

from importlib.resources import files

import numpy as np
import pandas as pd

PLANS = ("11th", "12th", "13th", "14th")
PLAN_INDICATORS = ("so2", "nox", "co2_intensity", "energy_intensity", "pm25")
KINDS = ("target", "achieved")
TARGET_COLUMNS = [
    "plan",
    "indicator",
    "kind",
    "value",
    "base_year",
    "end_year",
    "binding",
    "document",
    "location",
    "url",
    "verified",
    "note",
]
STANDARD_COLUMNS = ["standard", "level", "value", "averaging", "document", "location", "url", "verified"]


class ReferenceDataError(ValueError):
    """A shipped reference file that does not hold what its reader expects."""


def _read(path, columns: list[str]) -> pd.DataFrame:
    name = path.name
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise ReferenceDataError(f"{name}: column(s) {', '.join(absent)} missing; expected {', '.join(columns)}")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    for i, row in frame.iterrows():
        where = f"{name}, row {i + 2}"
        if not np.isfinite(row["value"]):
            raise ReferenceDataError(f"{where}, column value: expected a number")
        if row["verified"] not in ("yes", "no"):
            raise ReferenceDataError(f"{where}, column verified: expected yes or no, not {row['verified']!r}")
        if not row["document"]:
            raise ReferenceDataError(f"{where}, column document: every value needs its source document")
    return frame[columns]


def read_reference(path, kind: str) -> pd.DataFrame:
    """Read and check a reference file of ``kind`` ``targets`` (as ``plan_targets.csv``) or ``standards`` (as
    ``pm25_standards.csv``) from ``path``; errors name the file, the row and the column."""
    if kind == "targets":
        return _targets(path)
    if kind == "standards":
        return _standards(path)
    raise ValueError(f"kind must be targets or standards, not {kind!r}")


def plan_targets() -> pd.DataFrame:
    """The five-year-plan targets and official achievements shipped with coreduce (module docstring)."""
    return _targets(files(__package__) / "plan_targets.csv")


def pm25_standards() -> pd.DataFrame:
    """Annual PM2.5 limits (µg/m³) of the WHO 2021 guidelines and GB 3095-2012 shipped with coreduce."""
    return _standards(files(__package__) / "pm25_standards.csv")


def _targets(path) -> pd.DataFrame:
    name = path.name
    frame = _read(path, TARGET_COLUMNS)
    for column, allowed in (("plan", PLANS), ("indicator", PLAN_INDICATORS), ("kind", KINDS)):
        bad = frame.index[~frame[column].isin(allowed)]
        if len(bad):
            i = bad[0]
            raise ReferenceDataError(
                f"{name}, row {i + 2}, column {column}: {frame.at[i, column]!r} is not one of {', '.join(allowed)}"
            )
    frame[["base_year", "end_year"]] = frame[["base_year", "end_year"]].astype(int)
    if not frame["value"].between(-1, 1).all():
        i = frame.index[~frame["value"].between(-1, 1)][0]
        raise ReferenceDataError(f"{name}, row {i + 2}, column value: a relative change between −1 and 1")
    duplicated = frame.duplicated(["plan", "indicator", "kind"])
    if duplicated.any():
        i = frame.index[duplicated][0]
        raise ReferenceDataError(f"{name}, row {i + 2}: a second {frame.at[i, 'kind']} for the same plan and indicator")
    return frame


def _standards(path) -> pd.DataFrame:
    frame = _read(path, STANDARD_COLUMNS)
    if not (frame["value"] > 0).all():
        raise ReferenceDataError(f"{path.name}, column value: limits are positive concentrations")
    return frame
