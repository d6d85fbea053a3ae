"""Decision support: which abatement measures cut CBAM cost and local air pollutants together, ranked.

Inputs: the measure ranking of the exchange's catalogue for the activity of one production process (a table with
``measure_id``, ``name``, ``category``, ``cost_cny`` per year and ``reduction_<p>_kg`` per pollutant, as made by
``coreduce.exchange.chain.measures.rank_measures`` on :func:`process_activity`), the catalogue itself (which activity
each measure acts on), and the certificates of the good (:func:`coreduce.cbam.certificates.certificates`).

For measure *m* on process *g* (activity level AL, t of good) and the exported line (mass *M*, embedded emissions EE,
free allocation adjustment FAA_y, carbon price deduction CPD)::

    ΔSEE = ΔCO2_m / 1000 / AL          (t CO2 / t; only if the measure acts on emissions the good counts:
                                        fuel and materials → direct; electricity → indirect, counted only for
                                        cement and fertilisers; freight → outside the CBAM boundary)
    CBAM saving_y = price × [max(0, EE − FAA_y − CPD) − max(0, EE − M × ΔSEE − FAA_y − CPD)]     (EUR)
    FAA_y = FAA × CF_y / CF_year        (the CBAM factor of each year, 2026–2034)
    co-benefit = Σ_p Δp × v_p          (CNY; v_p = the value of a kg of pollutant p, e.g. the environmental tax)
    net benefit = saving × EUR→CNY + co-benefit − cost

Ranked by net benefit in the conventions' year (largest first). Flags: ``tradeoff`` (a pollutant goes up),
``raises_cbam`` (CO2 goes up, e.g. limestone FGD), ``no_cbam_effect`` (the cut is outside what the good counts),
``incomplete`` pollutants (no factor) and the number of unverified catalogue numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from coreduce.cbam.certificates import YEARS, cbam_factor
from coreduce.cbam.model import CbamInputError, Installation
from coreduce.cbam.results import CertificatesResult, MeasuresResult
from coreduce.conventions import Convention
from coreduce.results import Note

BOUNDARY = {"fuel": "direct", "material": "direct", "electricity": "indirect", "freight": "outside"}


def process_activity(installation: Installation, process_id: str, sector: str = "industry") -> list[dict]:
    """Activity records (fuel streams with a library fuel, electricity) of one process, for the co-accounting and
    the measure ranking; process streams with stated factors have no co-pollutant factors and are left out."""
    process = next((p for p in installation.processes if p.process_id == process_id), None)
    if process is None:
        raise CbamInputError("process_id", f"one of {[p.process_id for p in installation.processes]}", process_id)
    rows = [
        {
            "activity_type": "fuel",
            "fuel": s.fuel,
            "sector": sector,
            "quantity": s.quantity,
            "unit": s.unit,
            "year": installation.period.year,
            "product": process.cn,
        }
        for s in process.source_streams
        if s.kind == "fuel" and s.fuel
    ]
    if process.electricity_mwh > 0:
        rows.append(
            {
                "activity_type": "electricity",
                "region": installation.region or "national",
                "year": installation.period.year,
                "quantity": process.electricity_mwh,
                "unit": "MWh",
                "product": process.cn,
            }
        )
    return rows


def _line(certs: CertificatesResult, process_id: str) -> pd.Series:
    lines = certs.lines[certs.lines["process_id"] == process_id]
    if lines.empty:
        raise CbamInputError("process_id", "a process whose good has an import line with actual values", process_id)
    return lines.sum(numeric_only=True).combine_first(lines.iloc[0])


def _savings(line: pd.Series, cut_t: np.ndarray, year: int, years: Sequence[int]) -> dict[int, np.ndarray]:
    """CBAM saving (EUR) of cutting the line's embedded emissions by ``cut_t`` (t), per year."""
    base_cf = cbam_factor(year)
    out = {}
    for y in years:
        faa = line["free_allocation_adjustment_t"] * (cbam_factor(y) / base_cf if base_cf > 0 else 0.0)
        due = line["embedded_t"] - faa - line["carbon_price_deduction_t"]
        out[y] = line["price_eur"] * (np.maximum(0.0, due) - np.maximum(0.0, due - cut_t))
    return out


