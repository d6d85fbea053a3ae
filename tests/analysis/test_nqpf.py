"""The NQPF index: indicator systems, formulas, conventions and bad input."""

import numpy as np
import pandas as pd
import pytest

from coreduce.analysis.conventions import ProvinceConventions as C
from coreduce.analysis.nqpf import nqpf_index
from coreduce.conventions import ConventionError
from coreduce.indicators import FormulaError, IndicatorSystemError, load_system
from coreduce.indicators.formula import evaluate, variables
from coreduce.methods.entropy import entropy_weights
from coreduce.methods.scaling import IndicatorError
from coreduce.methods.topsis import topsis
from helpers.panels import nqpf_panel


@pytest.fixture(scope="module")
def panel():
    return nqpf_panel()


def test_builtin_systems_load():
    default = load_system()
    assert [d.key for d in default.dimensions] == ["technology", "industry", "energy"]
    assert "rd_expenditure" in default.variables
    assert len(default.missing) >= 5  # published indicators that lack data are documented
    long = load_system("long")
    assert "rd_expenditure" not in long.variables
    assert {i.key for i in long.indicators} < {i.key for i in default.indicators}


def test_formula_is_safe_arithmetic():
    frame = pd.DataFrame({"a": [2.0, 4.0], "b": [1.0, 2.0]})
    assert evaluate("(a + b) / b * 100", frame).tolist() == [300.0, 300.0]
    assert evaluate("-a ** 2", frame).tolist() == [-4.0, -16.0]
    assert variables("a / b + a") == ["a", "b"]
    for bad in ("__import__('os').system('x')", "a.b", "a[0]", "a < b", "'text'", "lambda: 1"):
        with pytest.raises(FormulaError):
            evaluate(bad, frame)
    with pytest.raises(FormulaError, match="needs variable"):
        evaluate("a / c", frame)


def test_system_file_errors_name_the_field(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        'name = "x"\n[[dimensions]]\nkey = "d"\nname_en = "D"\n'
        '[[indicators]]\nkey = "i1"\ndimension = "d"\nvariable = "gdp"\ndirection = "up"\n'
        '[[indicators]]\nkey = "i2"\ndimension = "d"\nvariable = "gdp"\ndirection = "+"\n'
    )
    with pytest.raises(IndicatorSystemError, match=r"bad.toml: indicator 'i1': direction must be"):
        load_system(path)
    text = path.read_text().replace('"up"', '"+"')
    path.write_text(text.replace('key = "i2"\ndimension = "d"', 'key = "i2"\ndimension = "e"'))
    with pytest.raises(IndicatorSystemError, match="dimension 'e' is not declared"):
        load_system(path)
    with pytest.raises(IndicatorSystemError, match="no such indicator system"):
        load_system(tmp_path / "absent.toml")


def test_indicator_naming_absent_variable(panel, tmp_path):
    path = tmp_path / "sys.toml"
    path.write_text(
        'name = "x"\n[[dimensions]]\nkey = "d"\nname_en = "D"\n'
        '[[indicators]]\nkey = "digital"\ndimension = "d"\nformula = "broadband_ports / population"\ndirection = "+"\n'
        '[[indicators]]\nkey = "gdp_pc"\ndimension = "d"\nformula = "gdp / population"\ndirection = "+"\n'
    )
    with pytest.raises(IndicatorSystemError, match=r"indicator 'digital' .* needs variable\(s\) broadband_ports"):
        nqpf_index(panel, C(system=str(path)))


def test_entropy_topsis_index_by_hand(panel):
    res = nqpf_index(panel, C(nqpf_method="entropy-topsis", start=2010, zero_rule="limit"))
    z = res.standardised
    w = entropy_weights(z).weight
    np.testing.assert_allclose(res.weights["weight"], w)
    expected = topsis(z, w, normalisation="none")["score"].to_numpy()
    np.testing.assert_allclose(res.to_frame()["overall"], expected)
    assert res.to_frame()["year"].min() == 2010
    assert {"nqpf_method", "normalisation", "zero_rule", "epsilon", "system"} <= {r.key for r in res.conventions}
    assert res.to_frame()["region"].notna().all()


def test_linear_dimension_scores_add_up(panel):
    res = nqpf_index(panel, C(system="long", nqpf_method="entropy", normalisation="yearly", start=2006))
    table = res.to_frame()
    np.testing.assert_allclose(table[["technology", "industry", "energy"]].sum(axis=1), table["overall"])
    weights = res.weights
    assert weights.groupby("year")["weight"].sum().to_numpy() == pytest.approx(np.ones(17))
    assert "within each year" in res.conventions_frame().set_index("key").loc["normalisation", "value"]


