"""Carbon-price and pathway scenarios as data: every value with its citation, read from TOML or CSV.

A scenario is a table of values, one row each, with the columns ``kind, key, year, value, unit, citation``:

* ``price`` — a carbon price; ``key`` is the market (``eu_ets``: EUR/t CO2; ``china_ets``: CNY/t CO2);
* ``fx`` — an exchange rate; ``key`` ``EUR/CNY`` (CNY per EUR);
* ``ets_sector`` — a GB/T 4754 division covered by a market from ``year`` (``key`` = market, ``value`` = code).

An optional ``status`` column marks a value ``secondary`` or ``unverified`` (default ``cited``).
A TOML file holds ``name = "…"`` and an array ``[[value]]`` of such rows; a CSV holds the rows with a header.
The CBAM side (benchmarks, the phase-out of free allocation, default values) is not scenario data: it comes
from :mod:`coreduce.cbam` with its own citations.
A pathway is a CSV of ``sector, year, intensity, unit, scenario, citation`` (sector = an SDA sector such as
``power``, ``cement``, ``steel``, ``aluminium``). A row without a citation, an unknown kind, a value that is not
a number or a negative price is an error naming the file, the row and the field. Nothing is filled in: a price
a scenario does not give is missing in the screen, and said so.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

KINDS = ("price", "fx", "ets_sector")
COLUMNS = ("kind", "key", "year", "value", "unit", "citation")
PATHWAY_COLUMNS = ("sector", "year", "intensity", "unit", "scenario", "citation")


class ScenarioError(ValueError):
    """A scenario or pathway file that cannot be used; names the file, row and field."""


@dataclass(frozen=True)
class Scenario:
    """A named carbon-price scenario: its rows (``COLUMNS``) and the file it came from."""

    name: str
    values: pd.DataFrame
    origin: str

    def price(self, market: str, year: int) -> float | None:
        rows = self.values[(self.values["kind"] == "price") & (self.values["key"] == market)]
        hit = rows.loc[rows["year"] == year, "value"]
        return float(hit.iloc[0]) if len(hit) else None

    def fx(self, pair: str, year: int) -> float | None:
        rows = self.values[(self.values["kind"] == "fx") & (self.values["key"] == pair)]
        hit = rows.loc[rows["year"] == year, "value"]
        return float(hit.iloc[0]) if len(hit) else None

    def ets_sectors(self, market: str, year: int) -> set[str]:
        rows = self.values[(self.values["kind"] == "ets_sector") & (self.values["key"] == market)]
        return {str(v) for v in rows.loc[rows["year"] <= year, "value"]}


def _check_rows(frame: pd.DataFrame, origin: str, label: str, row0: int) -> pd.DataFrame:
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ScenarioError(f"{origin}: missing field(s) {', '.join(missing)}; each value needs {', '.join(COLUMNS)}")
    out = frame.loc[:, list(COLUMNS)].copy()
    out["status"] = frame["status"].fillna("cited") if "status" in frame else "cited"
    for i, row in out.iterrows():
        where = f"{origin}: {label} {int(i) + row0}"
        if row["kind"] not in KINDS:
            raise ScenarioError(f"{where}, field 'kind': {row['kind']!r} is not one of {', '.join(KINDS)}")
        if pd.isna(row["citation"]) or not str(row["citation"]).strip():
            raise ScenarioError(f"{where}, field 'citation': every value needs a citation (its published source)")
        for name in ("year",) + (() if row["kind"] == "ets_sector" else ("value",)):
            try:
                float(row[name])
            except (TypeError, ValueError):
                raise ScenarioError(f"{where}, field {name!r}: {row[name]!r} is not a number") from None
        if row["kind"] != "ets_sector" and float(row["value"]) < 0:
            raise ScenarioError(f"{where}, field 'value': {row['value']} is negative")
    out["year"] = out["year"].astype(int)
    out["key"] = out["key"].astype(str)
    return out


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario from ``.toml`` (``name`` and ``[[value]]`` rows) or ``.csv`` (one row per value)."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"{path}: scenario file not found")
    if path.suffix.lower() == ".toml":
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(f"{path}: not valid TOML ({exc})") from exc
        rows = doc.get("value")
        if not isinstance(rows, list) or not rows:
            raise ScenarioError(f"{path}: no [[value]] rows")
        frame = _check_rows(pd.DataFrame(rows), str(path), "[[value]] entry", 1)
        return Scenario(str(doc.get("name") or path.stem), frame, str(path))
    if path.suffix.lower() == ".csv":
        frame = pd.read_csv(path, dtype={"value": str, "key": str}, keep_default_na=False, na_values=[""])
        return Scenario(path.stem, _check_rows(frame, str(path), "row", 2), str(path))
    raise ScenarioError(f"{path}: a scenario is a .toml or .csv file")


def load_pathway(path: str | Path) -> pd.DataFrame:
    """Read a sector pathway CSV (``PATHWAY_COLUMNS``); each row needs a citation and a non-negative intensity."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"{path}: pathway file not found")
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    missing = [c for c in PATHWAY_COLUMNS if c not in frame.columns]
    if missing:
        raise ScenarioError(f"{path}: missing field(s) {', '.join(missing)}")
    for i, row in frame.iterrows():
        if pd.isna(row["citation"]) or not str(row["citation"]).strip():
            raise ScenarioError(f"{path}: row {int(i) + 2}, field 'citation': every pathway value needs a citation")
        value = pd.to_numeric(pd.Series([row["intensity"]]), errors="coerce").iloc[0]
        if pd.isna(value) or value < 0:
            raise ScenarioError(f"{path}: row {int(i) + 2}, field 'intensity': {row['intensity']!r} is not ≥ 0")
    return frame.astype({"year": int, "intensity": float})
