"""Regional imbalance and obstacle analyses on a synthetic panel (the methods are checked in tests/methods)."""

import numpy as np
import pandas as pd
import pytest
from inequality.gini import Gini
from inequality.theil import TheilD

from coreduce.analysis.imbalance import imbalance, measure_from_panel
from coreduce.analysis.nqpf import nqpf_index
from coreduce.analysis.obstacles import obstacles
from coreduce.geo import load_grouping
from coreduce.methods.dagum import InequalityError
from helpers.panels import nqpf_panel


@pytest.fixture(scope="module")
def panel():
    return nqpf_panel()


def test_imbalance_of_nqpf_by_four_regions(panel):
    index = nqpf_index(panel, years=(2010, 2022)).to_frame()
    res = imbalance(index, "overall")
    table = res.to_frame()
    assert list(table.index) == list(range(2010, 2023))
    np.testing.assert_allclose(table["G_w"] + table["G_nb"] + table["G_t"], table["G"], atol=1e-14)
    group_of = load_grouping("four_regions").group_of()
    one = index[index["year"] == 2015]
    assert table.loc[2015, "G"] == pytest.approx(Gini(one["overall"].to_numpy()).g)
    theil = TheilD(one["overall"].to_numpy(), one["geo"].map(group_of).to_numpy())
    assert res.to_frame("theil").loc[2015, "T_between"] == pytest.approx(float(np.squeeze(theil.bg)))
    matrix = res.to_frame("matrix")
    assert set(matrix["region_a"]) == {"East", "Central", "West", "Northeast"}
    kde = res.to_frame("kde")
    assert kde.groupby("year").size().eq(50).all()
    beta = res.to_frame("beta")
    assert set(beta["region"]) == {"All", "East", "Central", "West", "Northeast"}
    assert "λ = −ln(1+β)/T" in res.conventions["β-convergence"]


def test_emission_intensity_measure(panel):
    frame = measure_from_panel(panel, "co2_ceads / gdp", name="co2_intensity")
    assert set(frame.columns) == {"geo", "year", "co2_intensity"}
    res = imbalance(frame, "co2_intensity", kernel="gaussian", bandwidth="scott")
    assert "gaussian" in res.conventions["kernel density"]


def test_region_with_one_member_is_a_clear_error(panel, tmp_path):
    index = nqpf_index(panel, "long").to_frame()
    grouping = tmp_path / "g.toml"
    from coreduce.geo import provinces

    names = [p.name_en for p in provinces()]
    grouping.write_text(
        '[groups.Capital]\nmembers = ["Beijing"]\n[groups.Rest]\nmembers = ['
        + ", ".join(f'"{n}"' for n in names if n != "Beijing")
        + "]\n"
    )
    with pytest.raises(InequalityError, match="group 'Capital' has 1 member"):
        imbalance(index, "overall", grouping=str(grouping))
    with pytest.raises(InequalityError, match="lacks column"):
        imbalance(index, "nonexistent")


def test_obstacles_sum_to_one_and_rank(panel):
    res = obstacles(panel, "long", normalisation="pooled")
    degree = res.to_frame()
    np.testing.assert_allclose(degree.sum(axis=1), 1.0)
    dims = res.to_frame("dimensions")
    assert list(dims.columns) == ["energy", "industry", "technology"]
    np.testing.assert_allclose(dims.sum(axis=1), 1.0)
    top = res.to_frame("top")
    assert top.groupby(["geo", "year"]).size().max() == 3
    first = top.iloc[0]
    assert first["obstacle"] == pytest.approx(degree.loc[(first["geo"], first["year"])].max())
    assert "obstacle degree" in res.conventions
    yearly = obstacles(panel, "long", normalisation="yearly")
    np.testing.assert_allclose(yearly.to_frame().sum(axis=1), 1.0)


def test_imbalance_reports_missing_values():
    frame = pd.DataFrame({"geo": ["110000", "120000"], "year": [2010, 2010], "v": [np.nan, np.nan]})
    with pytest.raises(InequalityError, match="no province-year"):
        imbalance(frame, "v")


def test_conditional_beta_convergence_with_panel_controls(panel):
    from coreduce.analysis.imbalance import with_controls
    from coreduce.methods.convergence import beta_convergence

    index = nqpf_index(panel, "long").to_frame()
    frame = with_controls(index, panel, ["log(gdp / population)", "va_secondary / gdp"])
    assert {"log(gdp / population)", "va_secondary / gdp"} <= set(frame.columns)
    res = imbalance(frame, "overall", controls=["log(gdp / population)", "va_secondary / gdp"])
    beta = res.to_frame("beta").set_index(["region", "form"])
    direct = beta_convergence(
        frame, "overall", controls=["log(gdp / population)", "va_secondary / gdp"], fixed_effects=True
    )
    assert beta.loc[("All", "conditional"), "beta"] == pytest.approx(direct.beta)
    assert "controls log(gdp / population), va_secondary / gdp" in " ".join(res.conventions["β-convergence"].split())
    with pytest.raises(InequalityError, match="clashes"):
        with_controls(frame, panel, ["va_secondary / gdp"])


def test_bad_measure_values_name_the_measure_and_year(panel):
    frame = measure_from_panel(panel, "gdp - 1500", name="shifted")  # some provinces fall below zero
    first = frame.loc[frame["shifted"] < 0, "year"].min()
    with pytest.raises(InequalityError, match=rf"'shifted' in {first}: values must be non-negative"):
        imbalance(frame, "shifted")
    flat = frame.assign(shifted=1.0)
    with pytest.raises(InequalityError, match="'shifted' in 2006: all values are equal"):
        imbalance(flat, "shifted")


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"kernel": "box"}, "kernel must be one of"),
        ({"bandwidth": "wide"}, "bandwidth must be one of"),
        ({"bandwidth": -1.0}, "bandwidth must be one of"),
        ({"span": 0}, "span must be at least 1"),
        ({"kde_points": 1}, "kde_points must be at least 2"),
    ],
)
def test_bad_options_are_refused_before_any_work(option, message):
    frame = pd.DataFrame({"geo": ["110000", "120000"], "year": [2010, 2010], "v": [1.0, 2.0]})
    with pytest.raises(InequalityError, match=message):
        imbalance(frame, "v", **option)


def test_a_varying_sample_is_noted(panel):
    frame = measure_from_panel(panel, "co2_ceads / gdp", name="intensity")
    frame = frame[~((frame["geo"] == "110000") & (frame["year"] == 2012))]
    res = imbalance(frame, "intensity")
    assert res.to_frame().loc[2012, "n"] == 30
    assert res.notes == [
        "the number of provinces varies from 30 to 31 (fewer in 2012): each year's measures cover the provinces "
        "with a value that year"
    ]


def test_bootstrap_intervals_by_year(panel):
    index = nqpf_index(panel, "long", years=(2010, 2012)).to_frame()
    res = imbalance(index, "overall", bootstrap=199, seed=3)
    boot = res.to_frame("bootstrap")
    assert set(boot.index.get_level_values("year")) == {2010, 2011, 2012}
    g = boot.xs("G", level="component")
    np.testing.assert_allclose(g["estimate"], res.to_frame()["G"])
    assert (g["lower"] < g["estimate"]).all() and (g["estimate"] < g["upper"]).all()
    assert "199 resamples" in res.conventions["bootstrap"]
    with pytest.raises(InequalityError, match="bootstrap must be at least 2"):
        imbalance(index, "overall", bootstrap=1)
