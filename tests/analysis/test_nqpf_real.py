"""The NQPF index, its regional imbalance and its obstacles on the bundled panel built from the public data.

Checked here: the index for 2008–2022 (``long`` system) and 2010–2022 (``default``), every absent province-year
explained in ``missing``, the Dagum decomposition by the four regions (exact identity, total = PySAL inequality's
Gini, Theil between-group part = PySAL's TheilD) and obstacle degrees that sum to one.
"""

import numpy as np
import pytest
from inequality.gini import Gini
from inequality.theil import TheilD

from coreduce.analysis.conventions import ProvinceConventions as C
from coreduce.analysis.imbalance import imbalance, measure_from_panel
from coreduce.analysis.nqpf import nqpf_index
from coreduce.analysis.obstacles import obstacles
from coreduce.geo import load_grouping, provinces

CONVENTIONS = {"system", "nqpf_method", "normalisation", "zero_rule", "epsilon", "nqpf_system", "nqpf_sample"}


@pytest.fixture(scope="module")
def panel(bundled_panel):
    return bundled_panel


@pytest.fixture(scope="module")
def long_index(panel):
    return nqpf_index(panel, C(system="long"))


def _explained(result) -> set[str]:
    """Provinces named in the ``missing`` table."""
    return {m.geo for m in result.missing}


def test_nqpf_index_2008_2022(long_index):
    table = long_index.to_frame()
    assert sorted(set(table["year"])) == list(range(2008, 2023))
    assert table.groupby("year").size().min() >= 25
    assert table[["overall", "technology", "industry", "energy"]].stack().between(0, 1).all()
    # all 31 provinces every year under the default rule (interpolation inside a series, then re-weighting)
    assert table.groupby("year")["geo"].nunique().eq(31).all()
    imputed = long_index.imputed
    # the provinces that used to drop out are scored: Beijing (energy 2021–22), Hubei and Hunan (2020–22),
    # Tibet (no coal share, energy consumption only in 2017) and Xinjiang (2021–22), each value listed
    rew = imputed[imputed["how"] == "reweighted"]
    assert {"110000", "420000", "430000", "540000", "650000"} <= set(rew["geo"])
    assert set(rew.loc[rew["geo"] == "540000", "indicator"]) == {"coal_share", "energy_intensity"}
    assert set(rew.loc[rew["geo"] == "420000", "year"]) == {2020, 2021, 2022}
    assert long_index.convention("nqpf_missing") == "interpolate-reweight"
    assert any("province-years scored with their dimension" in n for n in long_index.notes_text())
    assert long_index.weights["weight"].sum() == pytest.approx(1.0)
    assert {r.key for r in long_index.conventions} >= CONVENTIONS
    assert long_index.convention("nqpf_sample")[1] == "2008–2022"
    # every province-year left out of the index is listed as missing, with the absent series
    present = set(zip(table["geo"], table["year"], strict=True))
    absent = {(p.code, y) for p in provinces() for y in range(2008, 2023)} - present
    assert {geo for geo, _ in absent} <= _explained(long_index)
    # the East leads technological progress (patents per person) in every year
    regions = long_index.regions["technology"].unstack("region")
    assert (regions.idxmax(axis=1) == "East").all()


def test_default_system_starts_when_rd_and_patents_start(panel):
    res = nqpf_index(panel)
    table = res.to_frame()
    assert table["year"].min() == 2010  # R&D and patent series of the panel begin in 2010
    assert {m.years for m in res.missing if m.series == "rd_expenditure"} == {"2008–2009"}
    # 2008–2009 lack four of five technology indicators: every province left out, named with the dimension
    out = [m for m in res.missing if m.reason == "missing.nqpf_left_out"]
    assert {m.geo for m in out} == {p.code for p in provinces()}
    assert {(m.years, dict(m.params)["lacking"]) for m in out} == {("2008–2009", "technology")}
    assert out[0].reason_text("zh") == "未计入新质生产力指数：科技创新指标过少"
    assert table.groupby("year")["geo"].nunique().eq(31).all()
    # complete cases only: the five provinces drop out in 2022 and are named on the ranking figure
    from coreduce.report.sections.nqpf import left_out

    strict = nqpf_index(panel, C(nqpf_missing="complete"))
    gone = left_out(strict, 2022)
    assert set(gone) == {"110000", "420000", "430000", "540000", "650000"}
    assert "Energy consumption per unit of GDP" in gone["420000"]
    assert any("labour productivity" in note for note in res.notes_text())


def test_dagum_decomposition_by_four_regions(long_index):
    index = long_index.to_frame()
    res = imbalance(index, "overall", sources=long_index.sources)
    table = res.to_frame()
    assert list(table.index) == list(range(2008, 2023))
    np.testing.assert_allclose(table["G_w"] + table["G_nb"] + table["G_t"], table["G"], rtol=0, atol=1e-14)
    group_of = load_grouping("four_regions").group_of()
    for year in (2008, 2015, 2022):
        one = index[index["year"] == year]
        y = one["overall"].to_numpy()
        assert table.loc[year, "G"] == pytest.approx(Gini(y).g, abs=1e-12)
        theil = TheilD(y, one["geo"].map(group_of).to_numpy())
        assert res.theil.loc[year, "T_between"] == pytest.approx(float(np.squeeze(theil.bg)), abs=1e-12)
    matrix = res.matrix
    assert set(matrix["region_a"]) == {"East", "Central", "West", "Northeast"}
    assert res.convention("gini") == "dagum_1997" and res.convention("kernel") == "epanechnikov"
    assert not res.sources.empty
    if table["n"].nunique() > 1:  # provinces without every input in some years are named in a note
        assert any("number of provinces varies" in note for note in res.notes_text())


def test_imbalance_of_co2_intensity_and_obstacles(panel):
    intensity = measure_from_panel(panel, "co2_ceds / gdp", name="co2_intensity")
    res = imbalance(intensity, "co2_intensity")
    assert (res.to_frame()["n"] == 31).all()
    beta = res.beta.set_index(["region", "form"])
    assert np.isfinite(beta.loc[("All", "absolute"), "beta"])
    obs = obstacles(panel, C(start=2010))
    np.testing.assert_allclose(obs.to_frame().sum(axis=1), 1.0)
    mean = obs.mean.loc[2022]
    # the indicator that holds provinces back most in 2022 is green innovation (green patents per person)
    assert mean.idxmax() == "green_patents_per_capita"


def test_imbalance_of_the_coupling_coordination_degree(panel):
    from coreduce.analysis.imbalance import synergy_measure

    needed = {"so2_ceds", "nox_ceds", "co2_ceads_energy"}
    if not needed <= set(panel.variables):
        pytest.skip(f"bundled panel lacks {', '.join(sorted(needed - set(panel.variables)))}")
    frame, status = synergy_measure(panel)
    assert frame["coupling_D"].dropna().between(0, 1).all()
    res = imbalance(frame, "coupling_D", sources=status.sources)
    table = res.to_frame()
    # CEADs does not cover Tibet: 30 provinces every year, Tibet named among the missing values
    assert list(table.index) == list(range(2008, 2023)) and (table["n"] == 30).all()
    assert [(m.geo, m.years) for m in res.missing] == [("540000", "2008–2022")]
    np.testing.assert_allclose(table["G_w"] + table["G_nb"] + table["G_t"], table["G"], rtol=0, atol=1e-14)
