"""Sections 2 and 3: national and four-region trends of CO2, CO2/SO2/NOx intensity and PM2.5, 2008–2022."""

from __future__ import annotations

import pandas as pd

from coreduce.analysis.trends import trends
from coreduce.geo import NATIONAL_CODE, load_grouping
from coreduce.i18n import message
from coreduce.report.figures.trends import indicator_label, national_figure, regional_figure, unit_label
from coreduce.report.i18n import plain
from coreduce.report.model import ReportFigure, ReportTable, Section
from coreduce.report.sections.base import Context
from coreduce.report.sections.common import conventions_text, localise, missing_table, notes_text
from coreduce.report.sections.plans import conventions as plans_conventions
from coreduce.report.sections.plans import notes as plans_notes
from coreduce.report.sections.plans import tables as plans_part
from coreduce.report.sections.sensitivity import national_co2_table


def paper_table(res, t) -> pd.DataFrame:
    """The national CO2 intensity here next to the source paper's (the analysis' ``paper`` table, laid out)."""
    frame = res.paper
    if frame.empty:
        return pd.DataFrame()
    labels = [
        t("trends.co2_intensity_year_t_10", year=year)
        if measure == "co2_intensity"
        else t("trends.average_annual_rate_year", year=year)
        for measure, year in zip(frame["measure"], frame["year"], strict=True)
    ]
    return pd.DataFrame(
        {
            t("trends.indicator"): labels,
            t("trends.this_report"): frame["here"].to_numpy(),
            t("trends.paper"): frame["paper"].to_numpy(),
            t("trends.difference"): frame["difference_pct"].to_numpy(),
        }
    )


def result(ctx: Context):
    return ctx.cached("trends", lambda: trends(ctx.panel, ctx.conventions))


def _summary(res, level: str, ctx: Context):
    t = ctx.t
    summary = res.overview
    part = summary[summary["level"] == level].drop(columns=["level"]).copy()
    labels = load_grouping(ctx.grouping).labels_zh
    part["name"] = [t("trends.china") if g == NATIONAL_CODE else t.pick(labels.get(g, g), g) for g in part["geo"]]
    part["indicator"] = part["indicator"].map(lambda i: plain(indicator_label(i, t)))
    part["unit"] = part["unit"].map(lambda u: plain(unit_label(u, t)))
    part["annual_rate"] = part["annual_rate"] * 100
    part = part.rename(columns={"annual_rate": t("trends.annual_rate")})
    return localise(part.reset_index(drop=True), t)


def summary_sentences(res, t) -> list[str]:
    """One sentence per national indicator: its first and last value, unit and average annual rate, with the
    numbers formatted as in the tables."""
    from coreduce.report.html import format_number

    summary = res.overview
    rows = summary[summary["geo"] == NATIONAL_CODE]
    sentences = []
    for row in rows.itertuples(index=False):
        if not (pd.notna(row.start) and pd.notna(row.end)):
            continue
        label, unit = plain(indicator_label(row.indicator, t)), plain(unit_label(row.unit, t))
        rate = f"{row.annual_rate * 100:+.2f}"
        start, end = format_number(row.start), format_number(row.end)
        y0, y1 = int(row.start_year), int(row.end_year)
        sentences.append(
            t("trends.china_s_label_went_start", label=label, y0=y0, start=start, unit=unit, y1=y1, end=end, rate=rate)
        )
    joiner = "" if t.lang == "zh" else " "  # Chinese sentences follow each other without a space
    return [joiner.join(sentences)] if sentences else []


LEVEL_PARTS = {
    "nation": ("2_national", "national_trends_start_end", "national_indicators_start_end_average"),
    "region": ("3_regional", "trends_four_regions_start_end", "regional_indicators_start_end_average"),
}
"""Per level: figure number and key stem, figure title id and table title id (under ``report.trends.``)."""


def _level_part(ctx: Context, res, level: str, drawn, caption: str) -> tuple[ReportFigure, ReportTable]:
    """The trend figure of one level (``nation`` or ``region``) with the rows it draws as its data, and the
    table of the level's indicators at the window's ends."""
    t = ctx.t
    stem, figure_title, table_title = LEVEL_PARTS[level]
    long = res.series
    figure = ReportFigure(
        key=f"fig{stem}_trends",
        title=t(f"trends.{figure_title}", start=ctx.conventions.start, end=ctx.conventions.end),
        figure=drawn,
        data=long[long["level"] == level].reset_index(drop=True),
        caption=caption,
    )
    table = ReportTable(f"table_{stem.split('_', 1)[1]}_trends", t(f"trends.{table_title}"), _summary(res, level, ctx))
    return figure, table


def national(ctx: Context) -> Section:
    t = ctx.t
    res = result(ctx)
    start, end = ctx.conventions.start, ctx.conventions.end
    drawn = national_figure(res.series, start, end, ctx.lang, breaks=res.breaks)
    figure, table = _level_part(ctx, res, "nation", drawn, t("trends.intensity_emissions_gdp_nominal_sum"))
    tables = [table]
    beside = national_co2_table(ctx, res)
    if beside is not None:
        tables.append(beside)
    paper = paper_table(res, t)
    if not paper.empty:
        tables.append(
            ReportTable(
                "table_paper_comparison",
                t("trends.national_co2_intensity_against_paper"),
                paper,
                caption=t("trends.paper_theoretical_logic_path_selection"),
            )
        )
    plan_tables, reasons = plans_part(ctx)
    tables += plan_tables
    missing = missing_table(res, "table_national_missing", t, [NATIONAL_CODE], window=(start, end))
    if missing:
        tables.append(missing)
    return Section(
        key="national_trends",
        title=t("sec.national"),
        text=summary_sentences(res, t),
        figures=[figure],
        tables=tables,
        conventions=plans_conventions(ctx) | conventions_text(res, ctx.lang),
        notes=list(dict.fromkeys(notes_text(res, ctx.lang) + plans_notes(ctx) + reasons)),
    )


def regional(ctx: Context) -> Section:
    t = ctx.t
    res = result(ctx)
    start, end = ctx.conventions.start, ctx.conventions.end
    grouping = load_grouping(ctx.grouping)
    groups = list(grouping.groups)
    drawn = regional_figure(res.series, groups, grouping.labels_zh, start, end, ctx.lang, breaks=res.breaks)
    figure, table = _level_part(ctx, res, "region", drawn, t("trends.regional_values_are_sums_over"))
    tables = [table]
    missing = missing_table(res, "table_regional_missing", t, groups, window=(start, end))
    if missing:
        tables.append(missing)
    clusters = res.pm25_clusters
    if not clusters.empty:
        wide = clusters.pivot_table(index="year", columns="geo", values="value").reset_index()
        tables.append(
            ReportTable(
                "table_pm25_clusters",
                t("trends.pm2_5_city_clusters_g"),
                localise(
                    wide.rename(columns={k: message(f"cluster.{k}", ctx.lang) for k in wide.columns if k != "year"}), t
                ),
            )
        )
    return Section(
        key="regional_trends",
        title=t("sec.regional"),
        figures=[figure],
        tables=tables,
    )
