"""Decision support: which measures cut CO2 and air pollutants together per yuan, and which trade one for another.

A measure (catalogue ``exchange/data/measures.json``, :func:`load_measures`) applies to the activity rows its
``applies_to`` selects (``activity_type`` plus, per field, a value or a list; ``mode_prefix`` for freight modes)
and has effects, applied in this order:

- ``scale``: quantity × ``factor`` (efficiency);
- ``switch``: a ``share`` of the quantity becomes a new row with the fields in ``set`` and quantity × ``ratio``
  (fuel switch, mode shift);
- ``removal``: the emissions of ``pollutants`` (``"*"`` = all) of the remaining rows × (1 − ``efficiency``)
  (end-of-pipe controls; green electricity as removal of every pollutant of the electricity bought);
- ``extra_activity``: ``per_unit`` × quantity (in the unit ``per``) of another activity, e.g. the electricity an
  FGD unit uses (grid region and year: the ``grid_region`` / ``grid_year`` options);
- ``process_emission``: ``ratio`` kg of ``pollutant`` per kg of ``removed`` pollutant taken out (limestone CO2).

Reductions ``Δ_p = E_p(before) − E_p(after)`` (kg, each measure alone against the baseline; measures are not
additive) come from :func:`coreduce.accounting.account` on the same rows, so CO2 and the
co-pollutants move together. The cost is ``cost.value`` × the matched quantity in ``cost.per`` + ``cost.fixed``
(CNY per year). Ranking score = weighted reduction ``W = Σ_p w_p Δ_p`` per yuan, with the weighting an
explicit option recorded in ``conventions``:

- ``"equal_normalised"`` (default): ``w_p = 1 / B_p`` with ``B_p`` the baseline total of pollutant ``p``, so ``W``
  is the sum over pollutants of the share of the baseline removed (each pollutant counts equally);
- ``"env_tax"``: ``w_p`` in CNY/kg = tax per pollution equivalent ÷ the equivalent value of the Environmental
  Protection Tax Law of the PRC (2016), Annex 2 (SO2 0.95 kg, NOx 0.95 kg, soot 2.18 kg standing in for PM2.5),
  ``tax_per_equivalent`` between the statutory 1.2 and 12 CNY (default 1.2); CO2 at ``co2_price`` CNY/t (required);
- ``"custom"``: ``weights`` = {pollutant: CNY per kg}.

Order: measures that save money and reduce ``W`` first (largest ``W`` first), then positive-cost measures by
``W``/yuan, then those with ``W ≤ 0``. A pollutant that some after-state row has no factor for is *incomplete*:
its Δ is NaN, left out of ``W`` and listed. Biomass CO2 is biogenic and counted as zero (IPCC 2006 Guidelines,
vol. 2, ch. 2, §2.3.3.4: reported as a memo item), an option (``biogenic_co2="zero"|"missing"``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from coreduce.accounting.activity import COLUMNS as ACTIVITY_COLUMNS
from coreduce.accounting.coaccount import account
from coreduce.accounting.conversion import convert_quantity
from coreduce.accounting.library import ANY, FactorLibrary
from coreduce.units import UnitError

MEASURES_FILE = "measures.json"
CATEGORIES = ("fuel_switch", "efficiency", "end_of_pipe", "green_electricity", "mode_shift")
EFFECT_KINDS = ("scale", "switch", "removal", "extra_activity", "process_emission")
WEIGHTINGS = ("equal_normalised", "env_tax", "custom")
DEFAULT_POLLUTANTS = ("co2", "so2", "nox", "pm25")
# Environmental Protection Tax Law of the PRC (2016), Annex 2: kg per pollution equivalent.
TAX_EQUIVALENT_KG = {"so2": 0.95, "nox": 0.95, "pm25": 2.18}
TAX_CITATION = (
    "Environmental Protection Tax Law of the PRC (2016), Annex 1 (1.2-12 CNY per pollution equivalent) and "
    "Annex 2 (SO2 0.95 kg, NOx 0.95 kg, soot 2.18 kg per equivalent; soot stands in for PM2.5)"
)
BIOGENIC_CITATION = "IPCC 2006 Guidelines vol. 2 ch. 2 §2.3.3.4: CO2 from biomass combustion is a memo item"


class MeasureError(ValueError):
    """A measure catalogue or option that does not hold what the ranking needs."""


def load_measures(path: str | Path | None = None) -> list[dict]:
    """The measure catalogue (the shipped ``measures.json`` unless ``path`` is given), validated."""
    path = Path(path) if path else Path(str(resources.files("coreduce.exchange.data"))) / MEASURES_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise MeasureError(f"{path}: cannot read the measure catalogue ({exc})") from exc
    measures = data.get("measures") if isinstance(data, dict) else data
    if not isinstance(measures, list):
        raise MeasureError(f"{path}: expected {{'measures': [...]}} or a list of measures")
    for i, m in enumerate(measures):
        validate_measure(m, f"{path.name}, measure {i}")
    return measures


def validate_measure(m: dict, where: str = "measure") -> None:
    """Raise :class:`MeasureError` naming the field of ``m`` that is missing or malformed."""
    if not isinstance(m, dict):
        raise MeasureError(f"{where}: expected an object")
    where = f"{where} ({m.get('measure_id', '?')})"
    for key in ("measure_id", "name", "category", "applies_to", "effects", "cost", "numbers"):
        if key not in m:
            raise MeasureError(f"{where}: field '{key}' is missing")
    if m["category"] not in CATEGORIES:
        raise MeasureError(f"{where}, field 'category': {m['category']!r}; expected one of {', '.join(CATEGORIES)}")
    if "activity_type" not in m["applies_to"]:
        raise MeasureError(f"{where}, field 'applies_to.activity_type' is missing")
    for j, eff in enumerate(m["effects"]):
        kind = eff.get("kind")
        if kind not in EFFECT_KINDS:
            raise MeasureError(f"{where}, effects[{j}].kind: {kind!r}; expected one of {', '.join(EFFECT_KINDS)}")
        need = {
            "scale": ("factor",),
            "switch": ("share", "ratio", "set"),
            "removal": ("pollutants", "efficiency"),
            "extra_activity": ("per_unit", "per", "activity"),
            "process_emission": ("pollutant", "removed", "ratio"),
        }[kind]
        for key in need:
            if key not in eff:
                raise MeasureError(f"{where}, effects[{j}] ({kind}): field '{key}' is missing")
        for key in ("factor", "share", "ratio", "efficiency", "per_unit"):
            if key in eff and not (isinstance(eff[key], int | float) and np.isfinite(eff[key]) and eff[key] >= 0):
                raise MeasureError(f"{where}, effects[{j}].{key}: {eff[key]!r}; expected a number ≥ 0")
        if kind in ("switch", "removal") and max(eff.get("share", 0), eff.get("efficiency", 0)) > 1:
            raise MeasureError(f"{where}, effects[{j}]: share/efficiency above 1")
    cost = m["cost"]
    if not isinstance(cost.get("value"), int | float) or "per" not in cost:
        raise MeasureError(f"{where}, field 'cost': expected {{'value': number, 'per': unit, 'fixed': number}}")
    for k, num in enumerate(m["numbers"]):
        if not {"name", "value", "citation", "verified"} <= set(num):
            raise MeasureError(f"{where}, numbers[{k}]: needs name, value, citation and verified")


def _matches(rows: pd.DataFrame, applies_to: dict) -> pd.Series:
    ok = pd.Series(True, index=rows.index)
    for key, want in applies_to.items():
        values = want if isinstance(want, list) else [want]
        if key == "mode_prefix":
            ok &= rows["mode"].astype(str).str.startswith(tuple(values))
        else:
            ok &= rows[key].astype(str).str.lower().isin([str(v).lower() for v in values])
    return ok


@dataclass
class MeasureRanking:
    """Ranked measures (``table``), per-pollutant reductions, the baseline and the conventions used."""

    table: pd.DataFrame
    baseline: pd.Series
    pollutants: tuple
    conventions: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def tradeoffs(self) -> pd.DataFrame:
        """Measures that reduce some pollutants and raise others."""
        return self.table[self.table["tradeoff"]][["measure_id", "name", "lowers", "raises"]]

    def summary(self) -> str:
        c = self.conventions
        lines = [
            f"Measures ranked by weighted CO2 + pollutant reduction per yuan ({c['weighting']})",
            "  baseline (kg): " + ", ".join(f"{p} {self.baseline[p]:.6g}" for p in self.pollutants),
        ]
        for r in self.table.itertuples():
            flag = f"  TRADE-OFF raises {r.raises}" if r.tradeoff else ""
            lines.append(
                f"  {r.rank:>2}. {r.measure_id:<32} cost {r.cost_cny:>14,.0f} CNY  W {r.weighted_reduction:.4g}  "
                f"W/yuan {r.score_per_yuan:.4g}{flag}"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return f"<p>{self.summary().splitlines()[0]}</p>" + self.table.to_html(index=False)


def _weights(weighting, baseline, pollutants, weights, co2_price, tax_per_equivalent) -> tuple[dict, str, str]:
    """Weights per pollutant, their unit and citation."""
    if weighting == "equal_normalised":
        w = {p: (1.0 / baseline[p] if baseline[p] > 0 else 0.0) for p in pollutants}
        return w, "share of baseline", "each pollutant's reduction divided by its baseline total, equal weights"
    if weighting == "env_tax":
        if co2_price is None:
            raise MeasureError("weighting 'env_tax' needs co2_price (CNY per t CO2), e.g. a carbon-market price")
        if not 1.2 <= tax_per_equivalent <= 12:
            raise MeasureError(f"tax_per_equivalent {tax_per_equivalent}: the law allows 1.2-12 CNY per equivalent")
        w = {p: tax_per_equivalent / TAX_EQUIVALENT_KG[p] if p in TAX_EQUIVALENT_KG else 0.0 for p in pollutants}
        if "co2" in w:
            w["co2"] = co2_price / 1000.0
        return w, "CNY", f"{TAX_CITATION}; {tax_per_equivalent} CNY/equivalent; CO2 {co2_price} CNY/t (user)"
    if weighting == "custom":
        if not weights or (missing := sorted(set(pollutants) - set(weights))):
            raise MeasureError(f"weighting 'custom' needs weights (CNY/kg) for every pollutant; missing {missing}")
        return {p: float(weights[p]) for p in pollutants}, "CNY", "user-supplied weights (CNY per kg)"
    raise MeasureError(f"weighting {weighting!r}: expected one of {', '.join(WEIGHTINGS)}")


def _quantity_in(rows: pd.DataFrame, unit: str, where: str, heat_content: dict | None) -> np.ndarray:
    """Quantities of ``rows`` in ``unit`` (through the fuel's heat content when energy meets mass)."""
    out = []
    for r in rows.itertuples():
        try:
            out.append(convert_quantity(r.quantity, r.unit, unit, r.fuel, heat_content))
        except UnitError as exc:
            raise MeasureError(f"{where}: row {r.row} quantity in {r.unit!r}: {exc}") from exc
    return np.asarray(out, dtype=float)


def _emissions(rows: pd.DataFrame, library, pollutants, opts: dict) -> tuple[pd.DataFrame, set]:
    """kg per (row index, pollutant) of ``rows`` and the (row index, pollutant) pairs that have no factor."""
    if rows.empty:
        return pd.DataFrame(0.0, index=[], columns=list(pollutants)), set()
    rows = rows.assign(row=np.arange(len(rows)))
    res = account(rows[list(ACTIVITY_COLUMNS)], library, pollutants=pollutants, heat_content=opts["heat_content"])
    table = res.pivot_table(index="row", columns="pollutant", values="emission", aggfunc="sum")
    table = table.reindex(index=range(len(rows)), columns=list(pollutants))
    missing = set()
    for row, pol in res.attrs["missing"]:
        if pol == "co2" and opts["biogenic_co2"] == "zero" and rows.iloc[row]["fuel"] == "biomass":
            table.loc[row, pol] = 0.0
        else:
            missing.add((rows.index[row], pol))
    table.index = rows.index
    return table.fillna(0.0), missing


def _after(measure, matched, library, pollutants, grid, opts):
    """Emissions (kg per pollutant) of the matched rows after the measure, and the incomplete pollutants."""
    keep = matched.copy()
    new = []
    removal, extra, process = [], [], []
    for eff in measure["effects"]:
        kind = eff["kind"]
        if kind == "scale":
            keep["quantity"] = keep["quantity"] * eff["factor"]
        elif kind == "switch":
            moved = keep.assign(quantity=keep["quantity"] * eff["share"] * eff["ratio"])
            for key, value in eff["set"].items():
                moved[key] = value
            keep["quantity"] = keep["quantity"] * (1 - eff["share"])
            new.append(moved)
        elif kind == "removal":
            removal.append(eff)
        elif kind == "extra_activity":
            extra.append(eff)
        else:
            process.append(eff)
    kept, missing = _emissions(keep, library, pollutants, opts)
    removed = pd.Series(0.0, index=list(pollutants))
    for eff in removal:
        targets = list(pollutants) if "*" in eff["pollutants"] else [p for p in eff["pollutants"] if p in kept]
        cut = kept[targets] * eff["efficiency"]
        removed[targets] += cut.sum()
        kept[targets] -= cut
    total = kept.sum()
    for rows in new:
        em, inc = _emissions(rows, library, pollutants, opts)
        total += em.sum()
        missing |= inc
    for eff in extra:
        qty = _quantity_in(keep, eff["per"], measure["measure_id"], opts["heat_content"]) * eff["per_unit"]
        spec = {**dict.fromkeys(ACTIVITY_COLUMNS, ANY), **grid, **eff["activity"]}
        rows = pd.DataFrame([{**spec, "quantity": float(qty.sum())}])
        rows["year"] = pd.array([spec["year"] if spec["year"] != ANY else pd.NA], dtype="Int64")
        em, inc = _emissions(rows, library, pollutants, opts)
        total += em.sum()
        missing |= inc
    for eff in process:
        if eff["pollutant"] in total.index:
            total[eff["pollutant"]] += eff["ratio"] * removed.get(eff["removed"], 0.0)
    return total, {pol for _, pol in missing}


def rank_measures(
    activity: pd.DataFrame,
    library: FactorLibrary,
    measures: list[dict] | None = None,
    *,
    pollutants: tuple[str, ...] = DEFAULT_POLLUTANTS,
    weighting: str = "equal_normalised",
    weights: dict | None = None,
    co2_price: float | None = None,
    tax_per_equivalent: float = 1.2,
    grid_region: str | None = None,
    grid_year: int | None = None,
    biogenic_co2: str = "zero",
    heat_content: dict[str, str] | None = None,
    tolerance: float = 1e-9,
) -> MeasureRanking:
    """Rank ``measures`` (default: the shipped catalogue) for the ``activity`` rows (see the module docstring).

    ``grid_region`` / ``grid_year``: where extra electricity (FGD, SCR, filters) is bought; default the region and
    year of the activity's electricity rows when they are unique, else ``national`` and the latest factor year.
    ``heat_content``: fuel → net calorific value for energy ↔ mass conversions (default: accounting's
    :data:`~coreduce.accounting.conversion.DEFAULT_HEAT_CONTENT`). ``tolerance``: a change smaller than this share
    of the baseline counts as no change (for trade-off flags).
    """
    if biogenic_co2 not in ("zero", "missing"):
        raise MeasureError(f"biogenic_co2 {biogenic_co2!r}: expected 'zero' or 'missing'")
    measures = load_measures() if measures is None else measures
    for i, m in enumerate(measures):
        validate_measure(m, f"measure {i}")
    pollutants = tuple(pollutants)
    opts = {"biogenic_co2": biogenic_co2, "heat_content": heat_content}
    base, missing_base = _emissions(activity.reset_index(drop=True), library, pollutants, opts)
    baseline = base.sum()
    w, w_unit, w_cite = _weights(weighting, baseline, pollutants, weights, co2_price, tax_per_equivalent)
    grid = _grid(activity, grid_region, grid_year)
    rows, skipped = [], []
    act = activity.reset_index(drop=True)
    for m in measures:
        mask = _matches(act, m["applies_to"])
        if not mask.any():
            skipped.append(m["measure_id"])
            continue
        incomplete = {pol for i, pol in missing_base if mask[i]}
        delta, incomplete = _reduction(m, act[mask], base[mask].sum(), incomplete, library, pollutants, grid, opts)
        rows.append(_assess(m, act[mask], delta, incomplete, baseline, w, pollutants, heat_content, tolerance))
    table = _order(pd.DataFrame(rows))
    conventions = {
        "weighting": weighting,
        "weights": w,
        "weight_unit": w_unit,
        "weight_source": w_cite,
        "pollutants": list(pollutants),
        "independence": "each measure applied alone to the baseline; reductions are not additive",
        "order": "cost ≤ 0 with W > 0 first (largest W), then W per yuan, then W ≤ 0",
        "biogenic_co2": f"{biogenic_co2} ({BIOGENIC_CITATION})",
        "grid_for_extra_electricity": grid,
        "heat_content": heat_content or "accounting.DEFAULT_HEAT_CONTENT (China Energy Statistical Yearbook NCVs)",
        "not_applicable": skipped,
        "tradeoff": f"a measure that lowers one pollutant and raises another by more than {tolerance:g} × baseline",
    }
    return MeasureRanking(table, baseline, pollutants, conventions)


def _reduction(m, matched, before, incomplete, library, pollutants, grid, opts) -> tuple[pd.Series, set]:
    """Δ_p = E_p(before) − E_p(after) of one measure on its matched rows; NaN for incomplete pollutants."""
    after, missing = _after(m, matched, library, pollutants, grid, opts)
    delta = before - after
    incomplete = incomplete | missing
    for p in incomplete:
        delta[p] = np.nan
    return delta, incomplete


def _assess(m, matched, delta, incomplete, baseline, w, pollutants, heat_content, tolerance) -> dict:
    """One row of the ranking: cost, reductions, weighted reduction W, W per yuan, trade-off flags, sources."""
    qty = _quantity_in(matched, m["cost"]["per"], m["measure_id"], heat_content)
    cost = float((qty * m["cost"]["value"]).sum()) + float(m["cost"].get("fixed", 0.0))
    weighted = float(sum(w[p] * delta[p] for p in pollutants if np.isfinite(delta[p])))
    eps = {p: tolerance * max(abs(baseline[p]), 1.0) for p in pollutants}
    lowers = [p for p in pollutants if np.isfinite(delta[p]) and delta[p] > eps[p]]
    raises = [p for p in pollutants if np.isfinite(delta[p]) and delta[p] < -eps[p]]
    co2 = delta.get("co2", np.nan)
    return {
        "measure_id": m["measure_id"],
        "name": m["name"],
        "category": m["category"],
        "rows": len(matched),
        "cost_cny": cost,
        **{f"reduction_{p}_kg": float(delta[p]) for p in pollutants},
        "weighted_reduction": weighted,
        "score_per_yuan": weighted / cost if cost > 0 else np.inf if weighted > 0 and cost <= 0 else np.nan,
        "cost_per_t_co2": cost / (co2 / 1000.0) if np.isfinite(co2) and co2 > 0 else np.nan,
        "lowers": ",".join(lowers),
        "raises": ",".join(raises),
        "tradeoff": bool(lowers and raises),
        "synergy": bool(lowers) and not raises and len(lowers) > 1,
        "incomplete": ",".join(sorted(incomplete)),
        "unverified_numbers": sum(not n["verified"] for n in m["numbers"]),
        "sources": "; ".join(n["citation"] for n in m["numbers"]),
        "note": m.get("note", ""),
    }


def _grid(activity: pd.DataFrame, region, year) -> dict:
    elec = activity[activity["activity_type"] == "electricity"]
    if region is None:
        regions = set(elec["region"])
        region = regions.pop() if len(regions) == 1 else "national"
    if year is None:
        years = set(elec["year"].dropna())
        year = int(years.pop()) if len(years) == 1 else ANY
    return {"region": region, "year": year}


def _order(table: pd.DataFrame) -> pd.DataFrame:
    if table.empty:
        return table.assign(rank=[])
    free = (table["cost_cny"] <= 0) & (table["weighted_reduction"] > 0)
    paid = (table["cost_cny"] > 0) & (table["weighted_reduction"] > 0)
    group = np.select([free, paid], [0, 1], 2)
    key = np.where(free, -table["weighted_reduction"], np.where(paid, -table["score_per_yuan"], 0.0))
    table = table.assign(_g=group, _k=key).sort_values(["_g", "_k", "measure_id"], kind="stable")
    table = table.drop(columns=["_g", "_k"]).reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table
