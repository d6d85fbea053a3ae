"""The map of trades of a carbon-market clearing, drawn on the shared China map (report.maps.choropleth)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from coreduce.market import MarketConventions
from coreduce.market.simulate import clear
from coreduce.report.figures.market import largest_flows, net_bought, trades_map
from helpers.market_samples import make_units


def test_net_bought_and_largest_flows_are_sums_of_the_flow_table():
    flows = pd.DataFrame(
        [[5.0, 30.0, 0.0], [0.0, 0.0, 12.5], [7.0, 0.0, 1.0]],
        index=["Shanxi", "Jiangsu", "Inner Mongolia"],
        columns=["Shanxi", "Jiangsu", "Inner Mongolia"],
    ).rename_axis(index="seller_province", columns="buyer_province")
    net = net_bought(flows)
    # Jiangsu buys 30 from Shanxi and sells 12.5 to Inner Mongolia: 30 − 12.5 = 17.5; Shanxi 7 − 30 = −23;
    # Inner Mongolia 12.5 − 7 = 5.5; the net sums to zero (every tonne bought is sold); own trades cancel
    assert net.to_dict() == pytest.approx({"Jiangsu": 17.5, "Shanxi": -23.0, "Inner Mongolia": 5.5})
    top = largest_flows(flows, 2)
    assert top[["seller", "buyer"]].values.tolist() == [["Shanxi", "Jiangsu"], ["Jiangsu", "Inner Mongolia"]]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_trades_map_draws_an_arrow_per_flow_inside_the_map(shared_data, lang):
    rows = [
        dict(unit_id=f"U{i}", fuel="coal", technology=tech, capacity_mw=cap, province=prov, heat_rate_btu_kwh=hr)
        for i, (tech, cap, prov, hr) in enumerate(
            [("ultra-supercritical", 1000, "Jiangsu", 8000), ("subcritical", 300, "Shanxi", 9800),
             ("cfb", 135, "Inner Mongolia", 9500), ("supercritical", 600, "Guangdong", 8600),
             ("subcritical", 200, "Hebei", 10200)]
        )
    ]  # fmt: skip
    result = clear(make_units(rows), MarketConventions(heat_rate_basis="gem"))
    fig = trades_map(result, lang)
    ax = fig.axes[0]
    arrows = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    expected = largest_flows(result.flows, 25)
    assert len(arrows) == len(expected) > 0
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for arrow in arrows:  # both ends inside the map frame, in the map's own coordinates
        for x, y in (arrow.xy, arrow.xyann):
            assert x0 <= x <= x1 and y0 <= y <= y1


def test_province_points_lie_inside_their_province_in_the_map_projection():
    from pyproj import Transformer
    from shapely import Point

    from coreduce.report.maps import ALBERS, map_shapes, province_points, to_map_crs

    points = province_points(["110000", "650000", "460000"])
    shapes = to_map_crs(map_shapes()).set_index("code")["geometry"]
    back = Transformer.from_crs(ALBERS, 4326, always_xy=True)
    for code, (x, y) in points.items():
        assert abs(x) > 1_000 or abs(y) > 1_000  # projected metres, not degrees
        assert shapes[code].contains(Point(x, y))
    lon, lat = back.transform(*points["110000"])
    assert 115.4 < lon < 117.6 and 39.4 < lat < 41.1  # Beijing's extent in longitude/latitude
