"""Shared steps of the readers: open a file, check its columns, parse numbers and names, assemble the output.

Every failure raises :class:`ReaderError` naming the file (and sheet), the row as a person sees it in the file
(CSV: line number counting the header as line 1; xlsx: the spreadsheet row number) and the column. Frames keep
the index they were read with, so a row number is the index label plus an offset (:data:`CSV` or
:data:`XLSX`), also after filtering.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from coreduce.data.readers._base import ReaderError, ReaderOutput
from coreduce.data.schema import CATALOGUE_COLUMNS, PANEL_COLUMNS, SOURCES_COLUMNS, PanelSchemaError, validate_panel
from coreduce.geo import NATIONAL_CODE, UnknownProvinceError, code_of
from coreduce.units import convert

CSV = 2
"""Row offset of a CSV frame: index label 0 is line 2 of the file (line 1 is the header)."""
XLSX = 1
"""Row offset of a sheet read without a header: index label 0 is spreadsheet row 1."""


def where(path: Path, sheet: str | None = None) -> str:
    """``file`` or ``file, sheet 'name'`` for messages."""
    return f"{path}" + (f", sheet {sheet!r}" if sheet is not None else "")


def require_file(path: Path, what: str) -> Path:
    """``path`` if it is a file; otherwise a :class:`ReaderError` saying what was expected there."""
    if not path.is_file():
        raise ReaderError(f"{path}: file not found; expected {what}")
    return path


def require_columns(frame: pd.DataFrame, columns: Iterable[str], origin: str) -> None:
    """Raise naming every column of ``columns`` that ``frame`` lacks, and the columns it has."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns))
        raise ReaderError(f"{origin}: missing column(s) {', '.join(missing)}; found {found}")


def read_csv(path: Path, columns: Iterable[str], what: str, **options) -> pd.DataFrame:
    """A CSV (UTF-8, optional byte-order mark) as text columns, checked to contain ``columns``."""
    require_file(path, what)
    try:
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False, na_values=[""], **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ReaderError(f"{path}: not a readable CSV file ({exc}); expected {what}") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    require_columns(frame, columns, str(path))
    if frame.empty:
        raise ReaderError(f"{path}: the file has a header but no data rows; expected {what}")
    return frame


def read_workbook(path: Path, what: str) -> dict[str, pd.DataFrame]:
    """Every sheet of an xlsx file as a frame of cells as read (no header row; empty cells NaN).

    Reads through ``python-calamine`` directly (about 3× faster than ``pandas.read_excel`` on the same engine,
    see ``benchmarks/bench_readers.py``); text stays text, so a stray word in a number column is reported.
    """
    require_file(path, what)
    if not zipfile.is_zipfile(path):
        raise ReaderError(f"{path}: not an xlsx workbook (an xlsx file is a zip archive); expected {what}")
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    except Exception as exc:  # calamine reports corrupt parts with its own exception types
        raise ReaderError(f"{path}: the workbook cannot be read ({exc}); expected {what}") from exc
    frames = {}
    for name, rows in sheets.items():
        width = max((len(r) for r in rows), default=0)
        cells = np.full((len(rows), width), np.nan, dtype=object)
        for i, row in enumerate(rows):
            cells[i, : len(row)] = row
        cells[cells == ""] = np.nan
        frames[name] = pd.DataFrame(cells)
    return frames


def to_number(values: pd.Series, origin: str, column: str, offset: int = CSV, axis: str = "row") -> pd.Series:
    """``values`` as floats; empty cells become NaN; text and infinities are errors naming their rows.

    ``axis="column"`` says the values run along a header row, so the message names spreadsheet columns.
    """
    text = values.astype("string").str.strip()
    text = text.mask(text == "")
    number = pd.to_numeric(text, errors="coerce")
    bad = (number.isna() & text.notna()) | np.isinf(number.astype("float64"))
    if bad.any():
        where_bad = text[bad]
        shown = ", ".join(f"{axis} {int(i) + offset} ({v!r})" for i, v in where_bad.iloc[:5].items())
        more = f" and {len(where_bad) - 5} more" if len(where_bad) > 5 else ""
        label = f"column {column!r}" if axis == "row" else column
        raise ReaderError(f"{origin}: {label} must hold numbers; found text at {shown}{more}")
    return number.astype("float64")


