"""Tables that show how much a conclusion depends on the CO2 series: every province's co-control status under
each series (the full rates go to the CSV), and China's national CO2 beside the sum of the provinces."""

from __future__ import annotations

import pandas as pd

from coreduce.analysis.co2_series import co2_sensitivity
from coreduce.geo import NATIONAL_CODE
from coreduce.report.figures.costatus import place_name
from coreduce.report.model import ReportTable
from coreduce.report.sections.base import Context
from coreduce.report.sections.common import notes_text, source_line


def _status(ctx: Context, quadrant: str) -> str:
    return ctx.t("costatus.no_data") if quadrant == "missing" else ctx.t.label("quadrant", quadrant)


def _full(ctx: Context, res) -> pd.DataFrame:
    """The CSV: every geo × series with its period, both reduction rates (%), the elasticity and the quadrant."""
    rates = res.rates.copy()
    rates.insert(
        1, "name", [ctx.t("costatus.china") if g == NATIONAL_CODE else place_name(g, ctx.t) for g in rates["geo"]]
    )
    rates["reduction_pollutant"] = rates["reduction_pollutant"] * 100
    rates["reduction_co2"] = rates["reduction_co2"] * 100
    rates["status"] = rates["quadrant"].map(lambda q: _status(ctx, q))
    return rates.drop(columns=["label", "label_zh"])


def sensitivity_table(ctx: Context) -> ReportTable:
    """Every province (and China) × every CO2 series: the co-control status, whether the series agree."""
    t = ctx.t
    res = ctx.cached("co2_sensitivity", lambda: co2_sensitivity(ctx.panel, ctx.conventions))
    periods = res.series.set_index("variable")
    table = res.quadrants
    shown = pd.DataFrame(
        {
            t("costatus.province"): [
                t("costatus.china") if g == NATIONAL_CODE else place_name(g, t) for g in table["geo"]
            ]
        }
    )
    for variable in periods.index:
        row = periods.loc[variable]
        header = t("sensitivity.series", series=variable, start=int(row["start"]), end=int(row["end"]))
        if bool(row["default"]):
            header += t("sensitivity.default")
        shown[header] = table[variable].map(lambda q: _status(ctx, q))
    shown[t("sensitivity.all_agree")] = table["all_agree"].map({True: t("sensitivity.yes"), False: t("sensitivity.no")})
    differing = [place_name(g, t) for g, a in zip(table["geo"], table["all_agree"], strict=True) if not a]
    caption = t(
        "sensitivity.caption",
        pollutant=res.convention("pollutant"),
        default=res.convention("co2"),
        differing=t("sep.list_sep").join(differing) or "—",
    )
    caption = " ".join([caption, *notes_text(res, ctx.lang)[1:], source_line(res, ctx.t)])
    title = t("sensitivity.title", start=ctx.conventions.start, end=ctx.conventions.end)
    return ReportTable("table_co2_sensitivity", title, shown, caption=caption, full=_full(ctx, res))


def national_co2_table(ctx: Context, res) -> ReportTable | None:
    """China's CO2 of the national figures (GCB by default) beside the sum of the provinces' series."""
    t = ctx.t
    beside = res.national_co2
    if beside.empty:
        return None
    national, provinces = str(beside["national_series"].iloc[0]), str(beside["provinces_series"].iloc[0])
    frame = pd.DataFrame(
        {
            t.label("column", "year"): beside["year"].to_numpy(),
            t("sensitivity.national", series=national): beside["national"].to_numpy(),
            t("sensitivity.provinces_sum", series=provinces): beside["provinces_sum"].to_numpy(),
            t("sensitivity.ratio"): beside["ratio"].to_numpy() * 100,
        }
    )
    left_out = sorted(
        {
            code.strip()
            for m in res.missing
            if m.geo == NATIONAL_CODE and m.series == provinces and "members" in dict(m.params)
            for code in str(dict(m.params)["members"]).split(",")
        }
    )
    caption = t(
        "sensitivity.national_caption",
        national=national,
        provinces=provinces,
        left_out=t("sep.list_sep").join(place_name(c, t) for c in left_out) or "—",
    )
    return ReportTable(
        "table_national_co2",
        t("sensitivity.national_title", national=national, provinces=provinces),
        frame,
        caption=caption,
    )
