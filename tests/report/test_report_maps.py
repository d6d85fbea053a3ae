import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PatchCollection

from coreduce.geo import provinces
from coreduce.report.maps import OTHER_UNITS, choropleth, map_shapes


@pytest.fixture(scope="module")
def shapes(shared_data):
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
    main, _inset, bar = fig.axes
    hatched = [c for c in main.collections if c.get_hatch()]
    # Tibet, Taiwan, Hong Kong and Macao are drawn as "no data", not coloured as a value
    assert sum(len(c.get_paths()) for c in hatched) >= 4
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
