"""Kaya identity LMDI for any country or group and period, reusing :func:`coreduce.methods.lmdi.lmdi`.

Kaya (1990) identity, for a country or a group with its own (summed) factors::

    C = P · (Y/P) · (E/Y) · (C/E)
      = population · GDP per capita · energy intensity of GDP · carbon intensity of energy

with C territorial CO2 (Mt), P population, Y GDP (int-$ 2011 PPP), E primary energy (TWh). The LMDI-I effects
(Ang 2005, Table 1) sum to C^T − C^0 exactly (additive) or multiply to C^T / C^0 (multiplicative).

``level="aggregate"`` decomposes the group's own factors (ΣP, ΣY/ΣP, ΣE/ΣY, ΣC/ΣE); ``level="members"`` sums the
members' own effects (LMDI with the countries as sub-categories, Ang 2005 eq. for V = Σ_i Π_k x_ik). Both sum to
the group's change; they differ in how shifts between countries are attributed. A group uses the members that
have all four series in both years (the same countries at the start and the end); the others are named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from coreduce.analysis.world import _data
from coreduce.analysis.world.conventions import KayaConventions
from coreduce.data.panel import Panel
from coreduce.methods.lmdi import lmdi
from coreduce.results import Missing, Note, Result, year_span

FACTORS = ("population", "gdp_per_capita", "energy_intensity", "carbon_intensity")
COLUMNS = ["co2", "population", "gdp", "energy"]


@dataclass(kw_only=True)
class KayaResult(Result):
    title: ClassVar[str] = "world.kaya.title"
    main: ClassVar[str] = "effects"

    effects: pd.DataFrame = field(default_factory=pd.DataFrame)
    """group, start, end, co2_start, co2_end, change, one column per factor effect, n_members and co2_coverage
    (share of the group's end-year CO2 emitted by the members used)."""
    factors: pd.DataFrame = field(default_factory=pd.DataFrame)
    """group, year and the four Kaya factors (the group's own ratios of sums)."""


def kaya_factors(frame: pd.DataFrame) -> pd.DataFrame:
    """The four Kaya factors of a frame with co2, population, gdp, energy (rows = countries or groups)."""
    return pd.DataFrame(
        {
            "population": frame["population"],
            "gdp_per_capita": frame["gdp"] / frame["population"],
            "energy_intensity": frame["energy"] / frame["gdp"],
            "carbon_intensity": frame["co2"] / frame["energy"],
        },
        index=frame.index,
    )


def _periods(conv: KayaConventions) -> list[tuple[int, int]]:
    if conv.pairs == "period":
        return [(conv.start, conv.end)]
    return [(y, y + 1) for y in range(conv.start, conv.end)]


def _members_both(frame: pd.DataFrame, members: tuple[str, ...], t0: int, t1: int) -> list[str]:
    ok = frame[COLUMNS].notna().all(axis=1) & (frame[COLUMNS] > 0).all(axis=1)
    good = set(frame.index[ok])
    return [m for m in members if (m, t0) in good and (m, t1) in good]


def _one(frame: pd.DataFrame, members: list[str], t0: int, t1: int, conv: KayaConventions) -> np.ndarray:
    """Effects (4,) of one group and period."""
    x0 = kaya_factors(frame.loc[[(m, t0) for m in members]])
    x1 = kaya_factors(frame.loc[[(m, t1) for m in members]])
    if conv.level == "aggregate":
        s0 = frame.loc[[(m, t0) for m in members], COLUMNS].sum()
        s1 = frame.loc[[(m, t1) for m in members], COLUMNS].sum()
        x0, x1 = kaya_factors(s0.to_frame().T), kaya_factors(s1.to_frame().T)
    return lmdi(x0.to_numpy()[np.newaxis], x1.to_numpy()[np.newaxis], form=conv.form)[0]


def kaya(panel: Panel, conventions: KayaConventions | None = None, countries: tuple[str, ...] = ()) -> KayaResult:
    """Kaya LMDI of China, the groups, the World and any ``countries`` (see the module doc)."""
    conv = conventions or KayaConventions()
    groups = _data.subjects(conv, countries)
    frame = _data.country_frame(panel, COLUMNS, (conv.start, conv.end), conv)
    rows, missing, factor_rows = [], [], []
    for group, codes in groups.items():
        for t0, t1 in _periods(conv):
            members = _members_both(frame, codes, t0, t1)
            left_out = [m for m in codes if m not in members]
            if left_out and len(codes) > 1:
                missing += [
                    Missing.of("+".join(_data.variables(conv)[c] for c in COLUMNS), m, year_span([t0, t1]),
                               "world.missing.member", group=group)
                    for m in left_out
                ]  # fmt: skip
            if not members:
                missing.append(Missing.of("co2_owid", ",".join(codes), year_span([t0, t1]), "world.missing.group"))
                continue
            c0 = frame.loc[[(m, t0) for m in members], "co2"].sum()
            c1 = frame.loc[[(m, t1) for m in members], "co2"].sum()
            effects = _one(frame, members, t0, t1, conv)
            everyone = frame.loc[frame.index.isin([(m, t1) for m in codes]), "co2"].sum()
            rows.append({"group": group, "start": t0, "end": t1, "co2_start": c0, "co2_end": c1,
                         "change": c1 - c0 if conv.form == "additive" else c1 / c0,
                         **dict(zip(FACTORS, effects, strict=True)), "n_members": len(members),
                         "co2_coverage": c1 / everyone if everyone > 0 else float("nan")})  # fmt: skip
            for year in (t0, t1):
                sums = frame.loc[[(m, year) for m in members], COLUMNS].sum().to_frame().T
                factor_rows.append({"group": group, "year": year, **kaya_factors(sums).iloc[0].to_dict()})
    factors = pd.DataFrame(factor_rows).drop_duplicates(["group", "year"]).reset_index(drop=True)
    return KayaResult(
        effects=pd.DataFrame(rows),
        factors=factors,
        conventions=conv.records(),
        notes=(_data.vintage_note(panel, conv), Note.of("world.note.kaya_same_members")),
        missing=tuple(missing),
        sources=_data.sources(panel, COLUMNS),
    )


def kaya_all_countries(panel: Panel, conventions: KayaConventions | None = None) -> pd.DataFrame:
    """Year-by-year additive Kaya LMDI of every country (the benchmark case): one row per country and pair of
    years, with the four effects; countries or years lacking a series give NaN effects."""
    from coreduce.methods.lmdi import lmdi_panel

    conv = conventions or KayaConventions()
    frame = _data.country_frame(panel, COLUMNS, (conv.start, conv.end), conv)
    factors = kaya_factors(frame.where(frame > 0))
    return lmdi_panel(factors, factors=list(FACTORS), pairs="yearly", form=conv.form)