def to_geo(
    names: pd.Series,
    origin: str,
    column: str,
    offset: int = CSV,
    extra: Mapping[str, str] | None = None,
) -> pd.Series:
    """GB/T codes of the province names in ``names``; ``extra`` maps further names (e.g. 全国) to codes."""
    extra = dict(extra or {})
    codes: dict[object, str] = {}
    for name in pd.unique(names):
        text = str(name).strip() if pd.notna(name) else ""
        if text in extra:
            codes[name] = extra[text]
            continue
        try:
            if not text:
                raise UnknownProvinceError("the cell is empty")
            codes[name] = code_of(text)
        except UnknownProvinceError as exc:
            at = names.isna() if pd.isna(name) else names == name
            row = int(names.index[at.to_numpy().argmax()]) + offset
            raise ReaderError(f"{origin}: row {row}, column {column!r}: unknown province {text!r} ({exc})") from exc
    return names.map(codes)


def check_unique(frame: pd.DataFrame, keys: Sequence[str], origin: str, offset: int = CSV) -> None:
    """Raise naming the first duplicated key and the rows where it occurs."""
    dup = frame.duplicated(list(keys), keep=False)
    if dup.any():
        first = frame.loc[dup, list(keys)].iloc[0]
        same = (frame[list(keys)] == first).all(axis=1)
        rows = [int(i) + offset for i in frame.index[same]]
        key = ", ".join(f"{k}={v}" for k, v in first.items())
        raise ReaderError(f"{origin}: duplicate row for {key} at rows {', '.join(map(str, rows[:5]))}")


def long_rows(
    frame: pd.DataFrame,
    value: str,
    variable: str,
    unit: str,
    source: str,
    status: str = "reported",
    from_unit: str | None = None,
) -> pd.DataFrame:
    """Canonical rows from a frame with ``geo``, ``year`` and a ``value`` column; NaN values give no row.

    ``from_unit`` converts the values (through :mod:`coreduce.units`) from the publisher's unit to ``unit``.
    """
    kept = frame.loc[frame[value].notna(), ["geo", "year", value]]
    values = kept[value] if from_unit is None else convert(kept[value], from_unit, unit)
    return pd.DataFrame(
        {
            "geo": kept["geo"].to_numpy(),
            "year": kept["year"].to_numpy(),
            "variable": variable,
            "value": values.to_numpy(dtype="float64"),
            "unit": unit,
            "source": source,
            "status": status,
        }
    )


def years(values: pd.Series, origin: str, column: str, offset: int = CSV, axis: str = "row") -> pd.Series:
    """Integer years; empty, fractional, text or implausible (outside 1700–2100) years are errors."""
    number = to_number(values, origin, column, offset, axis=axis)
    bad = number.isna() | (number != number.round()) | (number < 1700) | (number > 2100)
    if bad.any():
        at = int(values.index[bad.to_numpy().argmax()]) + offset
        label = f"column {column!r}" if axis == "row" else column
        raise ReaderError(f"{origin}: {axis} {at}, {label}: expected a year, found {values[bad].iloc[0]!r}")
    return number.astype("int32")


def output(
    parts: Iterable[pd.DataFrame],
    catalogue: Iterable[Mapping[str, str]],
    sources: Iterable[Mapping[str, str]],
    origin: str,
) -> ReaderOutput:
    """Assemble and validate a reader's output; a schema failure is reported as a :class:`ReaderError`."""
    frames = [p for p in parts if len(p)]
    data = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(PANEL_COLUMNS))
    try:
        data = validate_panel(data, origin=origin)
    except PanelSchemaError as exc:
        raise ReaderError(str(exc)) from exc
    cat = pd.DataFrame(list(catalogue), columns=list(CATALOGUE_COLUMNS))
    src = pd.DataFrame(list(sources), columns=list(SOURCES_COLUMNS))
    missing = sorted(set(data["variable"]) - set(cat["variable"]))
    if missing:
        raise ReaderError(f"{origin}: variables without a catalogue row: {', '.join(missing)}")
    unknown = sorted(set(data["source"]) - set(src["source"]))
    if unknown:
        raise ReaderError(f"{origin}: source ids without a sources row: {', '.join(unknown)}")
    return ReaderOutput(data=data, catalogue=cat.drop_duplicates("variable").reset_index(drop=True), sources=src)


NATIONAL_NAMES = {"全国": NATIONAL_CODE, "China": NATIONAL_CODE}
