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
from coreduce.report.caveats import saturation_caveat
from coreduce.report.figures.costatus import (
    QUADRANT_COLOURS,
    QUADRANTS,
    cocontrol_scatter,
    coupling_heatmap,
    lmdi_figure,
    place_name,
)
from coreduce.report.figures.trends import unit_label
from coreduce.report.maps import choropleth, map_layers
from coreduce.report.model import ReportFigure, ReportTable, Section
from coreduce.report.sections.base import Context
from coreduce.report.sections.common import conventions_text, localise, missing_table, notes_text
from coreduce.report.sections.sensitivity import sensitivity_table


def result(ctx: Context):
    return ctx.cached("costatus", lambda: costatus(ctx.panel, ctx.conventions))


def _end_values(res, column: str, end: int) -> pd.Series:
    """A column of the analysis' province intensities in the last year, by province code."""
    table = res.intensity
    return table[table["year"] == end].set_index("geo")[column].rename("value")


def _map_figure(ctx, key, values: pd.Series, title, unit, caption, cmap="YlOrRd") -> ReportFigure:
    t = ctx.t
    fig = choropleth(values, title=title, unit=unit, cmap=cmap, no_data_label=t("costatus.no_data"))
    data = values.rename_axis("geo").reset_index()
    data.insert(1, "name", [place_name(g, t) for g in data["geo"]])
    return ReportFigure(key=key, title=title, figure=fig, data=data, caption=caption, layers=map_layers(fig))


def _maps(ctx: Context, res, prov: pd.DataFrame) -> list[ReportFigure]:
    """Maps of the provinces' CO2 and pollutant intensity in the last year and of their co-control quadrant."""
    t = ctx.t
    start, end = ctx.conventions.start, ctx.conventions.end
    pollutant, co2 = res.convention("pollutant"), res.convention("co2")
    figures = [
        _map_figure(
            ctx,
            "fig4a_map_co2_intensity",
            _end_values(res, "co2_intensity", end),
            t("costatus.co2_intensity_province_end", end=end),
            unit_label(INTENSITY_UNIT, t),
            t("costatus.co2_nominal_gdp", co2=co2),
        ),
        _map_figure(
            ctx,
            "fig4b_map_so2_intensity",
            _end_values(res, "pollutant_intensity", end),
            t("costatus.so_2_intensity_province_end", end=end),
            unit_label(POLLUTANT_INTENSITY_UNIT, t),
            t("costatus.pollutant_nominal_gdp_ceds_modelled", pollutant=pollutant),
            cmap="PuRd",
        ),
    ]
    status = prov.set_index("geo")["quadrant"]
    status = status[status.isin(list(QUADRANTS))]
    colours = {t.label("quadrant", q): QUADRANT_COLOURS[q] for q in QUADRANTS}
    title = t("costatus.co_reduction_status_province_start", start=start, end=end)
    status_fig = choropleth(
        status.map(lambda q: t.label("quadrant", q)),
        title=title,
        categories=colours,
        no_data_label=t("costatus.no_data"),
    )
    status_data = prov[["geo", "reduction_pollutant", "reduction_co2", "quadrant", "label"]].copy()
    caption = t("costatus.quadrant_signs_so_co_reduction").replace("$_2$", "₂")
    layers = map_layers(status_fig)
    figures.append(ReportFigure("fig4c_map_costatus", title, status_fig, status_data, caption, layers=layers))
    return figures


def _scatter_and_coupling(ctx: Context, res, prov: pd.DataFrame, grouping) -> list[ReportFigure]:
    """The co-control coordinate system and the coupling coordination heat map of the provinces."""
    t = ctx.t
    start, end = ctx.conventions.start, ctx.conventions.end
    region_names = {g: t.pick(grouping.labels_zh.get(r, r), r) for g, r in grouping.group_of().items()}
    order = [c for group in grouping.groups.values() for c in group]
    prov_coupling = res.coupling[res.coupling["level"] == "province"]
    return [
        ReportFigure(
            "fig5_cocontrol_coordinates",
            t("costatus.co_control_coordinate_system_start", start=start, end=end),
            cocontrol_scatter(prov, ctx.lang, "SO$_2$", region_names),
            prov[["geo", "reduction_pollutant", "reduction_co2", "elasticity", "quadrant", "label"]],
            t(
                "costatus.x_reduction_rate_pollutant_y",
                pollutant=res.convention("pollutant"),
                co2=res.convention("co2"),
            ),
        ),
        ReportFigure(
            "fig6_coupling_coordination",
            t("costatus.coupling_coordination_pollution_carbon_reduction"),
            coupling_heatmap(prov_coupling, ctx.lang, order),
            prov_coupling.reset_index(drop=True),
            t("costatus.d_graded_ten_0_1"),
        ),
    ]


def _status_table(ctx: Context, res, prov: pd.DataFrame, grouping) -> ReportTable:
    """One row per province: reduction rates, elasticity, quadrant, Tapio state and coupling band."""
    t = ctx.t
    start, end = ctx.conventions.start, ctx.conventions.end
    pollutant, co2 = res.convention("pollutant"), res.convention("co2")
    group_of = grouping.group_of()
    table = prov[["geo"]].copy()
    table.insert(1, t("costatus.province"), [place_name(g, t) for g in prov["geo"]])
    table[t("costatus.region")] = [
        t.pick(grouping.labels_zh.get(group_of.get(g, ""), ""), group_of.get(g, "")) for g in prov["geo"]
    ]
    table[t("costatus.pollutant_reduction", pollutant=pollutant)] = prov["reduction_pollutant"] * 100
    table[t("costatus.co2_reduction", co2=co2)] = prov["reduction_co2"] * 100
    table[t("costatus.co_control_elasticity")] = prov["elasticity"]
    table[t("costatus.status")] = prov["label_zh"] if ctx.lang == "zh" else prov["label"]
    table[t("costatus.co_decoupling")] = (
        prov["tapio_co2"].map(lambda state: STATES.get(state, t("costatus.no_data")))
        if ctx.lang == "zh"
        else prov["tapio_co2"]
    )
    coupling = res.coupling
    end_d = coupling[(coupling["level"] == "province") & (coupling["year"] == end)].set_index("geo")
    table[t("costatus.coupling_d_end", end=end)] = prov["geo"].map(end_d["D"])
    table[t("costatus.band")] = prov["geo"].map(end_d["grade_zh" if ctx.lang == "zh" else "grade_en"])
    title = t("costatus.co_reduction_status_province_start_2", start=start, end=end)
    return ReportTable("table_provincial_status", title, localise(table, t))