def test_missing_inputs_are_reported_and_the_rule_recorded(panel):
    p = nqpf_panel(drop={("110000", 2012, "rd_expenditure"), ("540000", 2015, "coal_share")})
    res = nqpf_index(p, C(start=2010, nqpf_missing="complete"))
    first = res.missing[0]
    assert (first.series, first.geo, first.years) == ("rd_expenditure", "110000", "2012")
    table = res.to_frame()
    assert not ((table["geo"] == "110000") & (table["year"] == 2012)).any()
    assert ((table["geo"] == "110000") & (table["year"] == 2013)).any()
    assert {(m.geo, m.years) for m in res.missing if m.reason == "missing.nqpf_left_out"} == {
        ("110000", "2012"),
        ("540000", "2015"),
    }
    # the default rule interpolates inside the series: every province every year, each filled value listed
    res = nqpf_index(p, C(start=2010))
    assert res.scores.groupby("year")["geo"].nunique().eq(31).all()
    imputed = res.imputed.set_index(["geo", "year", "indicator"])["how"]
    assert imputed[("110000", 2012, "rd_intensity")] == "interpolated"
    assert imputed[("540000", 2015, "coal_share")] == "interpolated"
    assert res.convention("nqpf_missing") == "interpolate-reweight"
    values = res.indicators.loc[("110000", slice(2011, 2013)), "rd_intensity"].to_numpy()
    assert values[1] == pytest.approx((values[0] + values[2]) / 2)  # linear in the year


def test_reweighting_keeps_a_province_whose_series_ends_early_and_names_who_is_out(panel):
    # Tibet without coal share at all and Beijing's energy ending in 2019: re-weighted, not dropped
    drop = {("540000", y, "coal_share") for y in range(2006, 2023)}
    drop |= {("110000", y, v) for y in (2020, 2021, 2022) for v in ("energy_total", "coal_share")}
    p = nqpf_panel(drop=drop)
    res = nqpf_index(p, C(start=2010))
    assert res.scores.groupby("year")["geo"].nunique().eq(31).all()
    rew = res.imputed[res.imputed["how"] == "reweighted"]
    assert set(rew.loc[rew["geo"] == "540000", "indicator"]) == {"coal_share"}
    assert set(rew.loc[rew["geo"] == "110000", "year"]) == {2020, 2021, 2022}
    # a re-weighted row's energy part uses the one remaining indicator at the whole dimension's weight
    w = res.weights["weight"]
    energy = ["nonfossil_share", "energy_intensity", "coal_share"]
    z = res.standardised.loc[("540000", 2015)]
    present = [k for k in energy if pd.notna(z[k])]
    from coreduce.methods.reweight import row_weights

    rw = row_weights(res.standardised, w, res.system.dimension_of()).loc[("540000", 2015)]
    assert rw[present].sum() == pytest.approx(w[energy].sum())
    assert rw["coal_share"] == 0
    # with complete cases only they drop out, and say so
    strict = nqpf_index(p, C(start=2010, nqpf_missing="complete"))
    assert "540000" not in set(strict.scores["geo"])
    out = [m for m in strict.missing if m.reason == "missing.nqpf_left_out" and m.geo == "540000"]
    assert out and "coal_share" in dict(out[0].params)["lacking"]
    assert "Coal share" in out[0].reason_text("en")
    # too few indicators in a dimension: left out with the dimension named
    thin = nqpf_index(p, C(start=2010, nqpf_min_share=0.9))
    tibet = [m for m in thin.missing if m.reason == "missing.nqpf_left_out" and m.geo == "540000"]
    assert tibet and dict(tibet[0].params)["lacking"] == "energy"


def test_reweighted_scores_equal_topsis_and_linear_on_complete_data():
    from coreduce.methods.reweight import reweighted_scores

    rng = np.random.default_rng(7)
    z = pd.DataFrame(rng.uniform(size=(12, 4)), columns=list("abcd"))
    w = pd.Series([0.1, 0.3, 0.35, 0.25], index=list("abcd"))
    dims = {"a": "x", "b": "x", "c": "y", "d": "y"}
    out = reweighted_scores(z, w, dims, method="topsis")
    np.testing.assert_allclose(out["overall"], topsis(z, w, normalisation="none")["score"], rtol=1e-12)
    np.testing.assert_allclose(out["x"], topsis(z[["a", "b"]], w[["a", "b"]] / 0.4, normalisation="none")["score"])
    lin = reweighted_scores(z, w, dims, method="linear")
    np.testing.assert_allclose(lin["overall"], z.mul(w).sum(axis=1))
    # an absent value: its weight goes to the other indicator of its dimension (0.1 + 0.3 onto b)
    z.iloc[0, 0] = np.nan
    lin = reweighted_scores(z, w, dims, method="linear")
    assert lin["overall"].iloc[0] == pytest.approx(0.4 * z.iloc[0, 1] + 0.35 * z.iloc[0, 2] + 0.25 * z.iloc[0, 3])
    z.iloc[0, 1] = np.nan  # nothing left in dimension x: no score
    assert np.isnan(reweighted_scores(z, w, dims, method="topsis")["overall"].iloc[0])


