"""CBAM certificates due and their cost, year by year 2026–2034.

Per import line (Regulation (EU) 2023/956 Art. 22, 31 and 9; IR (EU) 2025/2620)::

    certificates = max(0, EE − FAA − CPD)
    FAA = mass × SEFA,   SEFA = BM × CF_y × CSCF (+ Σ_i M_i / AL × SEFA_i for a complex good with actual values)
    CPD = EE × covered share × carbon price paid (EUR / t) / certificate price (EUR / t)
    cost = certificates × certificate price

``EE``: embedded emissions counted for CBAM (:func:`coreduce.cbam.embedded.embedded_emissions`); ``BM``: the CBAM
benchmark of IR 2025/2620 — column A (process only; precursors add their own SEFA) for goods with actual values,
column B (whole good) for goods with default values and for bought precursors; ``CF_y``: the CBAM factor, the
share of free allocation left in year *y* (Directive 2003/87/EC Art. 10a(1a) as amended by Directive (EU)
2023/959: 97.5 % in 2026, 95 % 2027, 90 % 2028, 77.5 % 2029, 51.5 % 2030, 39 % 2031, 26.5 % 2032, 14 % 2033,
0 % from 2034 — two independent verbatim quotations of the consolidated Directive (CELEX 02003L0087) agree with
these; the Journal's own text was not reached here, so they stay unverified; IR 2025/2620 Annex points 3.1 and 4
apply this factor, "CBAM_y ... referred to in Article 10a(1a) of Directive 2003/87/EC");
``CSCF``: the cross-sectoral correction factor (convention). ``CPD``: the deduction for a carbon price effectively
paid in the country of origin (Art. 9), only with evidence (:class:`CarbonPriceEvidence`). De minimis (Art. 2a and
Annex VII point 1, inserted by Regulation (EU) 2025/2083, OJ L, 2025/2083, 17.10.2025 — read there): an importer
whose goods of the year, hydrogen and electricity excluded (Art. 2a(4)), weigh 50 t of net mass or less in total
("does not cumulatively exceed") owes nothing for them; above it, every good of the year counts (Art. 2a(2)).
Certificate price: the convention, else the latest annual EU ETS price in the series (a historical average, not
the CBAM price of Art. 21 — a note says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coreduce.cbam.conventions import CbamConventions
from coreduce.cbam.defaults import counts_indirect, default_value
from coreduce.cbam.embedded import embedded_emissions
from coreduce.cbam.model import CbamInputError, Installation
from coreduce.cbam.reference import CbamReference, load_reference
from coreduce.cbam.results import CertificatesResult, EmbeddedResult
from coreduce.cbam.see import solve
from coreduce.results import Missing, Note

CBAM_FACTOR = {2026: 0.975, 2027: 0.95, 2028: 0.90, 2029: 0.775, 2030: 0.515, 2031: 0.39, 2032: 0.265, 2033: 0.14}
DE_MINIMIS_T = 50.0
NOT_DE_MINIMIS = ("hydrogen", "electricity")
YEARS = tuple(range(2026, 2035))


def cbam_factor(year: int) -> float:
    """Share of EU free allocation left in ``year`` (0 from 2034; 1 before 2026)."""
    return 1.0 if year < 2026 else CBAM_FACTOR.get(year, 0.0)


def specific_free_allocation(benchmark: float, year: int, cscf: float = 1.0) -> float:
    """SEFA of a good without precursors of its own: ``BM × CF_year × CSCF`` (t CO2e / t)."""
    return benchmark * cbam_factor(year) * cscf


@dataclass(frozen=True)
class CarbonPriceEvidence:
    """Evidence for a carbon price effectively paid in the country of origin (Art. 9 of Regulation 2023/956).

    ``instrument``: e.g. "China national ETS"; ``price_paid``: per t CO2e in ``currency``; ``eur_per_unit``: the
    exchange rate used; ``covered_share``: share of the embedded emissions for which the price was paid, net of
    free allocation and compensation (0–1); ``document``: reference of the proof; ``certified_by``: the
    independent person who certified it; ``country``: the origin (ISO alpha-2) whose goods it covers (all lines
    when empty).
    """

    instrument: str
    price_paid: float
    currency: str
    eur_per_unit: float
    covered_share: float
    period: str
    document: str
    certified_by: str
    country: str = ""

    def __post_init__(self) -> None:
        for name in ("instrument", "currency", "period", "document", "certified_by"):
            if not str(getattr(self, name)).strip():
                raise CbamInputError(f"evidence.{name}", "a non-empty text (Art. 9(2): the price must be documented)")
        for name in ("price_paid", "eur_per_unit"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and np.isfinite(value) and value >= 0):
                raise CbamInputError(f"evidence.{name}", "a number ≥ 0", value)
        if not 0 <= self.covered_share <= 1:
            raise CbamInputError("evidence.covered_share", "a share from 0 to 1", self.covered_share)

    @property
    def price_eur(self) -> float:
        return self.price_paid * self.eur_per_unit


def _benchmark(ref: CbamReference, cn: str, route: str, column: str, year: int) -> float:
    """The CBAM benchmark (t CO2e / t) of the longest CN prefix, route and column, valid in ``year``; NaN if none.

    A compound route of the default values such as "C/F" takes the highest of its routes' values: "where different
    alloy grades for steel are given in the table for the same CN code, the highest benchmark value given for the
    relevant production year is used" (IR (EU) 2025/2620, Annex point 5.1)."""
    table = ref.benchmarks[(ref.benchmarks["column"] == column) & (ref.benchmarks["from_year"] <= year)]
    rows = table[[cn.startswith(code) for code in table["cn"]]]
    if rows.empty:
        return np.nan
    rows = rows[rows["cn"].str.len() == rows["cn"].str.len().max()]
    if rows["route"].ne("").any():
        rows = rows[rows["route"].isin(route.split("/"))]
    if rows.empty:
        return np.nan
    return float(rows.sort_values("from_year").groupby("route").tail(1)["benchmark"].max())


