"""Activity data: what an enterprise burned, bought, made and shipped, validated row by row.

An activity row has an ``activity_type`` (``fuel`` / ``electricity`` / ``material`` / ``freight``), the fields
that identify it for that type, a ``quantity`` ≥ 0 and a pint-parsable ``unit`` of the right dimension:

========== ============================================= ================================================
type       required fields (optional)                    unit dimension (examples)
========== ============================================= ================================================
fuel       fuel (sector, technology, region, year)       energy, mass or volume (GJ, t, L, m**3)
electricity region, year                                 energy (MWh, kWh)
material   material (region, year)                       mass (t, kg)
freight    mode (region, year)                           mass × length (t*km)
========== ============================================= ================================================

Any other columns (``product``, ``site``…) pass through. :func:`parse_activity` reads CSV or JSON (text, bytes,
a path, a list of records or a frame) and raises :class:`ActivityError` listing every bad row with its row
number and field; with ``library`` it also checks that a factor exists for every row.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path

import pandas as pd

from coreduce.accounting.library import ACTIVITY_TYPES, ANY, FIELDS
from coreduce.accounting.matching import unmatched_field
from coreduce.units import UnitError, parse_unit

REQUIRED = {"fuel": ("fuel",), "electricity": ("region", "year"), "material": ("material",), "freight": ("mode",)}
DIMENSIONS = {
    "fuel": ("[energy]", "[mass]", "[length] ** 3"),
    "electricity": ("[energy]",),
    "material": ("[mass]",),
    "freight": ("[length] * [mass]",),
}
COLUMNS = ("row", "activity_type", *FIELDS, "quantity", "unit")


class ActivityError(ValueError):
    """Activity rows that do not validate; ``problems`` lists one message per bad row and field."""

    def __init__(self, origin: str, problems: list[str]):
        self.origin, self.problems = origin, problems
        shown = "\n  ".join(problems[:20]) + (f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else "")
        super().__init__(f"{origin}: {len(problems)} problem(s) in the activity data:\n  {shown}")

    def by_row(self) -> dict[int, list[str]]:
        """The problems of each numbered row (every row problem starts with ``line <n>`` or ``record <n>``)."""
        rows: dict[int, list[str]] = {}
        for problem in self.problems:
            found = re.match(r"(?:line|record) (\d+)", problem)
            if found:
                rows.setdefault(int(found.group(1)), []).append(problem)
        return rows


def _records(source, origin: str) -> tuple[list[dict], str]:
    """Records and how rows are numbered in messages ('line' for CSV, 'record' for JSON)."""
    if isinstance(source, pd.DataFrame):
        return source.to_dict("records"), "record"
    if isinstance(source, list):
        return source, "record"
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source and Path(source).is_file()):
        path = Path(source)
        text = path.read_text(encoding="utf-8-sig")
        return _records(text, origin)
    if isinstance(source, bytes):
        source = source.decode("utf-8-sig")
    if not isinstance(source, str):
        raise ActivityError(origin, [f"expected CSV or JSON text, a path or records, got {type(source).__name__}"])
    stripped = source.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ActivityError(origin, [f"line {exc.lineno}, column {exc.colno}: malformed JSON ({exc.msg})"]) from exc
        data = data.get("activities", data) if isinstance(data, dict) else data
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ActivityError(origin, ["JSON must be a list of objects (or {'activities': [...]})"])
        return data, "record"
    return _csv_records(stripped, origin), "line"


def _csv_records(text: str, origin: str) -> list[dict]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ActivityError(origin, ["empty CSV: expected a header line"]) from None
    problems, records = [], []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(f"line {line}: malformed row: {len(values)} fields, the header has {len(header)}")
            continue
        records.append({"_line": line, **dict(zip(header, values, strict=True))})
    if problems:
        raise ActivityError(origin, problems)
    return records


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def parse_activity(source, *, origin: str = "activity", library=None) -> pd.DataFrame:
    """Validate activity rows and return them as a frame (columns :data:`COLUMNS` plus any extra columns).

    ``row`` is the CSV line number (header = line 1) or the JSON record number (from 1), used in every message.
    With ``library`` (a :class:`~coreduce.accounting.library.FactorLibrary`) each row must match at least one
    factor; the error names the first field that no factor matches.
    """
    records, numbering = _records(source, origin)
    if not records:
        raise ActivityError(origin, ["no activity rows"])
    problems, rows = [], []
    for i, rec in enumerate(records, start=1):
        rec = {str(k).strip(): v for k, v in rec.items()}
        number = int(rec.pop("_line", i))
        where = f"{numbering} {number}"
        row, errs = _validate(rec, where)
        problems += errs
        if not errs:
            row["row"] = number
            rows.append(row)
    if problems:
        raise ActivityError(origin, problems)
    frame = pd.DataFrame(rows)
    extra = [c for c in frame.columns if c not in COLUMNS]
    frame = frame[list(COLUMNS) + extra]
    frame["year"] = frame["year"].astype("Int64")
    frame.attrs["origin"], frame.attrs["numbering"] = origin, numbering
    if library is not None:
        checked: dict[tuple, str] = {}  # whether a factor serves a row depends only on its identifying fields
        missing = []
        for r in frame.to_dict("records"):
            ident = (r["activity_type"], *(None if r[f] is pd.NA else r[f] for f in FIELDS), r["unit"])
            if ident not in checked:
                checked[ident] = unmatched_field(r, library)
            if checked[ident]:
                missing.append(f"{numbering} {r['row']}, {checked[ident]}")
        if missing:
            raise ActivityError(origin, missing)
    return frame


def _validate(rec: dict, where: str) -> tuple[dict, list[str]]:
    errs: list[str] = []
    kind = str(rec.get("activity_type", "")).strip().lower()
    if kind not in ACTIVITY_TYPES:
        shown = "missing" if _blank(rec.get("activity_type")) else repr(rec.get("activity_type"))
        return {}, [f"{where}, field 'activity_type': {shown}; expected one of {', '.join(ACTIVITY_TYPES)}"]
    row = {k: v for k, v in rec.items() if k not in COLUMNS}
    row["activity_type"] = kind
    for name in FIELDS:
        value = rec.get(name)
        row[name] = ANY if _blank(value) else str(value).strip()
    for name in REQUIRED[kind]:
        if row[name] == ANY:
            errs.append(f"{where}, field '{name}': required for {kind} rows")
    if kind == "fuel" and row["fuel"] != ANY:
        row["fuel"] = row["fuel"].lower()
    if row["year"] == ANY:
        row["year"] = pd.NA
    else:
        try:
            year = float(row["year"])
            if not year.is_integer() or not 1900 <= year <= 2100:
                raise ValueError
            row["year"] = int(year)
        except ValueError:
            errs.append(f"{where}, field 'year': {rec.get('year')!r} is not a year (expected e.g. 2022)")
    quantity = rec.get("quantity")
    try:
        if _blank(quantity) or isinstance(quantity, bool):
            raise ValueError
        value = float(str(quantity).replace(",", "")) if isinstance(quantity, str) else float(quantity)
        if not math.isfinite(value):
            raise ValueError
        if value < 0:
            errs.append(f"{where}, field 'quantity': {quantity!r} is negative; expected a quantity ≥ 0")
        row["quantity"] = value
    except (TypeError, ValueError):
        errs.append(f"{where}, field 'quantity': {quantity!r} is not a number")
    unit = "" if _blank(rec.get("unit")) else str(rec["unit"]).strip()
    try:
        parsed = parse_unit(unit)
        if not any(parsed.check(dim) for dim in DIMENSIONS[kind]):
            errs.append(
                f"{where}, field 'unit': {unit!r} is {parsed.dimensionality}; {kind} quantities need "
                + " or ".join(DIMENSIONS[kind])
            )
        row["unit"] = unit
    except UnitError as exc:
        errs.append(
            f"{where}, field 'unit': unknown unit {unit!r} ({exc})" if unit else f"{where}, field 'unit': missing"
        )
    return row, errs
