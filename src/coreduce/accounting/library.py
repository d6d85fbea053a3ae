"""The emission-factor library: CO2 and co-pollutant factors per unit of activity, each citing its publisher.

One compact table (``accounting/data/factor_library.csv``) derived by
:func:`coreduce.accounting.build.build_factor_library` from the public files in ``shared/data/factors`` (see
``PROVENANCE-factors.md``), one builder per publisher in :mod:`coreduce.accounting.builders`;
:func:`load_factor_library` reads it.

Columns: ``factor_id, activity_type, key, fuel, sector, technology, region, year, material, mode, pollutant,
value, unit, publisher, licence, citation, verified, status, note``. ``activity_type`` is one of
``fuel / electricity / material / freight``; ``key`` joins the fields that identify the activity for that type
(fuel/sector/technology, grid region/year, material, mode); ``"*"`` in a field means "any". ``unit`` is a
pint-parsable mass per unit of activity (``kg/GJ``, ``kg/kWh``, ``kg/t``, ``kg/(t*km)``). ``status`` is
``reported`` (a value printed by the publisher) or ``derived`` (computed here; the formula is in ``note``).
``verified`` is False where ``PROVENANCE-factors.md`` marks an input unverified or undocumented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

LIBRARY_FILE = "factor_library.csv"
GCAM_LICENCE_FILE = "GCAM-ECL-2.0-LICENSE.txt"
COLUMNS = [
    "factor_id",
    "activity_type",
    "key",
    "fuel",
    "sector",
    "technology",
    "region",
    "year",
    "material",
    "mode",
    "pollutant",
    "value",
    "unit",
    "publisher",
    "licence",
    "citation",
    "verified",
    "status",
    "note",
]
ACTIVITY_TYPES = ("fuel", "electricity", "material", "freight")
KEY_FIELDS = {
    "fuel": ("fuel", "sector", "technology"),
    "electricity": ("region",),
    "material": ("material",),
    "freight": ("mode",),
}
ANY = "*"

# Fuels of the library: CEDS names; each may fall back to the broader GAINS fuel group it belongs to.
FUEL_GROUPS = {
    "hard_coal": "coal",
    "brown_coal": "coal",
    "diesel_oil": "heavy_liquid_fuel",
    "heavy_oil": "heavy_liquid_fuel",
    "light_oil": "light_liquid_fuel",
}


# The fields of an activity row that identify it (which of them matter depends on its activity type).
FIELDS = ("fuel", "sector", "technology", "region", "year", "material", "mode")


def fuel_candidates(fuel: str) -> tuple[str, ...]:
    """The library fuels that may serve ``fuel``: itself, then its broader group (hard_coal → coal)."""
    group = FUEL_GROUPS.get(fuel)
    return (fuel, group) if group else (fuel,)


class FactorError(ValueError):
    """A factor file that does not hold what the library expects, or a factor that cannot be found."""


@dataclass(frozen=True)
class FactorLibrary:
    """The factor table plus the licence notices that must travel with it (``notices``: file name → text)."""

    frame: pd.DataFrame
    notices: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.frame)

    def attribution(self, factor_ids=None) -> pd.DataFrame:
        """Publisher and licence of the given factors (all when None): one row per pair, with the number of
        factors, how many are unverified, and the notice file shipped with the library where the licence asks
        for its text to travel with the data."""
        frame = self.frame if factor_ids is None else self.frame[self.frame["factor_id"].isin(list(factor_ids))]
        cols = ["publisher", "licence"]
        out = frame.groupby(cols, as_index=False).agg(
            factors=("factor_id", "size"), unverified=("verified", lambda s: int((~s.astype(bool)).sum()))
        )
        out["notice"] = [
            next((name for name in self.notices if "ECL-2.0" in lic and "ECL" in name), "") for lic in out["licence"]
        ]
        return out.sort_values(cols, ignore_index=True)

    def get(self, factor_id: str) -> pd.Series:
        hit = self.frame[self.frame["factor_id"] == factor_id]
        if hit.empty:
            raise FactorError(f"no factor with factor_id {factor_id!r} in the library")
        return hit.iloc[0]


def data_dir() -> Path:
    """The folder of the shipped library and its licence notices."""
    return Path(str(resources.files("coreduce.accounting.data")))


@cache
def _load(path: str) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype={"region": str, "note": str}, keep_default_na=False, na_values={"year": [""]})
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise FactorError(f"{path}: factor library lacks columns {sorted(missing)}")
    frame["year"] = frame["year"].astype("Int64")
    frame["verified"] = frame["verified"].astype(str).str.lower().map({"true": True, "false": False})
    if frame["verified"].isna().any():
        row = int(frame.index[frame["verified"].isna()][0]) + 2
        raise FactorError(f"{path}: line {row}, column 'verified': expected True or False")
    return frame


def load_factor_library(path: str | Path | None = None) -> FactorLibrary:
    """The factor library (the shipped file unless ``path`` is given) with the GCAM ECL-2.0 licence notice."""
    path = Path(path) if path else data_dir() / LIBRARY_FILE
    if not path.is_file():
        raise FactorError(f"factor library {path} does not exist; run coreduce.accounting.build_factor_library()")
    notice = data_dir() / GCAM_LICENCE_FILE
    notices = {GCAM_LICENCE_FILE: notice.read_text(encoding="utf-8")} if notice.is_file() else {}
    return FactorLibrary(_load(str(path)).copy(), notices)