def _process_sefa(embedded: EmbeddedResult, ref: CbamReference, year: int, scale: float) -> dict[str, float]:
    """SEFA per process (t / t) with column A and the precursors' SEFA (column B for bought precursors)."""
    p = embedded.processes
    if p.empty:
        return {}
    ids = {pid: k for k, pid in enumerate(p["process_id"])}
    n = len(ids)
    bm = np.array([_benchmark(ref, cn, route, "A", year) for cn, route in zip(p["cn"], p["route"], strict=True)])
    attr = np.zeros((n, 2))
    attr[:, 0] = np.nan_to_num(bm) * scale * p["activity_level_t"].to_numpy()
    given = np.zeros((n, 2))
    src, dst, mass = [], [], []
    pre = embedded.precursors
    for row in pre.to_dict("records") if not pre.empty else []:
        if row["source"] == "internal":
            src.append(ids[row["from_process"]])
            dst.append(ids[row["process_id"]])
            mass.append(row["mass_t"])
        else:
            b = _benchmark(ref, row["cn"].ljust(8, "0"), "", "B", year)
            given[ids[row["process_id"]], 0] += row["mass_t"] * np.nan_to_num(b) * scale
    solved = solve(
        attr,
        p["activity_level_t"].to_numpy(),
        given,
        np.zeros((n, 2)),
        (np.array(src, int), np.array(dst, int), np.array(mass, float)),
    )
    return dict(zip(p["process_id"], solved.direct, strict=True))


def certificates_due(embedded_t, free_allocation_t, deduction_t) -> np.ndarray:
    """Certificates to surrender: ``max(0, EE − FAA − CPD)`` (Regulation (EU) 2023/956 Art. 22, 31 and 9)."""
    return np.maximum(np.asarray(embedded_t, float) - free_allocation_t - deduction_t, 0.0)


def certificates_per_tonne(
    goods: pd.DataFrame, year: int, *, paid_eur, price_eur: float, cscf: float = 1.0, reference=None
) -> pd.DataFrame:
    """Certificates per tonne of a good exported, for exporters known only by an intensity (vectorised).

    ``goods``: ``cn`` (8 digits), ``country`` (ISO alpha-2), ``see`` (t CO2e / t of the good, the exporter's own
    value; NaN = unknown) and optionally ``route``. Where ``see`` is unknown, the default value of IR (EU)
    2025/2621 for the origin × the year's mark-up is used (``values`` = ``default``), direct plus indirect where
    the good counts indirect emissions. Free allocation: the whole-good benchmark (IR (EU) 2025/2620 column B)
    of the line's route — the default value's route when none is given — × the CBAM factor × ``cscf``. Art. 9
    deduction per tonne: ``see × paid_eur ÷ price_eur`` (``paid_eur``: carbon price effectively paid per t,
    scalar or per row). Returns ``see_used``, ``values``, ``route``, ``benchmark``, ``sefa``, ``certificates``
    (per tonne). Years before 2026 (transitional period, Art. 32) owe none.
    """
    ref = reference or load_reference()
    rows = []
    keys = goods[["cn", "country"]].assign(route=goods.get("route", "")).fillna("")
    for cn, country, route in keys.drop_duplicates().itertuples(index=False):
        value = default_value(ref, cn, country, route, max(year, 2026))
        counted = value.counted_marked_up(counts_indirect(value.sector))
        bm = _benchmark(ref, cn, route or value.route, "B", max(year, 2026))
        rows.append((cn, country, route, counted, route or value.route, bm))
    table = pd.DataFrame(rows, columns=["cn", "country", "route", "default_see", "route_used", "benchmark"])
    g = keys.merge(table, on=["cn", "country", "route"], how="left").set_axis(goods.index)
    own = goods["see"].to_numpy(float)
    see = np.where(np.isnan(own), g["default_see"], own)
    sefa = g["benchmark"].to_numpy(float) * cbam_factor(year) * cscf
    paid = np.asarray(paid_eur, float) * see / price_eur if price_eur > 0 else 0.0
    due = certificates_due(see, np.nan_to_num(sefa), paid) if year >= 2026 else np.zeros(len(g))
    return pd.DataFrame(
        {"see_used": see, "values": np.where(np.isnan(own), "default", "actual"), "route": g["route_used"],
         "benchmark": g["benchmark"], "sefa": sefa, "certificates": due},
        index=goods.index,
    )  # fmt: skip


