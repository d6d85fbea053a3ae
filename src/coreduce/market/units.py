"""Generating units: the GEM Global Coal Plant Tracker reader, a user unit file, validation and plan categories.

The tracker (Global Energy Monitor, July 2023, CC BY 4.0; ``PROVENANCE.md`` §15) lists coal units only: gas
units, a category of every allocation plan, are **not in it** — give them in a user file
(:func:`read_unit_file`) with ``fuel = gas``. Heat rates and emission factors in the tracker are GEM's defaults
by combustion technology and coal type (sheet "CO2 Parameters": Sargent & Lundy 2009; IPCC 2006), not measured
unit values.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from coreduce.fileio import atomic_write
from coreduce.geo.provinces import UnknownProvinceError, resolve
from coreduce.market.plans import CATEGORIES
from coreduce.paths import shared_data_dir, user_dir

GEM_FILE = "gem_gcpt/Global-Coal-Plant-Tracker-July-2023.xlsx"
GEM_SOURCE = "Global Energy Monitor, Global Coal Plant Tracker, July 2023"
GEM_LICENCE = "CC BY 4.0"
GEM_COLUMNS = {
    "GEM unit/phase ID": "unit_id",
    "Plant name": "plant",
    "Unit name": "unit",
    "Plant name (local)": "plant_zh",
    "Owner": "owner",
    "Parent": "parent",
    "Capacity (MW)": "capacity_mw",
    "Status": "status",
    "Start year": "start_year",
    "Combustion technology": "technology",
    "Coal type": "coal_type",
    "Subnational unit (province, state)": "province",
    "Latitude": "latitude",
    "Longitude": "longitude",
    "Heat rate (Btu per kWh)": "heat_rate_btu_kwh",
    "Emission factor (kg of CO2 per TJ)": "ef_kg_per_tj",
    "Capacity factor": "gem_capacity_factor",
    "Annual CO2 (million tonnes / annum)": "gem_annual_co2_mt",
}
REQUIRED = ("unit_id", "province", "capacity_mw", "fuel", "technology", "heat_rate_btu_kwh", "ef_kg_per_tj")
TECHNOLOGIES = {
    "coal": (
        "subcritical",
        "supercritical",
        "ultra-supercritical",
        "cfb",
        "igcc",
        "igcc/ccs",
        "unknown",
        "unknown/ccs",
    ),
    "gas": ("ccgt", "ocgt", "chp", "unknown"),
}
UNCONVENTIONAL_COAL = ("waste coal", "coal gangue", "coal slurry", "coal water slurry")
EXCLUDED_TECHNOLOGIES = ("igcc", "igcc/ccs", "unknown/ccs")
"""The plans' four categories do not name IGCC or CCS units; they are left out and named in the result."""
OPTIONAL = {
    "utilisation_hours": np.nan,
    "load_factor": np.nan,
    "air_cooled": np.nan,
    "heat_supply_gj": 0.0,
    "heat_ratio": np.nan,
    "base_output_mwh": np.nan,
    "banked": 0.0,
}


class UnitError(ValueError):
    """A unit record that cannot be used: names the file, the unit, the field and what was expected."""

    def __init__(self, where: str, unit: str, field: str, expected: str, value: object = None) -> None:
        self.where, self.unit, self.field = where, unit, field
        shown = "" if value is None else f" (got {value!r})"
        super().__init__(f"{where}: unit {unit!r}, field {field!r}: expected {expected}{shown}")


def read_gem(path: str | Path | None = None, statuses: tuple[str, ...] = ("operating",)) -> pd.DataFrame:
    """China's units of the GEM tracker with the given statuses, as the canonical unit table (validated)."""
    path = Path(path) if path else shared_data_dir() / GEM_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path}: GEM Global Coal Plant Tracker not found (see PROVENANCE.md §15)")
    china = _gem_china(path)
    china = china[china["status"].isin(statuses)].copy()
    china["fuel"] = "coal"
    china["source"] = GEM_SOURCE
    return validate_units(china, where=f"{path.name} [Coal Projects]")


def _gem_china(path: Path) -> pd.DataFrame:
    """China's rows of the tracker (columns renamed by :data:`GEM_COLUMNS`), from a cache file in the user's data
    directory keyed by the workbook's SHA-256 (:func:`gem_cache_path`) when there is one: reading the workbook
    takes about half a second, the cache a hundredth. A cache is written only when it reads back equal to what
    the workbook gave; a damaged one is read from the workbook again."""
    cache = gem_cache_path(path)
    if cache.exists():
        try:
            return _normalised(pd.read_parquet(cache))
        except (OSError, ValueError):
            pass
    raw = pd.read_excel(path, sheet_name="Coal Projects", engine="calamine")
    missing = sorted(set(GEM_COLUMNS) - set(raw.columns))
    if missing:
        raise UnitError(f"{path.name} [Coal Projects]", "*", missing[0], "a column of the July 2023 tracker")
    china = raw.loc[raw["Country"] == "China", list(GEM_COLUMNS)].rename(columns=GEM_COLUMNS)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(cache) as tmp:
            china.to_parquet(tmp)
            if not _normalised(pd.read_parquet(tmp)).equals(china):
                raise ValueError("the cache does not read back equal")
    except (OSError, ValueError, ImportError):  # no cache then: the workbook is read each time
        pass
    return china


