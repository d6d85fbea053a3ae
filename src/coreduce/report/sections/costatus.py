"""Sections 4 and 5: provincial co-reduction status (maps, co-control coordinate system, coupling coordination)
and the LMDI drivers by channel."""

from __future__ import annotations

import pandas as pd

from coreduce.analysis.costatus import costatus
from coreduce.analysis.drivers import FACTORS, drivers
from coreduce.geo import NATIONAL_CODE, load_grouping
from coreduce.i18n import message
from coreduce.methods.decoupling import STATES
from coreduce.methods.intensity import INTENSITY_UNIT, POLLUTANT_INTENSITY_UNIT
from coreduce.report.figures.costatus import (
    FACTOR_NAMES,
    QUADRANT_COLOURS,
    QUADRANT_NAMES,
    cocontrol_scatter,
    coupling_heatmap,
    lmdi_figure,
    place_name,
)
from coreduce.report.figures.trends import unit_label
from coreduce.report.maps import choropleth
from coreduce.report.model import ReportFigure, ReportTable, Section
from coreduce.report.sections.base import Context
from coreduce.report.sections.common import conventions_text, localise, missing_table, notes_text


def result(ctx: Context):
    return ctx.cached("costatus", lambda: costatus(ctx.panel, ctx.conventions))


def _end_values(res, column: str, end: int) -> pd.Series:
    """A column of the analysis' province intensities in the last year, by province code."""
    table = res.intensity
    return table[table["year"] == end].set_index("geo")[column].rename("value")


def _map_figure(ctx, key, values: pd.Series, title, unit, caption, cmap="YlOrRd") -> ReportFigure:
    t = ctx.t
    fig = choropleth(values, title=title, unit=unit, cmap=cmap, no_data_label=t.pick("无数据", "no data"))
    data = values.rename_axis("geo").reset_index()
    data.insert(1, "name", [place_name(g, t) for g in data["geo"]])
    return ReportFigure(key=key, title=title, figure=fig, data=data, caption=caption)


