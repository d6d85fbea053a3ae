"""Co-accounting: one pass over activity rows gives CO2 and every co-pollutant, each traced to its factor.

For activity row *r* and pollutant *p* the emission is

    E[r, p] = q_r × u(unit_r · unit_f) × EF[f(r, p)]         (kg)

where ``EF[f]`` is the chosen library factor, ``q_r`` the activity quantity and ``u`` the pint conversion of
``unit_r × unit_f`` (e.g. ``GJ × kg/GJ``, ``MWh × kg/kWh`` = 1000, ``t*km × kg/(t*km)``) to kilograms
(:mod:`coreduce.accounting.conversion`). The factor choice ``f(r, p)`` is the rule of
:mod:`coreduce.accounting.matching`, recorded in ``frame.attrs["conventions"]``.
"""

from __future__ import annotations

import pandas as pd

from coreduce.accounting.conversion import DEFAULT_HEAT_CONTENT, HEAT_CONTENT_SOURCE
from coreduce.accounting.library import ANY, FIELDS, FactorLibrary
from coreduce.accounting.matching import DEFAULT_PREFERENCE, candidates, choose, unmatched_field

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


_IDENT = ("activity_type", *FIELDS, "unit")


def _choose_all(row: dict, library: FactorLibrary, pollutants, preference, heat_content) -> tuple[str, dict]:
    """The activity key and, per pollutant, the chosen factor's result fields (None where no factor serves)."""
    cand = candidates(row, library.frame, heat_content)
    if cand.empty:
        msg = unmatched_field(row, library, heat_content)
        raise AccountingError(f"row {row['row']}, {msg or 'no factor matches'}")
    wanted = pollutants if pollutants is not None else sorted(set(cand["pollutant"]))
    key = "/".join(str(row[f]) for f in FIELDS if row[f] is not pd.NA and row[f] != ANY)
    best = choose(cand, row, preference)
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