def _lines(embedded: EmbeddedResult, ref, conv: CbamConventions, price: float, evidence) -> pd.DataFrame:
    g = embedded.goods.copy()
    scale = cbam_factor(conv.year) * conv.cscf
    sefa_actual = _process_sefa(embedded, ref, conv.year, scale)
    bm_b = [_benchmark(ref, cn, route, "B", conv.year) for cn, route in zip(g["cn"], g["route"], strict=True)]
    g["benchmark"] = np.where(g["values"] == "actual", np.nan, bm_b)
    g["cbam_factor"] = cbam_factor(conv.year)
    g["sefa"] = [
        sefa_actual.get(pid, np.nan) if v == "actual" else specific_free_allocation(b, conv.year, conv.cscf)
        for pid, v, b in zip(g["process_id"], g["values"], g["benchmark"], strict=True)
    ]
    g["free_allocation_adjustment_t"] = g["mass_t"] * g["sefa"].fillna(0.0)
    share = evidence.covered_share if evidence else 0.0
    if evidence and evidence.country:
        share = np.where(g["country"] == evidence.country.upper(), share, 0.0)
    g["carbon_price_deduction_t"] = g["embedded_t"] * share * conv.carbon_price_paid_eur / price if price > 0 else 0.0
    taxed = ~g["sector"].str.lower().isin(NOT_DE_MINIMIS)
    exempt = conv.de_minimis and g.loc[taxed, "mass_t"].sum() <= DE_MINIMIS_T
    g["de_minimis"] = taxed & exempt
    due = certificates_due(g["embedded_t"], g["free_allocation_adjustment_t"], g["carbon_price_deduction_t"])
    g["certificates"] = np.where(g["de_minimis"], 0.0, due)
    g["price_eur"] = price
    g["cost_eur"] = g["certificates"] * price
    return g


def _price(conv: CbamConventions, ref: CbamReference, notes: list) -> float:
    if conv.certificate_price_eur is not None:
        return float(conv.certificate_price_eur)
    last = ref.ets_prices.sort_values("year").iloc[-1]
    notes.append(Note.of("note.cbam.ets_price_used", year=int(last["year"]), price=float(last["price_eur"])))
    return float(last["price_eur"])


def certificates(
    imports: Sequence,
    *,
    installation: Installation | None = None,
    conventions: CbamConventions | None = None,
    evidence: CarbonPriceEvidence | None = None,
    reference: CbamReference | None = None,
    library=None,
    years: Sequence[int] = YEARS,
) -> CertificatesResult:
    """Certificates and cost of ``imports`` in ``conventions.year`` (``lines``) and in every year of ``years``
    (``scenarios``; mark-up and CBAM factor of each year, everything else held)."""
    conv = conventions or CbamConventions()
    ref = reference or load_reference()
    if conv.carbon_price_paid_eur > 0 and evidence is None:
        raise CbamInputError("evidence", "documented evidence for a carbon price deduction (Art. 9(2))")
    if evidence is not None and abs(evidence.price_eur - conv.carbon_price_paid_eur) > 1e-9:
        raise CbamInputError("evidence.price_paid", f"a price that equals {conv.carbon_price_paid_eur} EUR/t")
    notes: list[Note] = []
    price = _price(conv, ref, notes)
    per_year, embedded_now = [], None
    for year in sorted({conv.year, *years}):
        c = conv.replace(year=year)
        emb = embedded_emissions(imports, installation=installation, conventions=c, reference=ref, library=library)
        table = _lines(emb, ref, c, price, evidence).assign(year=year)
        per_year.append(table)
        if year == conv.year:
            embedded_now, lines = emb, table
    missing = [
        Missing.of("cbam_benchmark", r.cn, str(conv.year), "missing.cbam.benchmark")
        for r in lines[lines["sefa"].isna()].itertuples()
    ]
    scenarios = (
        pd.concat(per_year)
        .groupby("year", as_index=False)[
            ["embedded_t", "free_allocation_adjustment_t", "carbon_price_deduction_t", "certificates", "cost_eur"]
        ]
        .sum()
    )
    scenarios.insert(1, "cbam_factor", [cbam_factor(y) for y in scenarios["year"]])
    notes.append(Note.of("note.cbam.cbam_factor_unverified"))
    if lines["de_minimis"].any():
        notes.append(Note.of("note.cbam.de_minimis", mass=round(float(lines["mass_t"].sum()), 3)))
    ev = pd.DataFrame([evidence.__dict__]) if evidence else pd.DataFrame()
    return CertificatesResult(
        lines=lines,
        scenarios=scenarios,
        evidence=ev,
        conventions=conv.replace(certificate_price_eur=price).records(),
        notes=tuple(dict.fromkeys([*embedded_now.notes, *notes])),
        missing=tuple(dict.fromkeys([*embedded_now.missing, *missing])),
        sources=ref.sources(),
    )
