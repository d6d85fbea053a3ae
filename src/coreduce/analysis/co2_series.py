"""Which CO2 series a province analysis uses, what is known to be wrong with each, and how much the co-control
conclusion depends on the choice (the sensitivity table).

Provincial series (``PROVINCIAL_CO2``, in order of preference):

* ``co2_ceads_energy`` (default): CEADs energy-related CO2 (IPCC sectoral approach, scope 1, 17 fossil fuels),
  reported 1997–2019 and derived 2020–2022 here with the CEADs method from the CEADs energy inventories; cement
  process CO2 excluded; Tibet not covered by CEADs.
* ``co2_ceads``: CEADs total (energy + cement process), reported, ends in 2019.
* ``co2_ceds``: the CEDS 0.1° grid summed over provinces (modelled): Beijing jumps from 110.5 Mt (2012) to
  188.8 Mt (2013) while CEADs has it falling; ``coreduce data check`` finds the break.
* ``co2_apparent``: CEADs apparent (production-side) accounting: coal sent to other provinces stays with the
  producer (Shanxi 2,248 Mt in 2022) and the provinces sum above the national total.

National series: ``co2_gcb`` (Global Carbon Budget via OWID) has no provinces; the nation's figures keep it and
show the CEADs sum of the provinces beside it.

Sensitivity (:func:`co2_sensitivity`): the co-control quadrant of Mao et al. (2012) of every province and of the
nation between ``start`` and ``end`` under each series, with the same pollutant (``pollutant``) and the same
membership rule. A series that ends before ``end`` is compared over ``start`` to its last year (the column
says so); a province a series does not cover gets ``missing`` with a record naming it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from coreduce.analysis._aggregate import group_sums, province_codes, wide
from coreduce.analysis.conventions import WINDOW, ProvinceConventions
from coreduce.data.panel import Panel
from coreduce.geo import NATIONAL_CODE
from coreduce.methods.cocontrol import cocontrol
from coreduce.results import Missing, Note, Result

PROVINCIAL_CO2 = ("co2_ceads_energy", "co2_ceads", "co2_ceds", "co2_apparent")
NATIONAL_CO2 = ("co2_gcb",)
SENSITIVITY_SERIES = (*PROVINCIAL_CO2, *NATIONAL_CO2)
DEFECTS = {
    "co2_ceads_energy": "note.co2.ceads_energy",
    "co2_ceads": "note.co2.ceads",
    "co2_ceds": "note.co2.ceds",
    "co2_apparent": "note.co2.apparent",
    "co2_gcb": "note.co2.gcb",
}
"""Series → the note that states its coverage and known defects (shown wherever the series is chosen)."""


def series_notes(*variables: str) -> list[Note]:
    """The known-defect notes of the CO2 series among ``variables`` (one per series, in order)."""
    return [Note.of(DEFECTS[v], series=v) for v in dict.fromkeys(variables) if v in DEFECTS]


@dataclass(kw_only=True)
class SensitivityResult(Result):
    """Co-control quadrant of every province and the nation under each CO2 series (main table ``quadrants``)."""

    title: ClassVar[str] = "result.co2_sensitivity"
    main: ClassVar[str] = "quadrants"

    quadrants: pd.DataFrame
    """One row per geo (provinces, then the nation): the quadrant under each series (columns = series), the
    number of series with a quadrant and whether they all agree."""
    rates: pd.DataFrame
    """Long: geo, series, start, end, reduction_pollutant, reduction_co2, elasticity, quadrant, label, label_zh."""
    series: pd.DataFrame
    """One row per series: variable, start, end (the years compared), provinces covered, default or not."""


def _last_year(panel: Panel, variable: str, geos: list[str], c: ProvinceConventions) -> int | None:
    rows = panel.series(variable, geos)
    years = rows.loc[rows["value"].notna() & rows["year"].between(c.start, c.end), "year"]
    return int(years.max()) if not years.empty else None


def _one_series(panel: Panel, c: ProvinceConventions, variable: str) -> tuple[pd.DataFrame, list[Missing], dict]:
    """Co-control rows of the provinces and the nation under ``variable`` and the records of what is absent."""
    codes = province_codes()
    national_only = _last_year(panel, variable, codes, c) is None
    end = _last_year(panel, variable, [NATIONAL_CODE] if national_only else codes, c)
    info = {"variable": variable, "start": c.start, "end": end, "provinces": 0, "default": variable == c.co2}
    if end is None or end <= c.start:
        return pd.DataFrame(), [Missing.of(variable, "all", f"{c.start}–{c.end}", "missing.not_in_panel")], info
    frame = wide(panel, [c.pollutant, variable], codes, c.start, end)
    if national_only:
        pollutant, absent = group_sums(frame[[c.pollutant]], {NATIONAL_CODE: codes}, membership=c.membership)
        national = wide(panel, [variable], [NATIONAL_CODE], c.start, end)
        nation = pollutant.join(national)
        missing = [Missing.of(variable, "provinces", f"{c.start}–{end}", "missing.national_only")]
    else:
        nation, absent = group_sums(frame, {NATIONAL_CODE: codes}, membership=c.membership, label=variable)
        ends = frame.xs(c.start, level="year").join(frame.xs(end, level="year"), rsuffix="_end")
        lacking = sorted(ends.index[ends.isna().any(axis=1)])
        missing = [Missing.of(variable, geo, f"{c.start}, {end}", "missing.not_in_panel") for geo in lacking]
        info["provinces"] = len(codes) - len(lacking)
    full = nation if national_only else pd.concat([frame, nation])
    first, last = full.xs(c.start, level="year"), full.xs(end, level="year")
    rows = cocontrol(first[c.pollutant], last[c.pollutant], first[variable], last[variable])
    rows = rows.drop(columns="reason").rename_axis("geo").reset_index()
    rows.insert(1, "series", variable)
    rows.insert(2, "start", c.start)
    rows.insert(3, "end", end)
    return rows, missing + absent, info


def _wide(rates: pd.DataFrame, order: list[str], default: str) -> pd.DataFrame:
    """geo × series quadrants (every province and the nation), the count of series with a quadrant and
    whether they agree."""
    geos = [*province_codes(), NATIONAL_CODE]
    table = rates.pivot(index="geo", columns="series", values="quadrant").reindex(index=geos, columns=order)
    table = table.fillna("missing")
    defined = table.where(~table.isin(["missing"]))
    table["series_with_quadrant"] = defined.notna().sum(axis=1)
    table["all_agree"] = defined.nunique(axis=1) <= 1
    if default in table.columns:
        table["agree_with_default"] = defined.eq(table[default], axis=0).sum(axis=1)
    return table.rename_axis("geo").reset_index()


def co2_sensitivity(
    panel: Panel, conventions: ProvinceConventions | None = None, series: Sequence[str] = SENSITIVITY_SERIES
) -> SensitivityResult:
    """Co-control quadrant (Mao et al. 2012) of every province and the nation under each CO2 ``series``.

    ``x = −ΔP/P₀`` (the ``pollutant``), ``y = −ΔC/C₀`` (each CO2 series) between ``start`` and ``end`` (or the
    series' last year). The nation is the sum of the provinces (``membership`` rule) or, for a national-only
    series such as ``co2_gcb``, its national row beside the provinces' summed pollutant. Series the panel lacks
    are recorded as missing, never dropped silently.
    """
    c = conventions or ProvinceConventions()
    c.require_span()
    panel.require([c.pollutant])
    parts, missing, infos = [], [], []
    order = list(dict.fromkeys(series))
    for variable in order:
        if variable not in panel.variables:
            missing.append(Missing.of(variable, "all", f"{c.start}–{c.end}", "missing.not_in_panel"))
            continue
        rows, absent, info = _one_series(panel, c, variable)
        parts.append(rows)
        missing += absent
        infos.append(info)
    rates = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["geo", "series", "quadrant"])
    shown = [v for v in order if v in set(rates["series"])]
    notes = [Note.of("note.co2.sensitivity", default=c.co2, pollutant=c.pollutant)]
    notes += [
        Note.of("note.co2.shorter_window", series=i["variable"], end=i["end"])
        for i in infos
        if i["end"] is not None and i["end"] < c.end
    ]
    return SensitivityResult(
        quadrants=_wide(rates, shown, c.co2),
        rates=rates,
        series=pd.DataFrame(infos, columns=["variable", "start", "end", "provinces", "default"]),
        conventions=(*c.used(*WINDOW, "co2", "pollutant", "membership"),),
        notes=(*notes, *series_notes(*shown)),
        missing=tuple(missing),
        sources=panel.attribution([c.pollutant, *shown]),
    )