def provinces_section(ctx: Context) -> Section:
    t = ctx.t
    res = result(ctx)
    pollutant, co2 = res.convention("pollutant"), res.convention("co2")
    START, END = ctx.conventions.start, ctx.conventions.end
    grouping = load_grouping(ctx.grouping)
    group_of = grouping.group_of()
    window = res.to_frame()
    prov = window[window["level"] == "province"].reset_index(drop=True)
    figures = []

    co2_int = _end_values(res, "co2_intensity", END)
    so2_int = _end_values(res, "pollutant_intensity", END)
    figures.append(
        _map_figure(
            ctx,
            "fig4a_map_co2_intensity",
            co2_int,
            t.pick(f"各省 CO$_2$ 排放强度 {END}", f"CO$_2$ intensity by province, {END}"),
            unit_label(INTENSITY_UNIT, t),
            t.pick(f"{co2} ÷ 名义 GDP。", f"{co2} ÷ nominal GDP."),
        )
    )
    figures.append(
        _map_figure(
            ctx,
            "fig4b_map_so2_intensity",
            so2_int,
            t.pick(f"各省 SO$_2$ 排放强度 {END}", f"SO$_2$ intensity by province, {END}"),
            unit_label(POLLUTANT_INTENSITY_UNIT, t),
            t.pick(
                f"{pollutant} ÷ 名义 GDP（CEDS 模型清单，非国家统计局序列）。",
                f"{pollutant} ÷ nominal GDP (CEDS modelled inventory, not the NBS series).",
            ),
            cmap="PuRd",
        )
    )
    status = prov.set_index("geo")["quadrant"]
    status = status[status.isin(list(QUADRANT_NAMES))]
    colours = {t.pick(*QUADRANT_NAMES[q]): QUADRANT_COLOURS[q] for q in QUADRANT_NAMES}
    status_title = t.pick(f"各省减污降碳协同状态 {START}–{END}", f"Co-reduction status by province, {START}–{END}")
    status_fig = choropleth(
        status.map(lambda q: t.pick(*QUADRANT_NAMES[q])),
        title=status_title,
        categories=colours,
        no_data_label=t.pick("无数据", "no data"),
    )
    status_data = prov[["geo", "reduction_pollutant", "reduction_co2", "quadrant", "label"]].copy()
    figures.append(
        ReportFigure(
            "fig4c_map_costatus",
            status_title,
            status_fig,
            status_data,
            t.pick(
                "象限由 SO$_2$ 与 CO$_2$ 的减排率符号决定（协同控制坐标系，Mao et al. 2011）。",
                "Quadrant from the signs of the SO₂ and CO₂ reduction rates (co-control coordinate system, "
                "Mao et al. 2011).",
            ).replace("$_2$", "₂"),
        )
    )
    figures.append(
        ReportFigure(
            "fig5_cocontrol_coordinates",
            t.pick(f"协同控制坐标系 {START}–{END}", f"Co-control coordinate system, {START}–{END}"),
            cocontrol_scatter(
                prov, ctx.lang, "SO$_2$", {g: t.pick(grouping.labels_zh.get(r, r), r) for g, r in group_of.items()}
            ),
            prov[["geo", "reduction_pollutant", "reduction_co2", "elasticity", "quadrant", "label"]],
            t.pick(
                f"横轴：{pollutant} 减排率；纵轴：{co2} 减排率；第一象限为协同减排。",
                f"x: reduction rate of {pollutant}; y: reduction rate of {co2}; quadrant I is co-reduction.",
            ),
        )
    )
    coupling = res.coupling
    order = [c for group in grouping.groups.values() for c in group]
    prov_coupling = coupling[coupling["level"] == "province"]
    figures.append(
        ReportFigure(
            "fig6_coupling_coordination",
            t.pick("减污与降碳子系统耦合协调度", "Coupling coordination of pollution and carbon reduction"),
            coupling_heatmap(prov_coupling, ctx.lang, order),
            prov_coupling.reset_index(drop=True),
            t.pick(
                "D 按 0.1 宽度分为十个等级；灰色为缺失。省份按四大区域排列。",
                "D graded in ten 0.1-wide bands; grey is missing. Provinces ordered by region.",
            ),
        )
    )
    table = prov[["geo"]].copy()
    table.insert(1, t.pick("省份", "province"), [place_name(g, t) for g in prov["geo"]])
    table[t.pick("区域", "region")] = [
        t.pick(grouping.labels_zh.get(group_of.get(g, ""), ""), group_of.get(g, "")) for g in prov["geo"]
    ]
    table[t.pick(f"{pollutant} 减排率 (%)", f"{pollutant} reduction (%)")] = prov["reduction_pollutant"] * 100
    table[t.pick(f"{co2} 减排率 (%)", f"{co2} reduction (%)")] = prov["reduction_co2"] * 100
    table[t.pick("协同控制弹性", "co-control elasticity")] = prov["elasticity"]
    table[t.pick("状态", "status")] = prov["label_zh"] if ctx.lang == "zh" else prov["label"]
    table[t.pick("CO₂ 脱钩", "CO₂ decoupling")] = (
        prov["tapio_co2"].map(lambda state: STATES.get(state, state)) if ctx.lang == "zh" else prov["tapio_co2"]
    )
    end_d = prov_coupling[prov_coupling["year"] == END].set_index("geo")
    table[t.pick(f"耦合协调度 {END}", f"coupling D {END}")] = prov["geo"].map(end_d["D"])
    table[t.pick("协调等级", "band")] = prov["geo"].map(end_d["grade_zh" if ctx.lang == "zh" else "grade_en"])
    tables = [
        ReportTable(
            "table_provincial_status",
            t.pick(f"各省协同状态 {START}–{END}", f"Co-reduction status by province, {START}–{END}"),
            localise(table, t),
        )
    ]
    missing = missing_table(res, "table_costatus_missing", t)
    if missing:
        tables.append(missing)
    return Section(
        key="provinces",
        title=t("sec.provinces"),
        figures=figures,
        tables=tables,
        conventions=conventions_text(res, ctx.lang),
        notes=notes_text(res, ctx.lang),
    )


