"""Which library factors serve an activity row, and which one is chosen per pollutant.

Candidates are the factors of the row's activity type whose fuel (the row's fuel or its broader group, e.g.
hard_coal → coal), sector and technology equal the row's or are ``*``, whose unit converts with the row's unit,
and — for electricity — whose grid region is the row's (material: the material, freight: the mode). They are
ordered by (0) a factor in the row's own unit before one that needs the fuel's heat content, (1) the source
preference of the pollutant (:data:`DEFAULT_PREFERENCE`: CEDS, then the grid, BEIS and GAINS for CO2; GCAM floors,
then GAINS, the grid, BEIS, Bond and CEDS for the other pollutants — GCAM floors only match rows naming a
``gcam_min:`` technology), (2) exact before group fuel, (3) exact before ``*`` sector, technology and region,
(4) the nearest factor year (earlier on ties; the latest when the row has no year); the first is used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.accounting.conversion import heat_of, to_kg
from coreduce.accounting.library import ANY, FactorLibrary, fuel_candidates

DEFAULT_PREFERENCE = {
    "co2": ("ceds", "grid", "beis", "gains"),
    "*": ("gcam", "gains", "grid", "beis", "bond", "ceds"),
}
# The field that names what a row of each activity type is (fuel, grid region, material, transport mode).
IDENTITY = {"fuel": "fuel", "electricity": "region", "material": "material", "freight": "mode"}


def _same_identity(row: dict, lib: pd.DataFrame) -> pd.DataFrame:
    """Factors of the row's activity type for its fuel (or fuel group), grid region, material or mode."""
    kind = row["activity_type"]
    cand = lib[lib["activity_type"] == kind]
    if kind == "fuel":
        return cand[cand["fuel"].isin(fuel_candidates(row["fuel"]))]
    field = IDENTITY[kind]
    return cand[cand[field].str.lower() == str(row[field]).lower()]


def candidates(row: dict, lib: pd.DataFrame, heat_content: dict | None = None) -> pd.DataFrame:
    """Library factors that may serve ``row`` (any pollutant), with ``_kg`` (kg per activity unit per factor unit)
    and ``_via_heat`` (1 where the conversion needed the fuel's heat content)."""
    cand = _same_identity(row, lib)
    for name in ("sector", "technology"):
        cand = cand[cand[name].isin({row[name], ANY})]
    heat = heat_of(row, heat_content)
    conv = [to_kg(row["unit"], u, heat) for u in cand["unit"]]
    cand = cand.assign(_kg=[c[0] if c else np.nan for c in conv], _via_heat=[int(c[1]) if c else 0 for c in conv])
    return cand[cand["_kg"].notna()]


def unmatched_field(row: dict, library: FactorLibrary, heat_content: dict | None = None) -> str:
    """'' when some factor serves ``row``; otherwise "field 'X': …" naming the first field no factor matches."""
    kind, ident = row["activity_type"], IDENTITY[row["activity_type"]]
    hit = _same_identity(row, library.frame)
    if hit.empty:
        known = set(library.frame.loc[library.frame["activity_type"] == kind, ident]) - {ANY}
        known = sorted(known, key=lambda k: (k[:1].isdigit(), k))  # names before codes
        return f"field '{ident}': no {kind} factor for {row[ident]!r} (known: {', '.join(known[:12])}…)"
    for name in ("sector", "technology"):
        nxt = hit[hit[name].isin({row[name], ANY})]
        if nxt.empty:
            known = sorted(set(hit[name]))
            return (
                f"field '{name}': no factor for {row[name]!r} with {ident} {row[ident]!r} (known: {', '.join(known)})"
            )
        hit = nxt
    heat = heat_of(row, heat_content)
    if not hit["unit"].map(lambda u: to_kg(row["unit"], u, heat) is not None).any():
        return f"field 'unit': {row['unit']!r} does not convert with the factor units {sorted(set(hit['unit']))}"
    return ""


def _source(factor_ids: pd.Series) -> pd.Series:
    return factor_ids.str.split(":", n=1).str[0]


def choose(cand: pd.DataFrame, row: dict, preference: dict) -> dict[str, pd.Series]:
    """The best factor of every pollutant among ``cand``, by the order in the module docstring."""
    source = _source(cand["factor_id"])
    ranks = {pol: {s: i for i, s in enumerate(preference.get(pol, preference["*"]))} for pol in set(cand["pollutant"])}
    rank = [ranks[pol].get(src, len(ranks[pol])) for pol, src in zip(cand["pollutant"], source, strict=True)]
    year = cand["year"].astype("Float64")
    if pd.isna(row["year"]):
        year_key = -year.fillna(-np.inf)  # latest factor year first
        year_dist = pd.Series(0.0, index=cand.index)
    else:
        year_dist = (year - row["year"]).abs().fillna(0.0)
        year_key = year.fillna(0.0)
    keys = pd.DataFrame(
        {
            "pollutant": cand["pollutant"],
            "via_heat": cand["_via_heat"],
            "rank": rank,
            "fuel": (cand["fuel"] != row["fuel"]).astype(int),
            "sector": (cand["sector"] != row["sector"]).astype(int),
            "technology": (cand["technology"] != row["technology"]).astype(int),
            "region": (cand["region"] != row["region"]).astype(int),
            "year_dist": year_dist.astype(float),
            "year": year_key.astype(float),
        },
        index=cand.index,
    )
    best = keys.sort_values(list(keys.columns), kind="stable").drop_duplicates("pollutant")
    return {pol: cand.loc[i] for pol, i in zip(best["pollutant"], best.index, strict=True)}
