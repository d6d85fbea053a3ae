"""Co-accounting: one pass over activity rows gives CO2 and every co-pollutant, each traced to its factor.

For activity row *r* and pollutant *p* the emission is

    E[r, p] = q_r × u(unit_r · unit_f) × EF[f(r, p)]         (kg)

where ``EF[f]`` is the chosen library factor, ``q_r`` the activity quantity and ``u`` the pint conversion of
``unit_r × unit_f`` (e.g. ``GJ × kg/GJ``, ``MWh × kg/kWh`` = 1000, ``t*km × kg/(t*km)``) to kilograms.

Factor choice (a convention, recorded in ``frame.attrs["conventions"]``): the candidates are the factors of the
row's activity type whose fuel (the row's fuel or its broader group, e.g. hard_coal → coal), sector and
technology equal the row's or are ``*``, whose unit converts with the row's unit, and — for electricity — whose
grid region is the row's. They are ordered by (1) the source preference of the pollutant (default: CEDS, then
the grid, BEIS and GAINS for CO2; GCAM floors, then GAINS, the grid, BEIS, Bond and CEDS for the other pollutants —
GCAM floors only match rows naming a ``gcam_min:`` technology), (2) exact before group fuel, (3) exact before
``*`` sector, technology and region, (4) the nearest factor year (earlier on ties); the first is used.
Before all of these, a factor whose unit converts with the row's directly beats one that needs the fuel's heat
content (tonnes of coal × a per-GJ factor goes through the net calorific value, :data:`DEFAULT_HEAT_CONTENT`).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pint

from coreduce.data.units import UnitError, parse_unit
from coreduce.exchange.activity import FIELDS, fuel_candidates
from coreduce.exchange.factors import ANY, FactorLibrary

DEFAULT_PREFERENCE = {
    "co2": ("ceds", "grid", "beis", "gains"),
    "*": ("gcam", "gains", "grid", "beis", "bond", "ceds"),
}
RESULT_COLUMNS = [
    "row",
    "activity_type",
    "activity_key",
    "quantity",
    "unit",
    "pollutant",
    "emission",
    "emission_unit",
    "factor_id",
    "factor_value",
    "factor_unit",
    "factor_year",
    "verified",
    "status",
    "publisher",
    "licence",
    "citation",
]


class AccountingError(ValueError):
    """An activity row with no factor for a requested pollutant, or an unknown pollutant."""


# Average net calorific values, China Energy Statistical Yearbook, appendix "reference coefficients for converting
# energy to standard coal" (raw coal 20,908 kJ/kg, coke 28,435, fuel oil 41,816, gasoline 43,070, diesel 42,652
# kJ/kg, natural gas 38,931 kJ/m3). Used only where a row's unit and a factor's unit differ by energy vs mass/volume.
DEFAULT_HEAT_CONTENT = {
    "hard_coal": "20.908 GJ/t",
    "coal": "20.908 GJ/t",
    "coal_coke": "28.435 GJ/t",
    "heavy_oil": "41.816 GJ/t",
    "light_oil": "43.070 GJ/t",
    "diesel_oil": "42.652 GJ/t",
    "natural_gas": "38.931 MJ/m**3",
}
HEAT_CONTENT_SOURCE = "China Energy Statistical Yearbook, appendix: reference coefficients to standard coal (NCV)"


@cache
def _to_kg(activity_unit: str, factor_unit: str, heat: str | None = None) -> tuple[float, bool] | None:
    """(kg per 1 activity_unit × 1 factor_unit, whether the heat content was needed), or None when no mass results.

    Tried in order: ``activity × factor``; with ``heat`` (e.g. ``"20.908 GJ/t"``): ``activity × heat × factor``
    (tonnes of coal × per-GJ factor) and ``activity ÷ heat × factor`` (GJ of coal × per-tonne factor).
    """
    try:
        a, f = parse_unit(activity_unit), parse_unit(factor_unit)
        h = parse_unit(heat) if heat else None
    except UnitError:
        return None
    tries = [(a * f, False)] + ([(a * h * f, True), (a / h * f, True)] if h is not None else [])
    for quantity, via in tries:
        try:
            return float(quantity.to("kg").magnitude), via
        except pint.errors.DimensionalityError:
            continue
    return None


def convert_quantity(quantity: float, unit: str, target: str, fuel: str, heat_content: dict | None = None) -> float:
    """``quantity`` in ``unit`` expressed in ``target``, through the fuel's heat content when energy meets mass.

    Raises :class:`~coreduce.data.units.UnitError` when neither a direct nor a heat-content conversion exists.
    """
    heat = (DEFAULT_HEAT_CONTENT if heat_content is None else heat_content).get(fuel)
    q, t = parse_unit(unit), parse_unit(target)
    tries = [q] + ([q * parse_unit(heat), q / parse_unit(heat)] if heat else [])
    for candidate in tries:
        try:
            return quantity * float(candidate.to(t.units).magnitude / t.magnitude)
        except pint.errors.DimensionalityError:
            continue
    raise UnitError(f"{unit!r} does not convert to {target!r}" + ("" if heat else f" (no heat content for {fuel!r})"))


def _source(factor_ids: pd.Series) -> pd.Series:
    return factor_ids.str.split(":", n=1).str[0]


def _candidates(row: dict, lib: pd.DataFrame, heat_content: dict | None = None) -> pd.DataFrame:
    """Library factors that may serve ``row`` (any pollutant), with ``_kg`` (kg per activity unit per factor unit)
    and ``_via_heat`` (1 where the conversion needed the fuel's heat content)."""
    kind = row["activity_type"]
    cand = lib[lib["activity_type"] == kind]
    if kind == "fuel":
        cand = cand[cand["fuel"].isin(fuel_candidates(row["fuel"]))]
    elif kind == "electricity":
        cand = cand[cand["region"].str.lower() == str(row["region"]).lower()]
    elif kind == "material":
        cand = cand[cand["material"].str.lower() == str(row["material"]).lower()]
    else:
        cand = cand[cand["mode"].str.lower() == str(row["mode"]).lower()]
    for name in ("sector", "technology"):
        cand = cand[cand[name].isin({row[name], ANY})]
    heat = _heat(row, heat_content)
    conv = [_to_kg(row["unit"], u, heat) for u in cand["unit"]]
    cand = cand.assign(_kg=[c[0] if c else np.nan for c in conv], _via_heat=[int(c[1]) if c else 0 for c in conv])
    return cand[cand["_kg"].notna()]


def _heat(row: dict, heat_content: dict | None) -> str | None:
    if row["activity_type"] != "fuel":
        return None
    return (DEFAULT_HEAT_CONTENT if heat_content is None else heat_content).get(row["fuel"])


def unmatched_field(row: dict, library: FactorLibrary, heat_content: dict | None = None) -> str:
    """'' when some factor serves ``row``; otherwise "field 'X': …" naming the first field no factor matches."""
    lib = library.frame
    kind = row["activity_type"]
    cand = lib[lib["activity_type"] == kind]
    ident = {"fuel": "fuel", "electricity": "region", "material": "material", "freight": "mode"}[kind]
    if kind == "fuel":
        hit = cand[cand["fuel"].isin(fuel_candidates(row["fuel"]))]
    else:
        hit = cand[cand[ident].str.lower() == str(row[ident]).lower()]
    if hit.empty:
        known = sorted(set(cand[ident]) - {ANY}, key=lambda k: (k[:1].isdigit(), k))  # names before codes
        return f"field '{ident}': no {kind} factor for {row[ident]!r} (known: {', '.join(known[:12])}…)"
    for name in ("sector", "technology"):
        nxt = hit[hit[name].isin({row[name], ANY})]
        if nxt.empty:
            known = sorted(set(hit[name]))
            return (
                f"field '{name}': no factor for {row[name]!r} with {ident} {row[ident]!r} (known: {', '.join(known)})"
            )
        hit = nxt
    heat = _heat(row, heat_content)
    if not hit["unit"].map(lambda u: _to_kg(row["unit"], u, heat) is not None).any():
        return f"field 'unit': {row['unit']!r} does not convert with the factor units {sorted(set(hit['unit']))}"
    return ""


def _choose(cand: pd.DataFrame, row: dict, preference: dict) -> dict[str, pd.Series]:
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


_IDENT = ("activity_type", *FIELDS, "unit")


def _choose_all(row: dict, library: FactorLibrary, pollutants, preference, heat_content) -> tuple[str, dict]:
    """The activity key and, per pollutant, the chosen factor's result fields (None where no factor serves)."""
    cand = _candidates(row, library.frame, heat_content)
    if cand.empty:
        msg = unmatched_field(row, library, heat_content)
        raise AccountingError(f"row {row['row']}, {msg or 'no factor matches'}")
    wanted = pollutants if pollutants is not None else sorted(set(cand["pollutant"]))
    key = "/".join(str(row[f]) for f in FIELDS if row[f] is not pd.NA and row[f] != ANY)
    best = _choose(cand, row, preference)
    factors: dict[str, dict | None] = {}
    for pol in wanted:
        f = best.get(pol)
        factors[pol] = None
        if f is not None:
            factors[pol] = {
                "kg_per_unit": float(f["_kg"]) * float(f["value"]),
                "fields": {
                    "emission_unit": "kg",
                    "factor_id": f["factor_id"],
                    "factor_value": float(f["value"]),
                    "factor_unit": f["unit"],
                    "factor_year": f["year"],
                    "verified": bool(f["verified"]),
                    "status": f["status"],
                    "publisher": f["publisher"],
                    "licence": f["licence"],
                    "citation": f["citation"],
                },
            }
    return key, factors


def account(
    activity: pd.DataFrame,
    library: FactorLibrary,
    *,
    pollutants: tuple[str, ...] | None = None,
    preference: dict[str, tuple[str, ...]] | None = None,
    strict: bool = False,
    heat_content: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Emissions of every row × pollutant (long frame, :data:`RESULT_COLUMNS` + the row's extra columns).

    ``pollutants``: None = every pollutant any factor gives for the row. ``strict``: raise
    :class:`AccountingError` when a requested pollutant has no factor for a row (otherwise the pair is absent and
    listed in ``frame.attrs["missing"]``). ``preference`` overrides the source order per pollutant (key ``"*"``
    for the rest). ``heat_content``: fuel → net calorific value (default :data:`DEFAULT_HEAT_CONTENT`), used only
    when a row's unit and a factor's unit differ by energy vs mass/volume; factors that need it rank after those
    that do not. Totals: :func:`totals`.
    """
    preference = {**DEFAULT_PREFERENCE, **(preference or {})}
    lib = library.frame
    known = set(lib["pollutant"])
    if pollutants is not None and (bad := sorted(set(pollutants) - known)):
        raise AccountingError(f"unknown pollutant(s) {bad}; the library has {sorted(known)}")
    extra = [c for c in activity.columns if c not in ("row", "activity_type", *FIELDS, "quantity", "unit")]
    out, missing = [], []
    chosen: dict[tuple, tuple[str, dict]] = {}  # the factor choice depends only on the row's identifying fields
    for row in activity.to_dict("records"):
        ident = tuple(None if row[c] is pd.NA else row[c] for c in _IDENT)
        if ident not in chosen:
            chosen[ident] = _choose_all(row, library, pollutants, preference, heat_content)
        key, factors = chosen[ident]
        for pol, f in factors.items():
            if f is None:
                if strict:
                    raise AccountingError(f"row {row['row']}: no {pol} factor for {key}")
                missing.append((row["row"], pol))
                continue
            out.append(
                {
                    "row": row["row"],
                    "activity_type": row["activity_type"],
                    "activity_key": key,
                    "quantity": row["quantity"],
                    "unit": row["unit"],
                    "pollutant": pol,
                    "emission": row["quantity"] * f["kg_per_unit"],
                    **f["fields"],
                    **{c: row[c] for c in extra},
                }
            )
    frame = pd.DataFrame(out, columns=RESULT_COLUMNS + extra)
    frame.attrs["missing"] = missing
    frame.attrs["conventions"] = {
        "formula": "emission [kg] = quantity × unit conversion × factor",
        "factor_preference": {k: list(v) for k, v in preference.items()},
        "fuel_fallback": "exact fuel, then its group (hard_coal/brown_coal → coal, diesel/heavy oil → heavy liquid)",
        "year_rule": "nearest factor year, earlier on ties; latest when the row has no year",
        "heat_content": {
            "values": dict(DEFAULT_HEAT_CONTENT if heat_content is None else heat_content),
            "source": HEAT_CONTENT_SOURCE if heat_content is None else "user",
            "rule": "factors in the row's own unit first; energy ↔ mass through the fuel's net calorific value",
        },
    }
    return frame


def totals(result: pd.DataFrame, by: str | list[str] | None = None) -> pd.DataFrame:
    """Total emission per pollutant (and per ``by`` columns, e.g. ``"product"``), kg, with the factors used."""
    keys = ([by] if isinstance(by, str) else list(by or [])) + ["pollutant"]
    grouped = result.groupby(keys, as_index=False, sort=True)
    return grouped.agg(
        emission=("emission", "sum"),
        rows=("row", "nunique"),
        factor_ids=("factor_id", lambda s: ";".join(sorted(set(s)))),
        all_verified=("verified", "all"),
    ).assign(emission_unit="kg")


def wide(result: pd.DataFrame) -> pd.DataFrame:
    """Rows × pollutants (kg): the per-row view of :func:`account`."""
    return result.pivot_table(index="row", columns="pollutant", values="emission", aggfunc="sum")