def left_out_members(res) -> dict[str, list[str]]:
    """Region or nation → the member codes an aggregate was formed without (from the analysis' records)."""
    return {
        str(m.geo): [c.strip() for c in str(dict(m.params)["members"]).split(",") if c.strip()]
        for m in res.missing
        if m.reason == "missing.left_out"
    }


def drivers_section(ctx: Context) -> Section:
    t = ctx.t
    res = ctx.cached("drivers", lambda: drivers(ctx.panel, ctx.conventions))
    START, END = ctx.conventions.start, ctx.conventions.end
    table = res.effects
    grouping = load_grouping(ctx.grouping)
    unit = res.unit
    shown = table[table["level"].isin(["nation", "region"])]
    left_out = left_out_members(res)
    names = []
    for g in shown["geo"]:
        name = t.pick("全国", "China") if g == NATIONAL_CODE else t.pick(grouping.labels_zh.get(g, g), g)
        if left_out.get(g):
            members = t.pick("、", ", ").join(place_name(c, t) for c in left_out[g])
            name += t.pick(f"（不含{members}）", f" (without {members})")
        names.append(name)
    factors = [f for f in FACTORS if f in table.columns]
    effects = pd.DataFrame({t.pick("地区", "name"): names})
    effects[t.pick(f"{START} 排放", f"CO2 {START}")] = shown["V0"].to_numpy()
    effects[t.pick(f"{END} 排放", f"CO2 {END}")] = shown["V1"].to_numpy()
    for factor in factors:
        effects[t.pick(*FACTOR_NAMES.get(factor, (factor, factor)))] = shown[factor].to_numpy()
    effects[t.pick("总变化", "total change")] = shown["total"].to_numpy()
    channel_columns = [c for c in shown.columns if str(c).startswith("channel: ")]
    channels = pd.DataFrame({t.pick("地区", "name"): names})
    for column in channel_columns:
        channel = column.removeprefix("channel: ")
        channels[message("channel." + channel.replace(" ", "_"), ctx.lang)] = shown[column].to_numpy()
    return Section(
        key="drivers",
        title=t("sec.drivers"),
        figures=[
            ReportFigure(
                "fig7_lmdi_channels",
                t.pick(
                    f"CO$_2$ 变化的 LMDI 分解 {START}–{END}", f"LMDI decomposition of the CO$_2$ change, {START}–{END}"
                ),
                lmdi_figure(
                    table,
                    ctx.lang,
                    unit,
                    list(grouping.groups),
                    grouping.labels_zh,
                    [f for f in FACTORS if f in table.columns],
                ),
                table.reset_index(drop=True),
                t.pick(
                    "加性 LMDI-I：规模、结构（产业升级）、能源强度（技术进步）、能源结构与排放因子（能源革命）。",
                    "Additive LMDI-I: scale, structure (industrial upgrading), energy intensity (technological "
                    "progress), energy mix and emission factor (energy revolution).",
                )
                + (
                    t.pick(
                        "区域与全国合计不含缺少数据的省份（见下表）。",
                        " Totals leave out provinces lacking data (see tables).",
                    )
                    if left_out
                    else ""
                ),
            )
        ],
        tables=[
            ReportTable(
                "table_lmdi",
                t.pick("全国与四大区域的 LMDI 因素效应", "LMDI factor effects, China and the four regions"),
                effects,
                caption=t.pick(
                    f"单位：{unit}；各因素效应之和等于总变化。", f"Unit: {unit}; the effects add up to the change."
                ),
            ),
            ReportTable(
                "table_lmdi_channels",
                t.pick("按作用渠道归并的 LMDI 效应", "LMDI effects by channel"),
                channels,
                caption=t.pick(f"单位：{unit}。", f"Unit: {unit}."),
            ),
        ]
        + [m for m in [missing_table(res, "table_lmdi_missing", t)] if m],
        conventions=conventions_text(res, ctx.lang),
        notes=notes_text(res, ctx.lang),
    )