def test_constant_indicator_and_bad_options(panel):
    p = nqpf_panel()
    data = p.data.copy()
    data.loc[data["variable"] == "coal_share", "value"] = 0.5
    from coreduce.data.panel import Panel

    flat = Panel(data, p.catalogue, p.sources)
    with pytest.raises(IndicatorError, match="'coal_share' is constant"):
        nqpf_index(flat, C(system="long"))
    with pytest.raises(ConventionError, match="'nqpf_method' = 'pca'"):
        C(nqpf_method="pca")
    with pytest.raises(IndicatorSystemError, match="needs weights in the system file"):
        nqpf_index(panel, C(nqpf_method="fixed"))


def test_user_variable_and_system_with_fixed_weights(panel, tmp_path):
    # a user adds a series to the panel and writes a system that uses it: no code change needed
    from coreduce.data.panel import Panel

    gdp = panel.data[panel.data["variable"] == "gdp"]
    ports = gdp.assign(variable="broadband_ports", value=gdp["value"] * 0.3 + gdp["year"], unit="1e4 port")
    data = pd.concat([panel.data, ports], ignore_index=True)
    extra = {**panel.catalogue.iloc[0].to_dict(), "variable": "broadband_ports", "unit": "1e4 port"}
    catalogue = pd.concat([panel.catalogue, pd.DataFrame([extra])], ignore_index=True)
    user_panel = Panel(data, catalogue, panel.sources)
    path = tmp_path / "digital.toml"
    path.write_text(
        'name = "digital"\n[[dimensions]]\nkey = "digital"\nname_en = "Digital economy"\n'
        '[[dimensions]]\nkey = "energy"\nname_en = "Energy"\n'
        '[[indicators]]\nkey = "ports_pc"\ndimension = "digital"\nformula = "broadband_ports / population"\n'
        'direction = "+"\nweight = 0.6\n'
        '[[indicators]]\nkey = "coal"\ndimension = "energy"\nvariable = "coal_share"\ndirection = "-"\nweight = 0.4\n'
    )
    res = nqpf_index(user_panel, C(system=str(path), nqpf_method="fixed"))
    table = res.to_frame()
    z = res.standardised
    np.testing.assert_allclose(table["overall"], 0.6 * z["ports_pc"] + 0.4 * z["coal"])
    np.testing.assert_allclose(table["digital"] + table["energy"], table["overall"])
    assert res.convention("nqpf_method") == "fixed"


def test_single_year_yearly_weights_keep_the_indicator_index(panel):
    res = nqpf_index(panel, C(nqpf_method="critic", normalisation="yearly", start=2015, end=2015))
    weights = res.weights
    assert weights.index.name == "indicator"
    assert weights["weight"].sum() == pytest.approx(1.0)


def test_interpolation_fills_only_gaps_between_reported_years_as_pandas_does():
    """Inside gaps get the straight line between the reported years around them (2003 lies 2/3 of the way from
    2001 to 2004: 1 + 2·2/3); gaps before the first and after the last reported year stay NaN; the result equals
    pandas' ``interpolate(method="index", limit_area="inside")`` province by province on random gaps."""
    from coreduce.analysis.nqpf import _interpolated

    index = pd.MultiIndex.from_product([["A", "B"], [2000, 2001, 2003, 2004, 2006]], names=["geo", "year"])
    values = pd.DataFrame(
        {"x": [np.nan, 1.0, np.nan, 3.0, np.nan, 5.0, np.nan, np.nan, np.nan, 1.0], "y": np.nan}, index=index
    )
    filled = _interpolated(values, "interpolate")
    assert filled["x"].tolist()[:5] == pytest.approx([np.nan, 1.0, 1 + 2 * 2 / 3, 3.0, np.nan], nan_ok=True)
    assert filled["x"].tolist()[5:] == pytest.approx([5.0, 5 - 4 * 1 / 6, 5 - 4 * 3 / 6, 5 - 4 * 4 / 6, 1.0])
    assert filled["y"].isna().all() and _interpolated(values, "complete") is values
    rng = np.random.default_rng(7)
    for _ in range(50):
        years = np.sort(rng.choice(np.arange(1990, 2030), size=8, replace=False)).astype("int32")
        index = pd.MultiIndex.from_product([["A", "B", "C"], years], names=["geo", "year"])
        frame = pd.DataFrame(rng.normal(size=(len(index), 3)), index=index, columns=["a", "b", "c"])
        frame = frame.mask(rng.random(frame.shape) < 0.5)
        expected = pd.concat(
            part.droplevel("geo").interpolate(method="index", limit_area="inside").set_axis(part.index)
            for _, part in frame.groupby(level="geo")
        )
        pd.testing.assert_frame_equal(_interpolated(frame, "interpolate-reweight"), expected, check_exact=True)
