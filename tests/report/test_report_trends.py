"""The trend sections on a synthetic panel: figures, gaps kept visible, and numbers equal to the metrics'."""

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection

from coreduce.geo import provinces
from coreduce.methods.intensity import intensity
from coreduce.report import build_report, make_report
from coreduce.report.html import format_number

pytest.importorskip("coreduce.analysis.trends")


@pytest.fixture(scope="module")
def rich_report(tmp_path_factory, rich_panel):
    return build_report(rich_panel, tmp_path_factory.mktemp("report-rich"), lang="en", formats=("html",))


@pytest.mark.slow
def test_trend_sections_have_their_figures(rich_report):
    keys = [f.key for f in rich_report.report.figures]
    assert keys[:3] == ["fig1_framework", "fig2_national_trends", "fig3_regional_trends"]
    # the synthetic population is constant, so ln_population is absorbed by the province effects: the NQPF-effect
    # section says so instead of the report failing; every other section is built
    omitted = rich_report.omitted
    assert list(omitted) in ([], ["NQPF and pollution–carbon coordination: what the data show"])
    assert all("could not be estimated" in reason for reason in omitted.values())


@pytest.mark.slow
def test_national_2008_co2_intensity_shown_equals_the_metrics_value(rich_report, rich_panel):
    codes = [p.code for p in provinces()]
    gdp = rich_panel.wide(["gdp"], codes).xs(2008, level="year")["gdp"].sum()
    co2 = rich_panel.wide(["co2_gcb"], ["100000"]).loc[("100000", 2008), "co2_gcb"]
    expected = float(intensity(pd.Series([co2]), pd.Series([gdp]))[0])
    table = pd.read_csv(rich_report.out_dir / "tables" / "table_national_trends.csv")
    shown = table.loc[table["indicator"] == "CO2 intensity", "start"].item()
    assert shown == pytest.approx(expected, rel=1e-12)
    markup = rich_report.files["html"].read_text(encoding="utf-8")
    assert f'<td class="num">{format_number(expected)}</td>' in markup


@pytest.mark.slow
def test_missing_years_break_the_line_and_are_marked(rich_report):
    fig = next(f for f in rich_report.report.figures if f.key == "fig2_national_trends").figure
    co2_axes = fig.axes[0]
    line, markers = co2_axes.lines[:2]
    years, values = line.get_data()
    assert np.isnan(values[list(years).index(2015)])  # no value drawn across the gap
    assert list(markers.get_xdata()) == [2015]
    assert any("missing: 2015" in t.get_text() for t in co2_axes.texts)
    pm25_axes = fig.axes[4]
    assert list(pm25_axes.lines[1].get_xdata()) == [2022]


@pytest.mark.slow
def test_missing_data_tables_name_series_and_years(rich_report):
    national = pd.read_csv(rich_report.out_dir / "tables" / "table_national_missing.csv")
    assert "pm25_aqli" in set(national["series"])
    regional = pd.read_csv(rich_report.out_dir / "tables" / "table_regional_missing.csv")
    assert "PM2.5 exists only for China" in " ".join(regional["reason"])


@pytest.mark.slow
def test_figure_data_is_the_plotted_series(rich_report):
    data = pd.read_csv(rich_report.out_dir / "data" / "fig3_regional_trends.csv")
    assert set(data["geo"]) == {"East", "Central", "West", "Northeast"}
    west_2012 = data[(data["geo"] == "West") & (data["year"] == 2012) & (data["indicator"] == "so2_intensity")]
    assert west_2012["value"].isna().all()  # Tibet lacks SO2 in 2012, so the West has no total that year


def test_sections_whose_series_are_absent_are_omitted_with_a_visible_note(small_panel):
    report, _ = make_report(small_panel, lang="en")
    omitted = {s.key: s.omitted for s in report.sections if s.omitted}
    assert "national_trends" in omitted and "regional_trends" in omitted
    assert re.search(r"no series .*co2_ceads_energy", omitted["national_trends"])
    assert re.search(r"no series .*energy_total", omitted["drivers"])
    assert all(not s.figures for s in report.sections if s.omitted)


@pytest.mark.slow
def test_status_sections_have_maps_scatter_coupling_and_lmdi(rich_report):
    keys = [f.key for f in rich_report.report.figures]
    for key in (
        "fig4a_map_co2_intensity",
        "fig4b_map_so2_intensity",
        "fig4c_map_costatus",
        "fig5_cocontrol_coordinates",
        "fig6_coupling_coordination",
        "fig7_lmdi_channels",
    ):
        assert key in keys


@pytest.mark.slow
def test_map_values_are_the_metrics_intensities(rich_report, rich_panel):
    data = pd.read_csv(rich_report.out_dir / "data" / "fig4a_map_co2_intensity.csv", dtype={"geo": str})
    beijing = rich_panel.wide(["co2_ceads_energy", "gdp"], ["110000"]).loc[("110000", 2022)]
    expected = float(intensity(pd.Series([beijing["co2_ceads_energy"]]), pd.Series([beijing["gdp"]]))[0])
    assert data.set_index("geo").loc["110000", "value"] == pytest.approx(expected, rel=1e-12)
    assert len(data) == 31


