"""Choropleth maps of the 31 provinces, with the South China Sea islands in an inset.

Boundaries are the DataV province polygons (``boundaries_datav/datav_provinces_34.geojson`` in the public data
folder) made valid. Provinces without a value (and Taiwan, Hong Kong, Macao, which the panel does not cover)
are drawn hatched grey and listed in the legend as "no data": a missing value is never coloured as a value.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch

BOUNDARY_SOURCE = {
    "source": "datav_boundaries",
    "publisher": "Aliyun DataV GeoAtlas (TopoJSON via YipChunKit/China_map_topojson, converted to GeoJSON)",
    "title": "Province boundaries by adcode (34 provincial units), drawn in the maps after make_valid",
    "licence": "none stated",
    "citation": "DataV GeoAtlas, Alibaba Cloud; shared/data/PROVENANCE.md section 6",
    "files": "boundaries_datav/datav_provinces_34.geojson",
}
"""Attribution of the boundary file the maps are drawn from (printed with the panel sources)."""
OTHER_UNITS = ("710000", "810000", "820000")  # Taiwan, Hong Kong, Macao
MAIN_EXTENT = (73.0, 135.5, 17.5, 54.0)  # lon min, lon max, lat min, lat max of the main map
INSET_EXTENT = (105.5, 123.0, 3.0, 24.5)  # the South China Sea islands
NO_DATA = {"facecolor": "#eeeeee", "edgecolor": "#9a9a9a", "hatch": "////"}


@lru_cache(maxsize=1)
def map_shapes():
    """Polygons to draw: the 31 provinces (``coreduce.geo.boundaries.province_boundaries``) plus Taiwan, Hong
    Kong and Macao from the same file, which the panel does not cover and which are drawn as "no data".

    Columns ``code`` (GB/T 2260 text) and ``geometry``.
    """
    import geopandas as gpd

    from coreduce.geo.boundaries import PROVINCE_FILE, province_boundaries, read_zones
    from coreduce.paths import shared_data_dir

    provinces = province_boundaries()[["code", "geometry"]]
    zones = read_zones(shared_data_dir() / PROVINCE_FILE, "adcode")
    others = zones[zones["zone"].isin(OTHER_UNITS)].rename(columns={"zone": "code"})[["code", "geometry"]]
    frame = pd.concat([provinces, others.to_crs(provinces.crs)], ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=provinces.crs)


def _draw(
    ax, shapes, values: pd.Series, cmap, norm, categorical: dict[str, str] | None, width=0.4, edge="white"
) -> None:
    frame = shapes.assign(value=shapes["code"].map(values))
    missing = frame[frame["value"].isna()]
    present = frame[frame["value"].notna()]
    if not missing.empty:
        missing.plot(ax=ax, linewidth=width, **NO_DATA)
    if not present.empty:
        if categorical is not None:
            colours = present["value"].map(categorical)
            present.plot(ax=ax, color=colours, edgecolor=edge, linewidth=width)
        else:
            present.plot(ax=ax, column="value", cmap=cmap, norm=norm, edgecolor=edge, linewidth=width)
    ax.set_axis_off()
    ax.set_xlabel("")
    ax.set_ylabel("")


def choropleth(
    values: pd.Series,
    *,
    title: str = "",
    unit: str = "",
    cmap: str = "YlOrRd",
    categories: dict[str, str] | None = None,
    bins: list[float] | None = None,
    no_data_label: str = "no data",
    boundaries=None,
    figsize: tuple[float, float] = (7.5, 6.2),
) -> Figure:
    """Map ``values`` (indexed by GB/T province code) onto the provinces.

    Numbers get a continuous colour scale (or classes when ``bins`` are given) and a colour bar labelled with
    ``unit``; text values are drawn with the colours of ``categories`` (category → colour) and a legend.
    """
    shapes = map_shapes() if boundaries is None else boundaries
    values = values.copy()
    values.index = values.index.astype(str)
    unknown = sorted(set(values.index) - set(shapes["code"]))
    if unknown:
        raise ValueError(f"choropleth: codes with no boundary: {', '.join(unknown)}")
    values = values.dropna()

    fig = Figure(figsize=figsize)
    ax = fig.add_axes((0.01, 0.08, 0.98, 0.84))
    categorical = None
    cmap_obj = norm = None
    if categories is not None:
        stray = sorted(set(values) - set(categories))
        if stray:
            raise ValueError(f"choropleth: values without a colour in categories: {', '.join(map(str, stray))}")
        categorical = categories
    else:
        import matplotlib

        cmap_obj = matplotlib.colormaps[cmap]
        numbers = values.astype(float)
        if bins is not None:
            norm = BoundaryNorm(bins, cmap_obj.N, extend="both")
        else:
            low, high = (float(numbers.min()), float(numbers.max())) if len(numbers) else (0.0, 1.0)
            norm = Normalize(vmin=low, vmax=high if high > low else low + 1)
        values = numbers

    _draw(ax, shapes, values, cmap_obj, norm, categorical)
    ax.set_xlim(*MAIN_EXTENT[:2])
    ax.set_ylim(*MAIN_EXTENT[2:])
    ax.set_aspect(1 / np.cos(np.deg2rad(35)))
    if title:
        fig.suptitle(title, fontsize=11, y=0.97)

    inset = fig.add_axes((0.80, 0.10, 0.16, 0.25))
    _draw(inset, shapes, values, cmap_obj, norm, categorical, width=0.6, edge="#555555")
    inset.set_xlim(*INSET_EXTENT[:2])
    inset.set_ylim(*INSET_EXTENT[2:])
    inset.set_aspect(1 / np.cos(np.deg2rad(14)))
    inset.set_axis_on()
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_visible(True)
        spine.set_linewidth(0.6)

    handles = [Patch(label=no_data_label, **NO_DATA)]
    if categorical is not None:
        present = [c for c in categorical if c in set(values)]
        handles = [Patch(facecolor=categorical[c], edgecolor="white", label=str(c)) for c in present] + handles
        ax.legend(handles=handles, loc="lower left", frameon=False, fontsize=8)
    else:
        from matplotlib.cm import ScalarMappable

        cax = fig.add_axes((0.08, 0.07, 0.45, 0.025))
        bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap_obj), cax=cax, orientation="horizontal")
        bar.set_label(unit, fontsize=8)
        bar.ax.tick_params(labelsize=7)
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 0.06), frameon=False, fontsize=8)
    return fig
