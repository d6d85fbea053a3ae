"""Regional imbalance and obstacle analyses on a synthetic panel (the methods are checked in tests/methods)."""

import numpy as np
import pandas as pd
import pytest
from inequality.gini import Gini
from inequality.theil import TheilD

from coreduce.analysis.conventions import ProvinceConventions as C
from coreduce.analysis.imbalance import imbalance, measure_from_panel, regional_imbalance
from coreduce.analysis.nqpf import nqpf_index
from coreduce.analysis.obstacles import obstacles
from coreduce.conventions import ConventionError
from coreduce.geo import load_grouping
from coreduce.methods.dagum import InequalityError
from helpers.panels import nqpf_panel


@pytest.fixture(scope="module")
def panel():
    return nqpf_panel()


def test_imbalance_of_nqpf_by_four_regions(panel):
    index = nqpf_index(panel, C(start=2010)).to_frame()
    res = imbalance(index, "overall")
    table = res.to_frame()
    assert list(table.index) == list(range(2010, 2023))
    np.testing.assert_allclose(table["G_w"] + table["G_nb"] + table["G_t"], table["G"], atol=1e-14)
    group_of = load_grouping("four_regions").group_of()
    one = index[index["year"] == 2015]
    assert table.loc[2015, "G"] == pytest.approx(Gini(one["overall"].to_numpy()).g)
    theil = TheilD(one["overall"].to_numpy(), one["geo"].map(group_of).to_numpy())
    assert res.theil.loc[2015, "T_between"] == pytest.approx(float(np.squeeze(theil.bg)))
    matrix = res.matrix
    assert set(matrix["region_a"]) == {"East", "Central", "West", "Northeast"}
    kde = res.kde
    assert kde.groupby("year").size().eq(50).all()
    beta = res.beta
    assert set(beta["region"]) == {"All", "East", "Central", "West", "Northeast"}
    assert "λ = −ln(1+β)/T" in res.conventions_frame().set_index("key").loc["beta", "value"]


def test_emission_intensity_measure(panel):
    frame = measure_from_panel(panel, "co2_ceads / gdp", name="co2_intensity")
    assert set(frame.columns) == {"geo", "year", "co2_intensity"}
    res = imbalance(frame, "co2_intensity", C(start=2006, kernel="gaussian", bandwidth="scott"))
    assert (res.convention("kernel"), res.convention("bandwidth")) == ("gaussian", "scott")
    assert set(res.kde["year"]) == set(range(2006, 2023))


def test_the_measure_is_chosen_by_the_conventions(panel):
    by_formula = regional_imbalance(panel, C(measure="co2_ceads / gdp"))
    frame = measure_from_panel(panel, "co2_ceads / gdp")
    np.testing.assert_allclose(by_formula.dagum["G"], imbalance(frame, "co2_ceads / gdp").dagum["G"])
    nqpf = regional_imbalance(panel, C(start=2010))
    np.testing.assert_allclose(
        nqpf.dagum["G"], imbalance(nqpf_index(panel, C(start=2010)).scores, "overall", C(start=2010)).dagum["G"]
    )
    assert nqpf.measure == "overall" and by_formula.measure == "co2_ceads / gdp"


def test_region_with_one_member_is_a_clear_error(panel, tmp_path):
    index = nqpf_index(panel, C(system="long", start=2006)).to_frame()
    grouping = tmp_path / "g.toml"
    from coreduce.geo import provinces

    names = [p.name_en for p in provinces()]
    grouping.write_text(
        '[groups.Capital]\nmembers = ["Beijing"]\n[groups.Rest]\nmembers = ['
        + ", ".join(f'"{n}"' for n in names if n != "Beijing")
        + "]\n"
    )
    with pytest.raises(InequalityError, match="group 'Capital' has 1 member"):
        imbalance(index, "overall", C(grouping=str(grouping)))
    with pytest.raises(InequalityError, match="lacks column"):
        imbalance(index, "nonexistent")


