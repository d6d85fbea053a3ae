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

PLAN_NAMES_ZH = {"11th": "十一五", "12th": "十二五", "13th": "十三五", "14th": "十四五", "15th": "十五五"}


def paper_table(res, t) -> pd.DataFrame:
    """The national CO2 intensity here next to the source paper's (the analysis' ``paper`` table, laid out)."""
    frame = res.paper
    if frame.empty:
        return pd.DataFrame()
    labels = [
        t.pick(f"CO2 排放强度 {year}（t/万元）", f"CO2 intensity {year} (t per 10^4 yuan)")
        if measure == "co2_intensity"
        else t.pick(f"年均变化率 {year} (%)", f"average annual rate {year} (%)")
        for measure, year in zip(frame["measure"], frame["year"], strict=True)
    ]
    return pd.DataFrame(
        {
            t.pick("指标", "indicator"): labels,
            t.pick("本报告", "this report"): frame["here"].to_numpy(),
            t.pick("论文", "paper"): frame["paper"].to_numpy(),
            t.pick("差异 (%)", "difference (%)"): frame["difference_pct"].to_numpy(),
        }
    )


def plans_table(res, t) -> pd.DataFrame:
    """National change of every indicator over each five-year plan in the window, with the binding target."""
    plans = res.plans
    part = plans[plans["level"] == "nation"].copy()
    if part.empty:
        return part
    part["indicator"] = part["indicator"].map(lambda i: plain(indicator_label(i, t)))
    part["plan"] = part["plan"].map(lambda p: t.pick(f"“{PLAN_NAMES_ZH.get(p, p)}”", f"{p} plan"))
    out = part[["indicator", "plan", "base_year", "end_year", "base", "end"]].copy()
    out[t.pick("变化 (%)", "change (%)")] = part["change"] * 100
    out[t.pick("约束目标 (%)", "binding target (%)")] = part["target"] * 100
    return localise(
        out.rename(columns={"plan": t.pick("五年规划", "five-year plan"), "base_year": "start_year", "base": "start"}),
        t,
    ).reset_index(drop=True)


def result(ctx: Context):
    return ctx.cached("trends", lambda: trends(ctx.panel, ctx.conventions))


def _summary(res, level: str, ctx: Context):
    t = ctx.t
    summary = res.overview
    part = summary[summary["level"] == level].drop(columns=["level"]).copy()
    labels = load_grouping(ctx.grouping).labels_zh
    part["name"] = [t.pick("全国", "China") if g == NATIONAL_CODE else t.pick(labels.get(g, g), g) for g in part["geo"]]
    part["indicator"] = part["indicator"].map(lambda i: plain(indicator_label(i, t)))
    part["unit"] = part["unit"].map(lambda u: plain(unit_label(u, t)))
    part["annual_rate"] = part["annual_rate"] * 100
    part = part.rename(columns={"annual_rate": t.pick("年均变化率 (%)", "annual rate (%)")})
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
            t.pick(
                f"全国 {label}从 {y0} 年的 {start} {unit} 变为 {y1} 年的 {end} {unit}，年均变化 {rate}%。",
                f"China's {label} went from {start} {unit} in {y0} to {end} {unit} in {y1}, {rate} % a year.",
            )
        )
    return [t.pick("", " ").join(sentences)] if sentences else []


