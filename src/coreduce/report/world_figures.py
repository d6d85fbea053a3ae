"""Figures of the world analyses: trends, Kaya effects, the decoupling world map, inequality, China's position.

Each function lays out a result's tables (it computes nothing) and returns a matplotlib Figure; labels come from
the message catalogues in the language asked for. The world map is drawn from Natural Earth 1:110m country
polygons (public domain, naturalearthdata.com) as shipped inside the ``pyogrio`` package (a pinned dependency),
so it works offline. Natural Earth draws de facto boundaries; the map is not a standard map of China.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from coreduce.fileio import atomic_write
from coreduce.i18n import message
from coreduce.report.fonts import rc_params, resolve_language

GROUP_ZH = {"China": "中国", "Global South": "全球南方", "Global North": "全球北方", "World": "世界",
            "Global South excl. China": "全球南方（不含中国）"}  # fmt: skip
FACTORS = ("population", "gdp_per_capita", "energy_intensity", "carbon_intensity")
STATE_COLOURS = {
    "strong decoupling": "#1a9850", "weak decoupling": "#91cf60", "expansive coupling": "#fee08b",
    "expansive negative decoupling": "#fc8d59", "strong negative decoupling": "#d73027",
    "weak negative decoupling": "#f46d43", "recessive coupling": "#d9d9d9", "recessive decoupling": "#74add1",
}  # fmt: skip


class WorldMapError(RuntimeError):
    """The offline world boundaries cannot be found."""


def _group(name: str, lang: str) -> str:
    if lang == "zh":
        from coreduce.geo.countries import by_iso3, resolve_country

        if name in GROUP_ZH:
            return GROUP_ZH[name]
        try:
            return by_iso3()[resolve_country(name).iso3].name_zh
        except (LookupError, ValueError):
            return name
    return name


def _figure(lang: str, size=(7.5, 4.2)) -> tuple[Figure, str]:
    choice = resolve_language(lang)
    plt.rcParams.update(rc_params(choice))
    return plt.figure(figsize=size), choice.lang


def trends_figure(result, lang: str = "en") -> Figure:
    """Per-capita CO2 (left) and CO2 per GDP (right) of each group over the years."""
    fig, lang = _figure(lang)
    axes = fig.subplots(1, 2)
    series = result.series
    for group, part in series.groupby("group", sort=False):
        axes[0].plot(part["year"], part["co2_per_capita"], label=_group(group, lang))
        axes[1].plot(part["year"], part["co2_per_gdp"], label=_group(group, lang))
    axes[0].set_ylabel(message("world.label.co2_per_capita", lang))
    axes[1].set_ylabel(message("world.label.co2_per_gdp", lang))
    axes[0].legend(frameon=False)
    fig.tight_layout()
    return fig


def kaya_figure(result, lang: str = "en") -> Figure:
    """Stacked Kaya effects (Mt) of each group, with the total change marked."""
    fig, lang = _figure(lang)
    ax = fig.subplots()
    effects = result.effects.drop_duplicates("group", keep="last").set_index("group")
    bottom_pos = pd.Series(0.0, index=effects.index)
    bottom_neg = pd.Series(0.0, index=effects.index)
    labels = [_group(g, lang) for g in effects.index]
    for factor in FACTORS:
        values = effects[factor]
        base = bottom_pos.where(values >= 0, bottom_neg)
        ax.bar(labels, values, bottom=base, label=message(f"world.factor.{factor}", lang))
        bottom_pos += values.clip(lower=0)
        bottom_neg += values.clip(upper=0)
    ax.scatter(labels, effects["change"], color="black", zorder=3, label=message("world.label.change", lang))
    ax.axhline(0, color="grey", linewidth=0.6)
    ax.set_ylabel(message("world.label.effect", lang))
    ax.legend(frameon=False, fontsize=7)
    fig.tight_layout()
    return fig


def world_shapes():
    """Natural Earth 1:110m countries with an ``iso3`` column (names resolved where Natural Earth gives -99)."""
    import geopandas as gpd
    import pyogrio

    from coreduce.geo.countries import UnknownCountryError, resolve_country

    path = Path(pyogrio.__file__).parent / "tests" / "fixtures" / "naturalearth_lowres" / "naturalearth_lowres.shp"
    if not path.exists():
        raise WorldMapError(f"{path}: Natural Earth boundaries not found in the installed pyogrio package")
    shapes = gpd.read_file(path)

    def code(row) -> str | None:
        if row["iso_a3"] != "-99":
            return row["iso_a3"]
        try:
            return resolve_country(row["name"]).iso3
        except (UnknownCountryError, ValueError):
            return None

    shapes["iso3"] = shapes.apply(code, axis=1)
    return shapes


def decoupling_map(result, lang: str = "en") -> Figure:
    """World map of every country's Tapio state over the period (grey: no data)."""
    from matplotlib.patches import Patch

    fig, lang = _figure(lang, size=(9, 4.8))
    ax = fig.subplots()
    shapes = world_shapes().merge(result.countries, left_on="iso3", right_on="geo", how="left")
    shapes.plot(ax=ax, color="#f0f0f0", edgecolor="white", linewidth=0.3)
    for state, colour in STATE_COLOURS.items():
        part = shapes[shapes["state"] == state]
        if len(part):
            part.plot(ax=ax, color=colour, edgecolor="white", linewidth=0.3)
    present = [s for s in STATE_COLOURS if (result.countries["state"] == s).any()]
    names = dict(zip(result.countries["state"], result.countries["state_zh"], strict=False))
    handles = [Patch(color=STATE_COLOURS[s], label=names[s] if lang == "zh" else s) for s in present]
    ax.legend(handles=handles, loc="lower left", frameon=False, fontsize=7)
    ax.set_axis_off()
    ax.set_title(message("world.label.map_caption", lang), fontsize=8)
    fig.tight_layout()
    return fig


