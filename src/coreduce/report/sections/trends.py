"""Sections 2 and 3: national and four-region trends of CO2, CO2/SO2/NOx intensity and PM2.5, 2008–2022."""

from __future__ import annotations

from coreduce.geo import NATIONAL_CODE, load_grouping
from coreduce.report.figures.trends import indicator_label, national_figure, regional_figure, unit_label
from coreduce.report.i18n import plain
from coreduce.report.model import ReportFigure, ReportTable, Section
from coreduce.report.sections.base import Context
from coreduce.report.sections.common import localise, missing_table

START, END = 2008, 2022


def result(ctx: Context):
    module = ctx.analysis("trends")
    return ctx.cached("trends", lambda: module.trends(ctx.panel, START, END, grouping=ctx.grouping))


def _summary(res, level: str, ctx: Context):
    t = ctx.t
    summary = res.to_frame("summary")
    part = summary[summary["level"] == level].drop(columns=["level"]).copy()
    labels = load_grouping(ctx.grouping).labels_zh
    part["name"] = [t.pick("全国", "China") if g == NATIONAL_CODE else t.pick(labels.get(g, g), g) for g in part["geo"]]
    part["indicator"] = part["indicator"].map(lambda i: plain(indicator_label(i, t)))
    part["unit"] = part["unit"].map(lambda u: plain(unit_label(u, t)))
    part["annual_rate"] = part["annual_rate"] * 100
    part = part.rename(columns={"annual_rate": t.pick("年均变化率 (%)", "annual rate (%)")})
    return localise(part.reset_index(drop=True), t)


def national(ctx: Context) -> Section:
    t = ctx.t
    res = result(ctx)
    long = res.to_frame("long")
    data = long[long["level"] == "nation"].reset_index(drop=True)
    figure = ReportFigure(
        key="fig2_national_trends",
        title=t.pick(f"全国减污降碳趋势 {START}–{END}", f"National trends {START}–{END}"),
        figure=national_figure(long, START, END, ctx.lang),
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
    missing = missing_table(res, "table_national_missing", t, [NATIONAL_CODE])
    if missing:
        tables.append(missing)
    return Section(
        key="national_trends",
        title=t("sec.national", "全国趋势", "National trends"),
        figures=[figure],
        tables=tables,
        conventions=dict(res.conventions),
        notes=list(res.notes),
    )


def regional(ctx: Context) -> Section:
    t = ctx.t
    res = result(ctx)
    long = res.to_frame("long")
    grouping = load_grouping(ctx.grouping)
    groups = list(grouping.groups)
    data = long[long["level"] == "region"].reset_index(drop=True)
    figure = ReportFigure(
        key="fig3_regional_trends",
        title=t.pick(f"四大区域减污降碳趋势 {START}–{END}", f"Trends of the four regions {START}–{END}"),
        figure=regional_figure(long, groups, grouping.labels_zh, START, END, ctx.lang),
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
    clusters = res.to_frame("pm25_clusters")
    if not clusters.empty:
        wide = clusters.pivot_table(index="year", columns="geo", values="value").reset_index()
        tables.append(
            ReportTable(
                "table_pm25_clusters",
                t.pick("城市群 PM2.5 年均浓度 (µg/m³)", "PM2.5 of the city clusters (µg/m³)"),
                localise(wide, t),
            )
        )
    return Section(
        key="regional_trends",
        title=t("sec.regional", "四大区域趋势", "Trends of the four regions"),
        figures=[figure],
        tables=tables,
    )