def national(ctx: Context) -> Section:
    t = ctx.t
    res = result(ctx)
    start, end = ctx.conventions.start, ctx.conventions.end
    long = res.series
    data = long[long["level"] == "nation"].reset_index(drop=True)
    figure = ReportFigure(
        key="fig2_national_trends",
        title=t.pick(f"全国减污降碳趋势 {start}–{end}", f"National trends {start}–{end}"),
        figure=national_figure(long, start, end, ctx.lang, breaks=res.breaks),
        data=data,
        caption=t.pick(
            "强度 = 排放 ÷ GDP（名义价格，各省 GDP 之和）；折线在缺失年份断开，× 标出缺失年份。",
            "Intensity = emissions ÷ GDP (nominal, sum of provincial GDP); lines break at missing years, × marks them.",
        ),
    )
    tables = [
        ReportTable(
            "table_national_trends",
            t.pick("全国指标：起止值与年均变化率", "National indicators: start, end and average annual rate"),
            _summary(res, "nation", ctx),
        )
    ]
    paper = paper_table(res, t)
    if not paper.empty:
        tables.append(
            ReportTable(
                "table_paper_comparison",
                t.pick("与论文的全国 CO2 排放强度对照", "National CO2 intensity against the paper"),
                paper,
                caption=t.pick(
                    "论文：新质生产力推动减污降碳协同增效的理论逻辑与路径选择（全国趋势图）；差异来自数据版本，见下方说明。",
                    "Paper: the theoretical logic and path selection of new quality productive forces promoting "
                    "pollution–carbon synergy (national trend figure); the gap is one of data vintage (notes below).",
                ),
            )
        )
    plans = plans_table(res, t)
    if not plans.empty:
        tables.append(
            ReportTable(
                "table_five_year_plans",
                t.pick("五年规划期内的全国变化", "National change over the five-year plans"),
                plans,
                caption=t.pick(
                    "末年相对规划首年前一年；约束目标为全国单位 GDP CO2 排放下降（按不变价）；本报告强度按"
                    + ("名义" if res.convention("prices") == "nominal" else "不变价")
                    + " GDP 计算。",
                    "End year against the year before the plan; the binding target is the national fall in CO2 per "
                    "unit of GDP (at constant prices); intensities here: ratio of sums, "
                    + res.convention("prices")
                    + " GDP.",
                ),
            )
        )
    missing = missing_table(res, "table_national_missing", t, [NATIONAL_CODE])
    if missing:
        tables.append(missing)
    return Section(
        key="national_trends",
        title=t("sec.national"),
        text=summary_sentences(res, t),
        figures=[figure],
        tables=tables,
        conventions=conventions_text(res, ctx.lang),
        notes=notes_text(res, ctx.lang),
    )


def regional(ctx: Context) -> Section:
    t = ctx.t
    res = result(ctx)
    start, end = ctx.conventions.start, ctx.conventions.end
    long = res.series
    grouping = load_grouping(ctx.grouping)
    groups = list(grouping.groups)
    data = long[long["level"] == "region"].reset_index(drop=True)
    figure = ReportFigure(
        key="fig3_regional_trends",
        title=t.pick(f"四大区域减污降碳趋势 {start}–{end}", f"Trends of the four regions {start}–{end}"),
        figure=regional_figure(long, groups, grouping.labels_zh, start, end, ctx.lang, breaks=res.breaks),
        data=data,
        caption=t.pick(
            "区域值为成员省份之和（Σ排放 ÷ ΣGDP）；各区域无 PM2.5 序列（仅有全国与京津冀、长三角、珠三角）。",
            "Regional values are sums over member provinces (Σ emissions ÷ Σ GDP); there is no regional PM2.5 "
            "series (only China and the BTH, YRD and PRD clusters).",
        ),
    )
    tables = [
        ReportTable(
            "table_regional_trends",
            t.pick("四大区域指标：起止值与年均变化率", "Regional indicators: start, end and average annual rate"),
            _summary(res, "region", ctx),
        )
    ]
    missing = missing_table(res, "table_regional_missing", t, groups)
    if missing:
        tables.append(missing)
    clusters = res.pm25_clusters
    if not clusters.empty:
        wide = clusters.pivot_table(index="year", columns="geo", values="value").reset_index()
        tables.append(
            ReportTable(
                "table_pm25_clusters",
                t.pick("城市群 PM2.5 年均浓度 (µg/m³)", "PM2.5 of the city clusters (µg/m³)"),
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