def test_obstacles_sum_to_one_and_rank(panel):
    res = obstacles(panel, C(system="long", normalisation="pooled"))
    degree = res.to_frame()
    np.testing.assert_allclose(degree.sum(axis=1), 1.0)
    dims = res.dimensions
    assert list(dims.columns) == ["energy", "industry", "technology"]
    np.testing.assert_allclose(dims.sum(axis=1), 1.0)
    top = res.top
    assert top.groupby(["geo", "year"]).size().max() == 3
    first = top.iloc[0]
    assert first["obstacle"] == pytest.approx(degree.loc[(first["geo"], first["year"])].max())
    assert res.convention("obstacle_degree") == "before_zero_rule"
    yearly = obstacles(panel, C(system="long", normalisation="yearly"))
    np.testing.assert_allclose(yearly.to_frame().sum(axis=1), 1.0)


def test_imbalance_reports_missing_values():
    frame = pd.DataFrame({"geo": ["110000", "120000"], "year": [2010, 2010], "v": [np.nan, np.nan]})
    with pytest.raises(InequalityError, match="no province-year"):
        imbalance(frame, "v")


def test_conditional_beta_convergence_with_panel_controls(panel):
    from coreduce.analysis.imbalance import with_controls
    from coreduce.methods.convergence import beta_convergence

    index = nqpf_index(panel, C(system="long", start=2006)).to_frame()
    frame = with_controls(index, panel, ["log(gdp / population)", "va_secondary / gdp"])
    assert {"log(gdp / population)", "va_secondary / gdp"} <= set(frame.columns)
    res = imbalance(frame, "overall", C(start=2006), controls=["log(gdp / population)", "va_secondary / gdp"])
    beta = res.beta.set_index(["region", "form"])
    direct = beta_convergence(
        frame, "overall", controls=["log(gdp / population)", "va_secondary / gdp"], fixed_effects=True
    )
    assert beta.loc[("All", "conditional"), "beta"] == pytest.approx(direct.beta)
    assert res.convention("beta_controls") == ("log(gdp / population)", "va_secondary / gdp")
    with pytest.raises(InequalityError, match="clashes"):
        with_controls(frame, panel, ["va_secondary / gdp"])


def test_bad_measure_values_name_the_measure_and_year(panel):
    frame = measure_from_panel(panel, "gdp - 1500", name="shifted")  # some provinces fall below zero
    first = frame.loc[frame["shifted"] < 0, "year"].min()
    with pytest.raises(InequalityError, match=rf"'shifted' in {first}: values must be non-negative"):
        imbalance(frame, "shifted", C(start=2006))
    flat = frame.assign(shifted=1.0)
    with pytest.raises(InequalityError, match="'shifted' in 2006: all values are equal"):
        imbalance(flat, "shifted", C(start=2006))


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"kernel": "box"}, "'kernel' = 'box'"),
        ({"bandwidth": "wide"}, "one of stata, silverman, scott or a positive number"),
        ({"bandwidth": -1.0}, "one of stata, silverman, scott or a positive number"),
        ({"span": 0}, "'span' = 0 .* at least 1"),
        ({"kde_points": 1}, "'kde_points' = 1 .* at least 2"),
    ],
)
def test_bad_options_are_refused_before_any_work(option, message):
    with pytest.raises(ConventionError, match=message):
        C(**option)


def test_a_varying_sample_is_noted(panel):
    frame = measure_from_panel(panel, "co2_ceads / gdp", name="intensity")
    frame = frame[~((frame["geo"] == "110000") & (frame["year"] == 2012))]
    res = imbalance(frame, "intensity")
    assert res.to_frame().loc[2012, "n"] == 30
    assert res.notes_text() == [
        "the number of provinces varies from 30 to 31 (fewer in 2012): each year's measures cover the provinces "
        "with a value that year"
    ]


def test_bootstrap_intervals_by_year(panel):
    index = nqpf_index(panel, C(system="long", start=2010, end=2012)).to_frame()
    res = imbalance(index, "overall", C(start=2010, end=2012, bootstrap=199, seed=3))
    boot = res.bootstrap
    assert set(boot.index.get_level_values("year")) == {2010, 2011, 2012}
    g = boot.xs("G", level="component")
    np.testing.assert_allclose(g["estimate"], res.to_frame()["G"])
    assert (g["lower"] < g["estimate"]).all() and (g["estimate"] < g["upper"]).all()
    assert (res.convention("bootstrap"), res.convention("seed")) == (199, 3)
    with pytest.raises(ConventionError, match="at least 2 replicates"):
        C(bootstrap=1)