def provinces_section(ctx: Context) -> Section:
    """Maps, the co-control coordinate system, coupling coordination and the status table of the provinces."""
    res = result(ctx)
    grouping = load_grouping(ctx.grouping)
    prov = res.window[res.window["level"] == "province"].reset_index(drop=True)
    tables = [_status_table(ctx, res, prov, grouping), sensitivity_table(ctx)]
    missing = missing_table(res, "table_costatus_missing", ctx.t, window=(ctx.conventions.start, ctx.conventions.end))
    if missing:
        tables.append(missing)
    end = ctx.conventions.end
    coupling = res.coupling[(res.coupling["level"] == "province") & (res.coupling["year"] == end)]
    saturated = saturation_caveat(coupling["grade_zh" if ctx.lang == "zh" else "grade_en"], end, ctx.t)
    return Section(
        key="provinces",
        title=ctx.t("sec.provinces"),
        figures=_maps(ctx, res, prov) + _scatter_and_coupling(ctx, res, prov, grouping),
        tables=tables,
        conventions=conventions_text(res, ctx.lang),
        notes=notes_text(res, ctx.lang) + ([saturated] if saturated else []),
    )


def left_out_members(res) -> dict[str, list[str]]:
    """Region or nation → the member codes an aggregate was formed without (from the analysis' records)."""
    return {
        str(m.geo): [c.strip() for c in str(dict(m.params)["members"]).split(",") if c.strip()]
        for m in res.missing
        if m.reason in ("missing.left_out", "missing.not_covered")
    }


def _aggregate_names(ctx: Context, res, shown: pd.DataFrame, grouping) -> list[str]:
    """Names of the regions and the nation, each with the members its totals were formed without."""
    t = ctx.t
    left_out = left_out_members(res)
    names = []
    for g in shown["geo"]:
        name = t("costatus.china") if g == NATIONAL_CODE else t.pick(grouping.labels_zh.get(g, g), g)
        if left_out.get(g):
            members = t("sep.list_sep").join(place_name(c, t) for c in left_out[g])
            name += t("costatus.without_members", members=members)
        names.append(name)
    return names


def _lmdi_tables(ctx: Context, res, shown: pd.DataFrame, names: list[str]) -> list[ReportTable]:
    """The factor effects and the channel effects of the nation and the regions."""
    t = ctx.t
    effects = pd.DataFrame({t("costatus.name"): names})
    effects[t("costatus.co2_start", start=ctx.conventions.start)] = shown["V0"].to_numpy()
    effects[t("costatus.co2_end", end=ctx.conventions.end)] = shown["V1"].to_numpy()
    for factor in (f for f in FACTORS if f in shown.columns):
        effects[t.label("factor", factor)] = shown[factor].to_numpy()
    effects[t("costatus.total_change")] = shown["total"].to_numpy()
    channels = pd.DataFrame({t("costatus.name"): names})
    for column in (c for c in shown.columns if str(c).startswith("channel: ")):
        channel = column.removeprefix("channel: ")
        channels[message("channel." + channel.replace(" ", "_"), ctx.lang)] = shown[column].to_numpy()
    return [
        ReportTable(
            "table_lmdi",
            t("costatus.lmdi_factor_effects_china_four"),
            effects,
            caption=t("costatus.unit_unit_effects_add_up", unit=res.unit),
        ),
        ReportTable(
            "table_lmdi_channels",
            t("costatus.lmdi_effects_channel"),
            channels,
            caption=t("costatus.unit_unit", unit=res.unit),
        ),
    ]


def drivers_section(ctx: Context) -> Section:
    """The LMDI decomposition of CO2 by factor and channel, for the nation and the regions."""
    t = ctx.t
    res = ctx.cached("drivers", lambda: drivers(ctx.panel, ctx.conventions))
    table = res.effects
    grouping = load_grouping(ctx.grouping)
    shown = table[table["level"].isin(["nation", "region"])]
    factors = [f for f in FACTORS if f in table.columns]
    caption = t("costatus.additive_lmdi_i_scale_structure")
    if left_out_members(res):
        caption += t("costatus.totals_leave_out_provinces_lacking")
    figure = ReportFigure(
        "fig7_lmdi_channels",
        t("costatus.lmdi_decomposition_co2_change_start", start=ctx.conventions.start, end=ctx.conventions.end),
        lmdi_figure(table, ctx.lang, res.unit, list(grouping.groups), grouping.labels_zh, factors),
        table.reset_index(drop=True),
        caption,
    )
    missing = missing_table(res, "table_lmdi_missing", t, window=(ctx.conventions.start, ctx.conventions.end))
    return Section(
        key="drivers",
        title=t("sec.drivers"),
        figures=[figure],
        tables=_lmdi_tables(ctx, res, shown, _aggregate_names(ctx, res, shown, grouping))
        + ([missing] if missing else []),
        conventions=conventions_text(res, ctx.lang),
        notes=notes_text(res, ctx.lang),
    )
