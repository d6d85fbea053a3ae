"""Figures 2 and 3: national trends and the four regions' trends as small multiples.

Both take the long table of :func:`coreduce.analysis.trends.trends` (columns ``level, geo, name, year,
indicator, value, unit``). A missing year is never bridged: the line breaks there (matplotlib leaves NaN
unconnected), the year is marked with a grey × on the axis, and the panel names the missing years.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from coreduce.report.drawing import collector_paused
from coreduce.report.i18n import Text
from coreduce.results import year_span

REGION_COLOURS = {"East": "#1f77b4", "Central": "#ff7f0e", "West": "#2ca02c", "Northeast": "#9467bd"}
LINE = "#1f4e79"
MISSING = "#9a9a9a"


def indicator_label(indicator: str, t: Text) -> str:
    return t.label("indicator", indicator)


def unit_label(unit: str, t: Text) -> str:
    return t.label("unit_label", unit)


def _series(long: pd.DataFrame, geo: str, indicator: str, years: range) -> tuple[pd.Series, str]:
    part = long[(long["geo"] == geo) & (long["indicator"] == indicator)]
    unit = str(part["unit"].iloc[0]) if len(part) else ""
    values = part.set_index("year")["value"].astype(float).reindex(list(years))
    return values, unit


def draw_series(ax, values: pd.Series, t: Text, colour: str = LINE, label: str | None = None) -> list[int]:
    """Plot ``values`` (indexed by every year of the window) without bridging gaps; mark and return gaps."""
    years = values.index.to_numpy()
    ax.plot(years, values.to_numpy(), color=colour, marker="o", markersize=3, linewidth=1.6, label=label)
    absent = [int(y) for y in years[values.isna().to_numpy()]]
    if absent:
        on_axis = blended_transform_factory(ax.transData, ax.transAxes)
        ax.plot(
            absent,
            [0.03] * len(absent),
            linestyle="none",
            marker="x",
            color=MISSING,
            markersize=5,
            transform=on_axis,
            clip_on=False,
        )
    return absent


def _note_missing(ax, absent: list[int], t: Text, whole: bool) -> None:
    if whole:
        ax.text(
            0.5,
            0.5,
            t("fig_trends.no_data"),
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=MISSING,
            fontsize=10,
        )
    elif absent:
        ax.text(
            0.99,
            0.97,
            t("fig_trends.missing") + year_span(absent),
            transform=ax.transAxes,
            ha="right",
            va="top",
            color=MISSING,
            fontsize=7,
        )


def mark_break(ax, year: int, t: Text, label: bool = True) -> None:
    """A dashed line between ``year - 1`` and ``year`` where the series changes definition (a break in series)."""
    ax.axvline(year - 0.5, color=MISSING, linestyle="--", linewidth=0.9)
    if label:
        ax.text(
            year - 0.3,
            0.97,
            t("fig_trends.break_year", year=year),
            transform=blended_transform_factory(ax.transData, ax.transAxes),
            ha="left",
            va="top",
            color=MISSING,
            fontsize=7,
        )


def _year_axis(ax, years: range) -> None:
    ax.set_xlim(years.start - 0.5, years.stop - 0.5)
    step = 2 if len(years) > 8 else 1
    ax.set_xticks(list(years)[::step])
    ax.tick_params(axis="x", rotation=0)
    ax.grid(axis="y", color="#e3e3e3", linewidth=0.6)


@collector_paused()
def national_figure(
    long: pd.DataFrame, start: int, end: int, lang: str, geo: str = "100000", breaks: dict[str, int] | None = None
) -> Figure:
    """Five panels: CO2 emissions, CO2/SO2/NOx intensity and PM2.5 of China, ``start``–``end``.

    ``breaks`` maps an indicator to the first year of a new definition (e.g. ``{"so2_intensity": 2016}`` for the
    NBS SO2 series); a dashed line marks it.
    """
    breaks = breaks or {}
    t = Text(lang)
    years = range(start, end + 1)
    indicators = ["co2", "co2_intensity", "so2_intensity", "nox_intensity", "pm25"]
    fig = Figure(figsize=(10, 6.4), layout="constrained")
    axes = fig.subplots(2, 3).ravel()
    for ax, indicator in zip(axes, indicators, strict=False):
        values, unit = _series(long, geo, indicator, years)
        absent = draw_series(ax, values, t)
        _note_missing(ax, absent, t, whole=values.isna().all())
        ax.set_title(indicator_label(indicator, t))
        ax.set_ylabel(unit_label(unit, t) if unit else "")
        if values.notna().any():
            ax.set_ylim(bottom=0, top=float(np.nanmax(values)) * 1.12)
        _year_axis(ax, years)
        if indicator in breaks and start < breaks[indicator] <= end:
            mark_break(ax, breaks[indicator], t)
    legend = axes[-1]
    legend.axis("off")
    legend.text(
        0.02,
        0.6,
        t("fig_trends.legend") + (t("fig_trends.legend_break") if breaks else ""),
        fontsize=8,
        color=MISSING,
        va="center",
    )
    return fig


@collector_paused()
def regional_figure(
    long: pd.DataFrame,
    groups: list[str],
    labels_zh: dict[str, str],
    start: int,
    end: int,
    lang: str,
    breaks: dict[str, int] | None = None,
) -> Figure:
    """Small multiples: one row per indicator, one column per region, shared y-axis along each row; ``breaks``
    as in :func:`national_figure` (labelled in the first column only)."""
    breaks = breaks or {}
    t = Text(lang)
    years = range(start, end + 1)
    indicators = ["co2", "co2_intensity", "so2_intensity", "nox_intensity"]
    fig = Figure(figsize=(10, 8.6), layout="constrained")
    axes = fig.subplots(len(indicators), len(groups), sharex=True, sharey="row", squeeze=False)
    for row, indicator in enumerate(indicators):
        top = 0.0
        for col, group in enumerate(groups):
            ax = axes[row, col]
            values, unit = _series(long, group, indicator, years)
            absent = draw_series(ax, values, t, colour=REGION_COLOURS.get(group, LINE))
            _note_missing(ax, absent, t, whole=values.isna().all())
            if values.notna().any():
                top = max(top, float(np.nanmax(values)))
            if row == 0:
                ax.set_title(t.pick(labels_zh.get(group, group), group))
            if col == 0:
                ax.set_ylabel(f"{indicator_label(indicator, t)}\n{unit_label(unit, t)}")
            _year_axis(ax, years)
            ax.tick_params(axis="x", labelsize=7, rotation=45)
            if indicator in breaks and start < breaks[indicator] <= end:
                mark_break(ax, breaks[indicator], t, label=col == 0)
        if top > 0:
            axes[row, 0].set_ylim(0, top * 1.12)
    return fig
