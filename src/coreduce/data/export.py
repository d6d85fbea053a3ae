"""Exports of a :class:`~coreduce.data.panel.Panel`: CSV, Parquet, Excel and Stata.

* CSV and Parquet hold the long panel (every column, status and source included).
* Excel (``.xlsx``) holds three sheets: ``data`` (the long panel), ``catalogue`` and ``sources``.
* Stata (``.dta``, format 118) holds the panel wide by (geo, year), one column per variable. Stata names have
  at most 32 characters of letters, digits and underscores, so each variable gets a Stata name
  (:func:`stata_names`) and its variable label records the original name and unit as ``name [unit]``.

Every writer writes through :func:`coreduce.fileio.atomic_write` (a temporary file beside the target, renamed into
place), so a failed export never leaves a half-written file. The target must be a regular file (or not exist yet)
whose extension matches the format: a directory, a symbolic link, a device or ``panel.csv`` written as Stata are
refused before anything is written, and a full disk is reported as such. :func:`read_export` reads any of the
four back.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from coreduce.data.panel import Panel
from coreduce.data.schema import CATALOGUE_COLUMNS, PANEL_COLUMNS, SOURCES_COLUMNS
from coreduce.fileio import OutputPathError, atomic_write, check_output_path

FORMATS = ("csv", "parquet", "xlsx", "dta")
STATA_NAME_LENGTH = 32
STATA_LABEL_LENGTH = 80


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


def stata_names(variables: list[str]) -> dict[str, str]:
    """Map each variable to a unique Stata name: lower case, every run of other characters → ``_``, at most
    32 characters; a clash or a truncation is resolved by a numeric suffix (``_2`` …)."""
    out: dict[str, str] = {}
    used = {"geo", "year"}
    for variable in variables:
        base = re.sub(r"[^a-z0-9_]+", "_", variable.lower()).strip("_") or "v"
        if base[0].isdigit():
            base = "v_" + base
        name, n = base[:STATA_NAME_LENGTH], 1
        while name in used:
            n += 1
            suffix = f"_{n}"
            name = base[: STATA_NAME_LENGTH - len(suffix)] + suffix
        used.add(name)
        out[variable] = name
    return out


def _stata_label(variable: str, unit: str) -> str:
    label = f"{variable} [{unit}]"
    if len(label) <= STATA_LABEL_LENGTH:
        return label
    if len(variable) <= STATA_LABEL_LENGTH:
        return variable
    raise ExportError(
        f"Stata export: variable name {variable!r} is {len(variable)} characters, longer than a Stata label "
        f"({STATA_LABEL_LENGTH}); it cannot be recorded"
    )


def select(panel: Panel, variables: list[str] | None) -> Panel:
    """The part of ``panel`` holding ``variables`` (all when None), with their catalogue and sources rows."""
    if variables is None:
        return panel
    panel.require(variables)
    data = panel.data[panel.data["variable"].isin(variables)].reset_index(drop=True)
    catalogue = panel.catalogue[panel.catalogue["variable"].isin(variables)].reset_index(drop=True)
    return Panel(data=data, catalogue=catalogue, sources=panel.attribution(variables))


def export_panel(panel: Panel, path: str | Path, fmt: str | None = None, variables: list[str] | None = None) -> Path:
    """Write ``panel`` (only ``variables`` when given) to ``path`` in ``fmt`` (one of :data:`FORMATS`; default:
    the file's suffix)."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ExportError(f"{path}: unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    check_target(path, fmt)
    panel = select(panel, variables)
    data = panel.data.loc[:, list(PANEL_COLUMNS)]
    if fmt == "csv":
        return _atomic(path, lambda p: data.to_csv(p, index=False))
    if fmt == "parquet":
        return _atomic(path, lambda p: data.to_parquet(p, index=False, compression="zstd"))
    if fmt == "xlsx":

        def write_xlsx(p: Path) -> None:
            with pd.ExcelWriter(p, engine="xlsxwriter") as xl:
                data.to_excel(xl, sheet_name="data", index=False)
                panel.catalogue.to_excel(xl, sheet_name="catalogue", index=False)
                panel.sources.to_excel(xl, sheet_name="sources", index=False)

        return _atomic(path, write_xlsx)
    variables = panel.variables
    names = stata_names(variables)
    units = dict(zip(panel.catalogue["variable"], panel.catalogue["unit"], strict=True))
    labels = {names[v]: _stata_label(v, units.get(v, "")) for v in variables}
    wide = panel.wide(variables).rename(columns=names).reset_index()
    wide["year"] = wide["year"].astype("int32")
    labels.update(geo="geography (GB/T 2260 code; 100000 = China)", year="year")
    return _atomic(
        path,
        lambda p: wide.to_stata(
            p, write_index=False, version=118, variable_labels=labels, data_label="coreduce panel (wide)"
        ),
    )


def _from_label(label: str, name: str) -> str:
    match = re.fullmatch(r"(.*) \[[^\[\]]*\]", label)
    return match.group(1) if match else (label or name)


def read_export(path: str | Path, fmt: str | None = None) -> dict[str, pd.DataFrame]:
    """Read an export back: ``{"data": …}`` plus ``catalogue`` and ``sources`` for xlsx.

    For Stata the ``data`` frame is wide by (geo, year) with the original variable names restored from the
    labels.
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
        with pd.io.stata.StataReader(path) as reader:
            frame = reader.read()
            labels = reader.variable_labels()
        rename = {c: _from_label(labels.get(c, ""), c) for c in frame.columns if c not in ("geo", "year")}
        return {"data": frame.rename(columns=rename).set_index(["geo", "year"])}
    raise ExportError(f"{path}: unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
