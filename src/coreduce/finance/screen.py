"""Portfolio screening: financed emissions (PCAF), carbon-cost exposure, SDA alignment, co-pollutants, tiers.

:func:`screen` takes a checked book (:func:`coreduce.finance.book.read_book`), a carbon-price scenario and
optionally a sector pathway and a factor table (fuel use is co-accounted into CO2, SO2 and NOx by
:mod:`coreduce.accounting`), and returns a :class:`ScreenResult`: the ranked risk table
(one row per loan, highest carbon-cost share first), the tiers, the sectors, the credit-committee summary and
the scenario values used with their citations. Every step is a vectorised pandas/numpy operation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from coreduce.finance.alignment import alignment
from coreduce.finance.book import sectors
from coreduce.finance.conventions import FinanceConventions
from coreduce.finance.copollutants import activity_emissions
from coreduce.finance.exposure import carbon_cost
from coreduce.finance.pcaf import economic_intensity, financed_emissions, weighted_score
from coreduce.finance.scenarios import Scenario
from coreduce.results import Missing, Note, Result

TIERS = ("high", "medium", "low", "unassessed")
RISK_COLUMNS = [
    "rank", "tier", "loan_id", "borrower", "sector", "province", "geo", "exposure", "outstanding",
    "attribution_factor", "denominator_used", "emissions_used", "pcaf_option", "data_quality", "financed_emissions",
    "covered_china_ets", "cost_ets", "cost_cbam", "carbon_cost", "cost_share", "attributed_carbon_cost",
    "intensity", "target_intensity", "alignment_gap", "pathway_unit", "financed_so2", "financed_nox", "company_id",
]  # fmt: skip


@dataclass(kw_only=True)
class ScreenResult(Result):
    """The screened book: ranked risk table, tiers, sectors, committee summary, scenario values used."""

    title: ClassVar[str] = "result.finance.screen"
    main: ClassVar[str] = "risk"

    risk: pd.DataFrame = field(default_factory=pd.DataFrame)
    tiers: pd.DataFrame = field(default_factory=pd.DataFrame)
    sectors: pd.DataFrame = field(default_factory=pd.DataFrame)
    committee: pd.DataFrame = field(default_factory=pd.DataFrame)
    scenario: pd.DataFrame = field(default_factory=pd.DataFrame)
    factors: pd.DataFrame = field(default_factory=pd.DataFrame)


def assign_tiers(cost_share: pd.Series, high: float, medium: float) -> np.ndarray:
    """high if share ≥ ``high``, medium if ≥ ``medium``, low otherwise, unassessed without a share."""
    share = cost_share.to_numpy(float)
    return np.select([np.isnan(share), share >= high, share >= medium], ["unassessed", "high", "medium"], default="low")


def _tiers(risk: pd.DataFrame) -> pd.DataFrame:
    total = risk["outstanding"].sum()
    grouped = risk.groupby("tier", observed=False).agg(
        loans=("loan_id", "size"), outstanding=("outstanding", "sum"),
        financed_emissions=("financed_emissions", "sum"), carbon_cost=("carbon_cost", "sum"),
    )  # fmt: skip
    grouped = grouped.reindex(list(TIERS), fill_value=0)
    return grouped.assign(outstanding_share=grouped["outstanding"] / total if total else np.nan)


def _committee(risk: pd.DataFrame, conv: FinanceConventions, score: float) -> pd.DataFrame:
    out = risk["outstanding"]
    misaligned = risk["alignment_gap"] > 0
    rows = [
        ("loans", len(risk), "count"),
        ("outstanding", out.sum(), "CNY"),
        ("financed_emissions", risk["financed_emissions"].sum(min_count=1), "t CO2e"),
        ("financed_emissions_coverage", out[risk["financed_emissions"].notna()].sum() / out.sum(), "share"),
        ("economic_emission_intensity", 1e6 * economic_intensity(risk["financed_emissions"], out), "t CO2e/M CNY"),
        ("pcaf_score_weighted", score, "1 (best) – 5"),
        ("carbon_cost_ets", risk["cost_ets"].sum(min_count=1), "CNY/yr"),
        ("carbon_cost_cbam", risk["cost_cbam"].sum(min_count=1), "CNY/yr"),
        ("high_tier_outstanding_share", out[risk["tier"] == "high"].sum() / out.sum(), "share"),
        ("misaligned_loans", int(misaligned.sum()), "count"),
        ("misaligned_outstanding_share", out[misaligned].sum() / out.sum(), "share"),
        ("financed_so2", risk["financed_so2"].sum(min_count=1), "t"),
        ("financed_nox", risk["financed_nox"].sum(min_count=1), "t"),
    ]
    top = risk.head(5)
    rows += [(f"top_{i + 1}", f"{r.borrower} ({r.tier}, {r.cost_share:.1%})", conv.cost_base)
             for i, r in enumerate(top.itertuples()) if pd.notna(r.cost_share)]  # fmt: skip
    return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def _missing(risk: pd.DataFrame, year: int, aligned: bool) -> list[Missing]:
    """Loans without financed emissions, and (with a pathway) pathway-sector loans without an intensity."""
    records = []
    checks = [("financed_emissions", "missing.finance.no_emissions", risk["financed_emissions"].isna())]
    if aligned:
        lacking_intensity = risk["intensity"].isna() & risk["sector"].map(sectors()["sda_sector"]).ne("")
        checks.append(("intensity", "missing.finance.no_intensity", lacking_intensity))
    for column, reason, mask in checks:
        lacking = risk[mask]
        for geo, part in lacking.groupby("geo"):
            records.append(Missing.of(column, geo, str(year), reason, loans=len(part)))
    return records


def _sources(scenario: Scenario, used: pd.DataFrame) -> pd.DataFrame:
    """One row per scenario citation, then per publisher of the library factors used."""
    values = scenario.values
    frames = [pd.DataFrame(
        {"source": values["kind"] + ":" + values["key"] + ":" + values["year"].astype(str),
         "publisher": values["citation"], "licence": values["status"]}
    ).drop_duplicates("publisher")]  # fmt: skip
    if len(used):
        frames.append(used.drop_duplicates("publisher").assign(source="factor:" + used["factor_id"])[
            ["source", "publisher", "licence"]])  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def screen(
    book: pd.DataFrame,
    scenario: Scenario,
    conventions: FinanceConventions | None = None,
    *,
    pathway: pd.DataFrame | None = None,
    factors: pd.DataFrame | None = None,
) -> ScreenResult:
    """Screen ``book`` under ``scenario`` (see the module docstring); conventions default to FinanceConventions."""
    conv = conventions or FinanceConventions()
    if not conv.scenario:
        conv = conv.replace(scenario=scenario.name)
    year = conv.price_year
    activity, used = activity_emissions(book, year)
    fe = financed_emissions(book, factors, basis=conv.attribution, amount=conv.amount,
                            activity_co2=activity["co2_activity"])  # fmt: skip
    cost, prices = carbon_cost(book, fe["emissions_used"], scenario, year,
                               deduct=conv.cbam_deduct_origin_price, base=conv.cost_base,
                               free_share=conv.china_ets_free_share)  # fmt: skip
    if pathway is not None:
        align = alignment(book, pathway, conv.target_year, conv.sda_variant)
    else:
        align = pd.DataFrame(np.nan, index=book.index, columns=["intensity", "target_intensity", "alignment_gap"])
        align["pathway_unit"] = pd.NA
    risk = pd.concat([book, fe, cost, align], axis=1)
    risk["attributed_carbon_cost"] = fe["attribution_factor"] * cost["carbon_cost"]
    risk["financed_so2"] = fe["attribution_factor"] * book["so2"].fillna(activity["so2_activity"])
    risk["financed_nox"] = fe["attribution_factor"] * book["nox"].fillna(activity["nox_activity"])
    risk["tier"] = assign_tiers(risk["cost_share"], conv.tier_high, conv.tier_medium)
    risk = risk.sort_values(["cost_share", "financed_emissions"], ascending=False, na_position="last", kind="stable")
    risk["rank"] = np.arange(1, len(risk) + 1)
    risk = risk.loc[:, RISK_COLUMNS].reset_index(drop=True)
    score = weighted_score(risk, risk["outstanding"])
    notes = [Note.of("note.finance.scenario_sources", scenario=scenario.name),
             Note.of("note.finance.dq_weighted", score=round(score, 2)),
             Note.of("note.finance.tiers_convention", high=f"{conv.tier_high:.0%}", medium=f"{conv.tier_medium:.0%}",
                     base=conv.cost_base)]  # fmt: skip
    notes += [Note.of("note.finance.no_price", price=k, year=year) for k, v in prices.items() if v is None]
    if pathway is None:
        notes.append(Note.of("note.finance.no_pathway"))
    lacking = int((risk["financed_so2"].isna() & risk["financed_nox"].isna()).sum())
    if lacking:
        notes.append(Note.of("note.finance.no_co_factor", count=lacking))
    sectors = risk.groupby("sector").agg(
        loans=("loan_id", "size"), outstanding=("outstanding", "sum"),
        financed_emissions=("financed_emissions", "sum"), carbon_cost=("carbon_cost", "sum"),
    )  # fmt: skip
    return ScreenResult(
        conventions=conv.records_for("screen"),
        notes=tuple(notes),
        missing=tuple(_missing(risk, year, pathway is not None)),
        sources=_sources(scenario, used),
        risk=risk,
        tiers=_tiers(risk),
        sectors=sectors,
        committee=_committee(risk, conv, score),
        scenario=scenario.values,
        factors=used,
    )