def rank_for_cbam(
    ranking: pd.DataFrame,
    catalogue: Sequence[Mapping],
    certs: CertificatesResult,
    *,
    process_id: str,
    activity_level_t: float,
    eur_cny: float,
    pollutant_value_cny_per_kg: Mapping[str, float],
    years: Sequence[int] = YEARS,
) -> MeasuresResult:
    """Measures ranked by CBAM cost saved plus local-pollutant co-benefit (see the module docstring)."""
    if not (eur_cny > 0 and activity_level_t > 0):
        raise CbamInputError("eur_cny" if eur_cny <= 0 else "activity_level_t", "a number > 0")
    line = _line(certs, process_id)
    year = int(certs.convention("cbam_year"))
    kinds = {m["measure_id"]: m["applies_to"]["activity_type"] for m in catalogue}
    t = ranking.copy()
    t["boundary"] = [BOUNDARY.get(kinds.get(m, ""), "outside") for m in t["measure_id"]]
    counted = {"direct": True, "indirect": bool(line["indirect_counted"]), "outside": False}
    t["co2_cut_t"] = t["reduction_co2_kg"] / 1000.0
    t["see_cut"] = np.where(t["boundary"].map(counted), t["co2_cut_t"] / activity_level_t, 0.0)
    cut = line["mass_t"] * t["see_cut"].to_numpy()
    by_year = _savings(line, cut, year, sorted({year, *years}))
    t["cbam_saving_eur"] = by_year[year]
    pollutants = [p for p in pollutant_value_cny_per_kg if f"reduction_{p}_kg" in t.columns and p != "co2"]
    t["co_benefit_cny"] = sum(np.nan_to_num(t[f"reduction_{p}_kg"]) * pollutant_value_cny_per_kg[p] for p in pollutants)
    t["net_benefit_cny"] = t["cbam_saving_eur"] * eur_cny + t["co_benefit_cny"] - t["cost_cny"]
    t["benefit_per_yuan"] = np.where(
        t["cost_cny"] > 0,
        (t["cbam_saving_eur"] * eur_cny + t["co_benefit_cny"]) / t["cost_cny"].where(t["cost_cny"] > 0),
        np.inf,
    )
    t["raises_cbam"] = t["co2_cut_t"] < 0
    t["no_cbam_effect"] = (t["see_cut"] == 0) & (t["co2_cut_t"] > 0)
    keep = [
        "measure_id",
        "name",
        "category",
        "boundary",
        "co2_cut_t",
        "see_cut",
        "cbam_saving_eur",
        "co_benefit_cny",
        "cost_cny",
        "net_benefit_cny",
        "benefit_per_yuan",
        "lowers",
        "raises",
        "tradeoff",
        "raises_cbam",
        "no_cbam_effect",
        "incomplete",
        "unverified_numbers",
    ]
    t = t[[c for c in keep if c in t.columns]].sort_values(["net_benefit_cny", "measure_id"], ascending=[False, True])
    t.insert(0, "rank", np.arange(1, len(t) + 1))
    savings = pd.DataFrame({"measure_id": ranking["measure_id"], **{y: v for y, v in by_year.items()}})
    conventions = (
        *certs.conventions,
        Convention("cbam_eur_cny", eur_cny, "user: EUR → CNY exchange rate"),
        Convention("cbam_pollutant_value", dict(pollutant_value_cny_per_kg), "CNY per kg of pollutant (caller)"),
    )
    notes = [Note.of("note.cbam.measures_independent")]
    return MeasuresResult(
        measures=t.reset_index(drop=True),
        savings_by_year=savings,
        conventions=conventions,
        notes=tuple(notes),
        sources=certs.sources,
    )
