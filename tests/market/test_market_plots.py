"""Every market figure draws from its result in both languages (English labels when no CJK font exists)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import pytest

from coreduce.market import MarketConventions, allocate, describe_units, plots, positions
from coreduce.market.simulate import clear, simulate
from helpers.market_samples import make_units


@pytest.fixture(scope="module")
def units():
    rows = [
        dict(unit_id=f"U{i}", fuel="coal", technology=tech, capacity_mw=cap, province=prov, heat_rate_btu_kwh=hr)
        for i, (tech, cap, prov, hr) in enumerate(
            [
                ("ultra-supercritical", 1000, "Jiangsu", 8000),
                ("subcritical", 300, "Shanxi", 9800),
                ("cfb", 135, "Inner Mongolia", 9500),
                ("supercritical", 600, "Guangdong", 8600),
                ("subcritical", 200, "Hebei", 10200),
            ]
        )
    ]
    return make_units(rows)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures(units, lang):
    import matplotlib.pyplot as plt

    open_before = plt.get_fignums()
    conv = MarketConventions(heat_rate_basis="gem")
    cleared = clear(units, conv)
    figures = [
        plots.capacity_figure(describe_units(units, conv), lang),
        plots.allocation_figure(allocate(units, conv), lang),
        plots.positions_figure(positions(units, conv), lang),
        plots.curves_figure(cleared, lang),
        plots.flows_figure(cleared, lang),
        plots.mac_figure(simulate(units, conv), lang),
    ]
    for fig in figures:
        assert (fig.axes and fig.axes[0].get_title()) or fig.axes[0].get_xlabel()
        fig.savefig(io.BytesIO(), format="png")
    assert plt.get_fignums() == open_before  # pyplot keeps none of them open