@pytest.mark.slow
def test_cocontrol_scatter_has_a_point_per_province(rich_report):
    fig = next(f for f in rich_report.report.figures if f.key == "fig5_cocontrol_coordinates").figure
    points = sum(len(c.get_offsets()) for c in fig.axes[0].collections if isinstance(c, PathCollection))
    assert points == 31
    status = next(f for f in rich_report.report.figures if f.key == "fig4c_map_costatus")
    legend = [t.get_text() for t in status.figure.axes[0].get_legend().get_texts()]
    quadrants = {q for q in status.data["quadrant"]}
    assert len(legend) == len(quadrants & {"I", "II", "III", "IV", "axis"}) + 1  # + "no data"


@pytest.mark.slow
def test_lmdi_waterfall_steps_add_up_to_the_change(rich_report):
    fig = next(f for f in rich_report.report.figures if f.key == "fig7_lmdi_channels")
    nation = fig.data[fig.data["level"] == "nation"].iloc[0]
    bars = fig.figure.axes[0].patches
    heights = [b.get_height() for b in bars]
    assert heights[0] == pytest.approx(nation["V0"])
    assert heights[-1] == pytest.approx(nation["V1"])
    from coreduce.analysis.drivers import FACTORS

    steps = nation[[f for f in FACTORS if f in fig.data.columns]]
    assert sum(heights[1:-1]) == pytest.approx(steps.abs().sum())
    assert nation["V0"] + steps.sum() == pytest.approx(nation["V1"])  # additive LMDI is exact


@pytest.mark.slow
def test_nqpf_section_ranks_every_province_and_decomposes_the_gini(rich_report):
    pytest.importorskip("coreduce.analysis.nqpf")
    ranking = pd.read_csv(rich_report.out_dir / "tables" / "table_nqpf_ranking.csv", dtype={"geo": str})
    assert list(ranking["rank"]) == list(range(1, 32))
    assert ranking["overall"].is_monotonic_decreasing
    fig = next(f for f in rich_report.report.figures if f.key == "fig8_nqpf_ranking").figure
    bars = fig.axes[0].patches
    assert len(bars) == 31
    # the longest bar is the first-ranked province
    assert max(b.get_width() for b in bars) == pytest.approx(ranking["overall"].iloc[0])
    if "fig9_dagum" in [f.key for f in rich_report.report.figures]:
        dagum = pd.read_csv(rich_report.out_dir / "tables" / "table_dagum.csv")
        # Dagum (1997): G = G_w + G_nb + G_t, shares add to one
        assert np.allclose(dagum["G_w"] + dagum["G_nb"] + dagum["G_t"], dagum["G"])
        assert np.allclose(dagum[["share_G_w", "share_G_nb", "share_G_t"]].sum(axis=1), 1)


def test_the_report_runs_every_analysis_with_the_conventions_given(rich_panel):
    from coreduce.analysis.conventions import ProvinceConventions

    report, _ = make_report(rich_panel, lang="en", conventions=ProvinceConventions(start=2010, end=2020))
    national = next(s for s in report.sections if s.key == "national_trends")
    data = national.figures[0].data
    assert (data["year"].min(), data["year"].max()) == (2010, 2020)
    for section in report.sections:
        if section.conventions and section.key != "market":  # the market section records MarketConventions
            assert (section.conventions["First year"], section.conventions["Last year"]) == ("2010", "2020")


def test_cocontrol_scatter_names_every_point_clear_of_the_other_names_and_points_the_same_each_run():
    """A crowd of 25 provinces: every name is drawn, no two names overlap, no name covers a point, every name
    stays inside the axes, and a second figure places them the same."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from coreduce.report.figures.costatus import MARKER_SIZE, cocontrol_scatter

    rng = np.random.default_rng(7)
    codes = [p.code for p in provinces()][:25]
    frame = pd.DataFrame(
        {
            "geo": codes,
            "reduction_pollutant": 0.7 + 0.03 * rng.standard_normal(len(codes)),
            "reduction_co2": -0.3 + 0.03 * rng.standard_normal(len(codes)),
        }
    )
    fig = cocontrol_scatter(frame, "en", "SO$_2$", {})
    fig.set_dpi(300)  # measured as the PNG is drawn
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax = fig.axes[0]
    names = ax.texts[4:]  # after the four quadrant names
    assert len(names) == 25
    boxes = np.array([t.get_window_extent(renderer).extents for t in names])
    points = ax.transData.transform(frame[["reduction_pollutant", "reduction_co2"]].to_numpy() * 100)
    radius = np.sqrt(MARKER_SIZE) / 2 * 300 / 72
    dots = np.hstack([points - radius, points + radius])

    def overlap(a, b):
        return (
            (a[:, None, 0] < b[None, :, 2])
            & (b[None, :, 0] < a[:, None, 2])
            & (a[:, None, 1] < b[None, :, 3])
            & (b[None, :, 1] < a[:, None, 3])
        )

    assert not np.triu(overlap(boxes, boxes), k=1).any()
    assert not overlap(boxes, dots).any()
    frame_box = ax.get_window_extent(renderer)
    assert (boxes[:, :2] >= (frame_box.x0, frame_box.y0)).all() and (boxes[:, 2:] <= (frame_box.x1, frame_box.y1)).all()
    again = cocontrol_scatter(frame, "en", "SO$_2$", {}).axes[0].texts[4:]
    assert [t.get_position() for t in again] == [t.get_position() for t in names]