def gem_cache_path(path: Path) -> Path:
    """The cache file of the tracker ``path``: ``cache/gem-<first 16 hex digits of its SHA-256>.parquet``."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    return user_dir() / "cache" / f"gem-{digest}.parquet"


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing text as the workbook reader gives it (NaN; Parquet gives None)."""
    text = frame.select_dtypes(include="object").columns
    frame[text] = frame[text].where(frame[text].notna(), np.nan)
    return frame


def read_unit_file(path: str | Path) -> pd.DataFrame:
    """A user's unit table (.csv or .xlsx) with at least the columns :data:`REQUIRED` — e.g. gas units."""
    path = Path(path)
    frame = pd.read_excel(path) if path.suffix.lower() in (".xlsx", ".xls") else pd.read_csv(path)
    return validate_units(frame, where=path.name)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype("string").str.strip().str.lower()


def _fail_where(frame: pd.DataFrame, bad: pd.Series, where: str, field: str, expected: str) -> None:
    if bad.any():
        row = frame.loc[bad].iloc[0]
        raise UnitError(where, str(row["unit_id"]), field, expected, row[field])


def validate_units(frame: pd.DataFrame, where: str = "units") -> pd.DataFrame:
    """Check every unit and add ``province_code`` and ``category``; the first bad unit raises :class:`UnitError`.

    Checked: required columns present; capacity a positive number; fuel ``coal`` or ``gas``; technology one of
    :data:`TECHNOLOGIES` for that fuel; heat rate and emission factor present and positive; province a Chinese
    province.
    """
    absent = [c for c in REQUIRED if c not in frame.columns]
    if absent:
        raise UnitError(where, "*", absent[0], f"a column {absent[0]!r} (required: {', '.join(REQUIRED)})")
    units = frame.copy().reset_index(drop=True)
    units["unit_id"] = units["unit_id"].astype(str)
    if "source" not in units.columns:
        units["source"] = f"user units ({where})"
    for column in ("plant", "unit", "owner", "parent", "coal_type", "status"):
        if column not in units.columns:
            units[column] = pd.NA
    for column, default in OPTIONAL.items():
        units[column] = pd.to_numeric(units[column], errors="coerce") if column in units else default
    units["fuel"] = _text(units, "fuel")
    units["technology"] = _text(units, "technology").fillna("unknown")
    units["coal_type"] = _text(units, "coal_type")
    for column in ("capacity_mw", "heat_rate_btu_kwh", "ef_kg_per_tj"):
        numbers = pd.to_numeric(units[column], errors="coerce")
        _fail_where(units, numbers.isna(), where, column, "a number (missing or not numeric)")
        _fail_where(units, numbers <= 0, where, column, "a positive number")
        units[column] = numbers.astype(float)
    _fail_where(units, ~units["fuel"].isin(TECHNOLOGIES), where, "fuel", "'coal' or 'gas'")
    known = pd.Series([t in TECHNOLOGIES[f] for f, t in zip(units["fuel"], units["technology"], strict=True)])
    _fail_where(units, ~known, where, "technology", "a technology of its fuel: " + str(TECHNOLOGIES))
    units["province_code"] = _province_codes(units, where)
    units["category"] = categorise(units)
    return units


def _province_codes(units: pd.DataFrame, where: str) -> pd.Series:
    codes = {}
    for name in units["province"].dropna().unique():
        try:
            codes[name] = resolve(name).code
        except (KeyError, ValueError, UnknownProvinceError):
            codes[name] = None
    mapped = units["province"].map(codes)
    _fail_where(units, mapped.isna(), where, "province", "a province of China (name, pinyin or GB/T 2260 code)")
    return mapped.astype(str)


def categorise(units: pd.DataFrame, size_threshold_mw: float = 400.0) -> pd.Series:
    """The plan category of each unit (:data:`CATEGORIES`), or ``excluded`` for IGCC/CCS units.

    Gas → ``gas``; coal with CFB technology or waste coal / gangue / slurry → ``coal_unconventional``
    (燃煤矸石、煤泥、水煤浆等非常规燃煤机组（含燃煤循环流化床机组）); other coal by rated capacity against
    ``size_threshold_mw`` (the plans' 300MW等级以上 class; see :class:`~coreduce.market.MarketConventions`).
    """
    fuel, tech = units["fuel"], units["technology"]
    unconventional = (tech == "cfb") | units["coal_type"].isin(UNCONVENTIONAL_COAL).fillna(False)
    large = units["capacity_mw"] >= size_threshold_mw
    category = np.select(
        [fuel == "gas", tech.isin(EXCLUDED_TECHNOLOGIES), unconventional, large],
        ["gas", "excluded", "coal_unconventional", "coal_300_plus"],
        default="coal_300_below",
    )
    assert set(np.unique(category)) <= {*CATEGORIES, "excluded"}
    return pd.Series(category, index=units.index)
