import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib.collections import PatchCollection
from matplotlib.colors import to_rgba

from coreduce.geo import provinces
from coreduce.report.maps import (
    DASH_COLOUR,
    MAP_LAYERS,
    NO_DATA,
    OTHER_UNITS,
    choropleth,
    map_layers,
    map_shapes,
    to_map_crs,
)
from helpers.pdf import colour_pixels


@pytest.fixture(scope="module")
def shapes():
    return map_shapes()


def _facecolours(ax):
    return [
        tuple(np.round(c, 3))
        for coll in ax.collections
        if isinstance(coll, PatchCollection)
        for c in coll.get_facecolors()
    ]


def test_map_shapes_are_the_31_provinces_plus_taiwan_hong_kong_macao(shapes):
    assert len(shapes) == 34
    assert set(shapes["code"]) == {p.code for p in provinces()} | set(OTHER_UNITS)
    assert shapes.geometry.is_valid.all()


def test_numeric_choropleth_colours_provinces_and_hatches_the_missing(shapes):
    codes = [p.code for p in provinces()]
    values = pd.Series(np.arange(len(codes), dtype=float), index=codes).drop("540000")  # Tibet absent
    fig = choropleth(values, title="t", unit="t / 1e4 CNY", boundaries=shapes)
    main, inset, bar = fig.axes
    # Tibet, Taiwan, Hong Kong and Macao are drawn as "no data" (grey, hatched), not coloured as a value
    fills = [c for c in main.collections if isinstance(c, PatchCollection)]
    grey = [c for c in fills if np.allclose(c.get_facecolor(), to_rgba(NO_DATA["facecolor"]))]
    assert sum(len(c.get_paths()) for c in grey) == 4
    hatch = next(c for c in main.collections if c.get_gid() == "no-data-hatch")
    lines = shapely.multilinestrings([shapely.linestrings(seg) for seg in hatch.get_segments()])
    drawn = to_map_crs(shapes.set_index("code").geometry)
    assert drawn[["540000", "710000"]].intersects(lines).all()  # (Hong Kong and Macao are a few points wide)
    assert not drawn[["110000", "230000"]].intersects(lines).any()  # Beijing, Heilongjiang
    assert all(np.isclose(*np.abs(np.diff(seg, axis=0))[0]) for seg in hatch.get_segments())  # lines at 45°
    assert any(c.get_gid() == "inset-no-data-hatch" for c in inset.collections)  # Taiwan in the inset
    assert bar.get_xlim() == (0.0, 30.0)
    assert main.get_legend().get_texts()[0].get_text() == "no data"


def test_categorical_choropleth_legend_lists_only_present_categories(shapes):
    values = pd.Series({"110000": "co-reduction", "130000": "carbon only"})
    colours = {"co-reduction": "#2e7d32", "carbon only": "#2e75b6", "neither": "#b03a2e"}
    fig = choropleth(values, categories=colours, boundaries=shapes)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["co-reduction", "carbon only", "no data"]


def test_unknown_code_and_uncoloured_category_are_errors(shapes):
    with pytest.raises(ValueError, match="no boundary: 999999"):
        choropleth(pd.Series({"999999": 1.0}), boundaries=shapes)
    with pytest.raises(ValueError, match="without a colour in categories: other"):
        choropleth(pd.Series({"110000": "other"}), categories={"a": "red"}, boundaries=shapes)


def dash_pixels(png: bytes, box=(0, 0, 1, 1)) -> int:
    return colour_pixels(png, DASH_COLOUR, box)


def test_every_map_has_outline_provinces_ten_dash_line_inset_scale_bar_and_north_arrow(shapes):
    numeric = choropleth(pd.Series({"110000": 1.0, "460000": 2.0}), boundaries=shapes)
    status = choropleth(pd.Series({"110000": "a"}), categories={"a": "red"}, boundaries=shapes)
    for fig in (numeric, status):
        assert map_layers(fig) == MAP_LAYERS
        inset = next(ax for ax in fig.axes if ax.get_gid() == "south-china-sea-inset")
        dashes = next(c for c in inset.collections if c.get_gid() == "inset-ten-dash-line")
        assert len(dashes.get_segments()) == 10  # the ten dashes, all inside the inset's frame
        x0, x1 = inset.get_xlim()
        y0, y1 = inset.get_ylim()
        points = np.concatenate(dashes.get_segments())
        assert ((points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)).all()
    scale = [t.get_text() for t in numeric.axes[0].texts if t.get_gid() == "scale-bar"]
    assert scale == ["0", "500", "1000 km"]


def test_scale_bar_is_1000_km_long_in_the_projection(shapes):
    from pyproj import Geod

    fig = choropleth(pd.Series({"110000": 1.0}), boundaries=shapes)
    bars = [p for p in fig.axes[0].patches if p.get_gid() == "scale-bar"]
    assert sum(p.get_width() for p in bars) == pytest.approx(1_000_000)
    # the projection's scale along its standard parallel 25°N: 1000 projected km are 1000 km on the ellipsoid
    from coreduce.report.maps import _transformer

    x, y = _transformer().transform(105.0, 25.0)
    lon, _ = _transformer().transform(x + 1_000_000, y, direction="INVERSE")
    # (the parallel curves in the projection: compare with the chord to the point on the parallel)
    _, _, metres = Geod(ellps="WGS84").inv(105.0, 25.0, lon, 25.0)
    assert metres == pytest.approx(1_000_000, rel=0.01)


def test_ten_dash_line_is_drawn_in_the_inset_of_the_300_dpi_png(shapes):
    import io

    fig = choropleth(pd.Series({"110000": 1.0}), boundaries=shapes)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=300)
    inset = next(ax for ax in fig.axes if ax.get_gid() == "south-china-sea-inset").get_position()
    box = (inset.x0, 1 - inset.y1, inset.x1, 1 - inset.y0)
    assert dash_pixels(buffer.getvalue(), box) > 200
    assert dash_pixels(buffer.getvalue(), (0, 0, inset.x0, 1)) < dash_pixels(buffer.getvalue(), box)


def test_the_inset_draws_only_the_provinces_that_reach_it(shapes):
    import io

    codes = [p.code for p in provinces()]
    fig = choropleth(pd.Series(np.arange(31, dtype=float), index=codes), boundaries=shapes)
    main, inset, _bar = fig.axes
    drawn = sum(len(c.get_paths()) for c in inset.collections if isinstance(c, PatchCollection))
    everything = sum(len(c.get_paths()) for c in main.collections if isinstance(c, PatchCollection))
    # Hainan, Guangdong, Guangxi, Taiwan … reach the South China Sea inset; Xinjiang or Heilongjiang do not
    assert 4 <= drawn < everything
    svg = io.BytesIO()
    fig.savefig(svg, format="svg")
    assert b'id="inset-ten-dash-line"' in svg.getvalue() and b'id="inset-national-outline"' in svg.getvalue()
