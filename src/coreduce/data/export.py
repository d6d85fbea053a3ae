"""Exports of a :class:`~coreduce.data.panel.Panel`: CSV, Parquet, Excel and Stata.

* CSV and Parquet hold the long panel (every column, status and source included).
* Excel (``.xlsx``) holds three sheets: ``data`` (the long panel), ``catalogue`` and ``sources``, written by a
  columnar writer in Rust (``rustpy-xlsxwriter``, on rust_xlsxwriter): the whole panel in a few seconds, where
  pandas' cell-by-cell writers take tens (``benchmarks/bench_export.py``).
* Stata (``.dta``, format 118): provinces and the nation with numeric codes, names, region and value labels,
  within a window of years, wide or long (:mod:`coreduce.data.stata`).

``years`` limits any format to a window (first, last); the Stata export defaults to the caller's analysis window.

Every writer writes through :func:`coreduce.fileio.atomic_write` (a temporary file beside the target, renamed into
place), so a failed export never leaves a half-written file. The target must be a regular file (or not exist yet)
whose extension matches the format: a directory, a symbolic link, a device or ``panel.csv`` written as Stata are
refused before anything is written, and a full disk is reported as such. :func:`read_export` reads any of the
four back.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from coreduce.data.panel import Panel
from coreduce.data.schema import CATALOGUE_COLUMNS, PANEL_COLUMNS, SOURCES_COLUMNS
from coreduce.data.stata import StataError, read_stata_export, stata_table, write_stata_table
from coreduce.fileio import OutputPathError, atomic_write, check_output_path

FORMATS = ("csv", "parquet", "xlsx", "dta")


class ExportError(ValueError):
    """An export that cannot be written or read back (unknown format, unrepresentable name)."""


def check_target(path: Path, fmt: str) -> None:
    """Refuse (:class:`ExportError`) a target that is not a regular file, or whose extension is not ``.fmt``."""
    try:
        check_output_path(path)
    except OutputPathError as exc:
        raise ExportError(str(exc)) from exc
    if path.suffix.lower() != f".{fmt}":
        found = f"extension {path.suffix!r}" if path.suffix else "no extension"
        raise ExportError(f"{path}: has {found}; a {fmt} export must be named *.{fmt}")


def _atomic(path: Path, write: Callable[[Path], None]) -> Path:
    """Write through :func:`atomic_write`; a full disk or another OS error becomes an :class:`ExportError`."""
    try:
        with atomic_write(path) as tmp:
            write(tmp)
    except OutputPathError as exc:
        raise ExportError(str(exc)) from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise ExportError(f"{path}: no space left on the device; nothing was written") from exc
        raise ExportError(f"{path}: cannot be written ({exc.strerror or exc}); nothing was written") from exc
    return path


def select(panel: Panel, variables: list[str] | None) -> Panel:
    """The part of ``panel`` holding ``variables`` (all when None), with their catalogue and sources rows."""
    if variables is None:
        return panel
    panel.require(variables)
    data = panel.data[panel.data["variable"].isin(variables)].reset_index(drop=True)
    catalogue = panel.catalogue[panel.catalogue["variable"].isin(variables)].reset_index(drop=True)
    return Panel(data=data, catalogue=catalogue, sources=panel.attribution(variables))


def export_panel(
    panel: Panel,
    path: str | Path,
    fmt: str | None = None,
    variables: list[str] | None = None,
    *,
    years: tuple[int, int] | None = None,
    layout: str = "wide",
    grouping: str = "four_regions",
) -> Path:
    """Write ``panel`` (only ``variables`` when given, only ``years`` (first, last) when given) to ``path`` in
    ``fmt`` (one of :data:`FORMATS`; default: the file's suffix); ``layout`` (wide, long) and ``grouping`` (the
    regions) shape the Stata file."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ExportError(f"{path}: unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    check_target(path, fmt)
    panel = select(panel, variables)
    if years is not None:
        panel = Panel(data=panel.data[panel.data["year"].between(*years)], catalogue=panel.catalogue,
                      sources=panel.sources)  # fmt: skip
    data = panel.data.loc[:, list(PANEL_COLUMNS)]
    if fmt == "csv":
        return _atomic(path, lambda p: data.to_csv(p, index=False))
    if fmt == "parquet":
        return _atomic(path, lambda p: data.to_parquet(p, index=False, compression="zstd"))
    if fmt == "xlsx":
        from rustpy_xlsxwriter import FastExcel

        def write_xlsx(p: Path) -> None:
            book = FastExcel(str(p)).sheet("data", data.reset_index(drop=True))
            book = book.sheet("catalogue", panel.catalogue.reset_index(drop=True))
            book.sheet("sources", panel.sources.reset_index(drop=True)).save()

        return _atomic(path, write_xlsx)
    try:
        table = stata_table(panel, years or (int(data["year"].min()), int(data["year"].max())), layout, grouping)
    except StataError as exc:
        raise ExportError(str(exc)) from exc
    return _atomic(path, lambda p: write_stata_table(table, p))


def read_export(path: str | Path, fmt: str | None = None) -> dict[str, pd.DataFrame]:
    """Read an export back: ``{"data": …}`` plus ``catalogue`` and ``sources`` for xlsx.

    For Stata the ``data`` frame is wide by (geo, year) with the original variable names restored from the
    labels (or long, as written).
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt == "csv":
        return {"data": pd.read_csv(path, dtype={"geo": str, "year": "int32"})}
    if fmt == "parquet":
        return {"data": pd.read_parquet(path)}
    if fmt == "xlsx":
        sheets = pd.read_excel(path, sheet_name=None, dtype={"geo": str}, engine="calamine")
        expected = {"data": PANEL_COLUMNS, "catalogue": CATALOGUE_COLUMNS, "sources": SOURCES_COLUMNS}
        for sheet, columns in expected.items():
            if sheet not in sheets:
                raise ExportError(f"{path}: no sheet {sheet!r}; an export has sheets {', '.join(expected)}")
            missing = [c for c in columns if c not in sheets[sheet].columns]
            if missing:
                raise ExportError(f"{path}, sheet {sheet}: missing column(s) {', '.join(missing)}")
        return {k: sheets[k] for k in expected}
    if fmt == "dta":
        return {"data": read_stata_export(path)}
    raise ExportError(f"{path}: unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