def inequality_figure(result, lang: str = "en") -> Figure:
    """Dagum Gini and its three parts over the years; Theil T beside it."""
    fig, lang = _figure(lang)
    axes = fig.subplots(1, 2)
    g = result.gini
    _columns(axes[0], g, ("G", "G_w", "G_nb", "G_t"), message("world.label.gini", lang))
    _columns(axes[1], g, ("theil", "theil_between", "theil_within"), "Theil T")
    fig.tight_layout()
    return fig


def _columns(ax, frame: pd.DataFrame, columns: tuple[str, ...], ylabel: str) -> None:
    """One line per column of ``frame`` against its ``year``, labelled with the column name."""
    for column in columns:
        ax.plot(frame["year"], frame[column], label=column)
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False)


def position_figure(result, lang: str = "en") -> Figure:
    """China's per-capita CO2 against the Global South (excl. China) interquartile and 10–90 % bands."""
    fig, lang = _figure(lang)
    ax = fig.subplots()
    p = result.position[result.position["measure"] == "co2_per_capita"]
    ax.fill_between(p["year"], p["south_p10"], p["south_p90"], color="#c6dbef", label="p10–p90")
    ax.fill_between(p["year"], p["south_p25"], p["south_p75"], color="#6baed6", label="p25–p75")
    ax.plot(p["year"], p["south_p50"], color="#08519c", label=message("world.label.median", lang))
    ax.plot(p["year"], p["china"], color="#cb181d", linewidth=2, label=_group("China", lang))
    ax.plot(p["year"], p["north"], color="grey", linestyle="--", label=_group("Global North", lang))
    ax.set_ylabel(message("world.label.co2_per_capita", lang))
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def save(fig: Figure, path: Path) -> Path:
    """Write ``fig`` atomically (format from the suffix) and close it."""
    path = Path(path)
    with atomic_write(path) as tmp:
        fig.savefig(tmp, format=path.suffix.lstrip(".") or "png", bbox_inches="tight")
    plt.close(fig)
    return path
