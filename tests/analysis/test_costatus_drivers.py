"""Co-reduction status and LMDI drivers on the synthetic panel (see conftest for its closed-form values)."""

import numpy as np
import pytest

from coreduce.analysis.conventions import ProvinceConventions as C
from coreduce.analysis.costatus import costatus
from coreduce.analysis.drivers import FACTORS, drivers
from coreduce.conventions import ConventionError
from coreduce.methods.lmdi import logmean


def test_cocontrol_window_hand_computed(synthetic_panel):
    result = costatus(synthetic_panel)
    beijing = result.to_frame().set_index("geo").loc["110000"]
    # SO2 ∝ gdp·0.9^t with gdp ∝ 1.1^t: P_2022/P_2008 = 0.99^14; CO2 ∝ (1.1·0.96)^t: C_2022/C_2008 = 1.056^14
    x, y = 1 - 0.99**14, 1 - 1.056**14
    assert beijing["reduction_pollutant"] == pytest.approx(x)
    assert beijing["reduction_co2"] == pytest.approx(y)
    assert beijing["elasticity"] == pytest.approx(x / y)
    assert beijing["quadrant"] == "IV"
    # CO2 vs GDP: e = (1.056^14 − 1)/(1.1^14 − 1) < 0.8 with both growing → weak decoupling
    assert beijing["tapio_co2_elasticity"] == pytest.approx((1.056**14 - 1) / (1.1**14 - 1))
    assert beijing["tapio_co2"] == "weak decoupling"
    levels = result.to_frame()["level"].value_counts()
    assert levels["province"] == 31 and levels["region"] == 4 and levels["nation"] == 1


def test_coupling_and_synergy_are_consistent(synthetic_panel):
    result = costatus(synthetic_panel, C(synergy_periods=((2010, 2015), (2015, 2020))))
    coupling = result.coupling
    assert coupling["D"].dropna().between(0, 1).all() and coupling["C"].dropna().between(0, 1).all()
    # every province has the same SO2 intensity path, so the pollution score is the same for all of them
    # and reaches 1 in 2022 (lowest intensity = upper order bound)
    prov = coupling[coupling["level"] == "province"]
    spread = prov.groupby("year")["pollution"].agg(lambda s: s.max() - s.min())
    assert spread.max() < 1e-9
    assert prov[prov["year"] == 2022]["pollution"].iloc[0] == pytest.approx(1.0)
    synergy = result.synergy
    row = synergy.iloc[0]
    d1, d2 = row.pollution_u1 - row.pollution_u0, row.carbon_u1 - row.carbon_u0
    expected = (1 if min(d1, d2) > 0 else -1) * np.sqrt(abs(d1) * abs(d2))
    assert row.synergy == pytest.approx(expected)
    assert result.convention("synergy_periods") == ((2010, 2015), (2015, 2020))


def test_costatus_bad_requests(synthetic_panel):
    with pytest.raises(ConventionError, match="periods inside 2008–2022"):
        C(synergy_periods=((2005, 2010),))
    with pytest.raises(ConventionError, match="a year after start"):
        costatus(synthetic_panel, C(start=2015, end=2015))


def test_drivers_identity_and_hand_computed_scale_effect(synthetic_panel):
    result = drivers(synthetic_panel)
    table = result.to_frame().set_index("geo")
    complete = table.dropna(subset=list(FACTORS))
    np.testing.assert_allclose(complete[list(FACTORS)].sum(axis=1), complete["V1"] - complete["V0"], rtol=1e-9)
    bj = table.loc["110000"]
    # scale effect = L(V1, V0) · ln(G_2022 / G_2008) = L(V1, V0) · 14 · ln 1.1
    assert bj["scale"] == pytest.approx(logmean(bj["V1"], bj["V0"]) * 14 * np.log(1.1))
    # the identity V = G · S/G · E/S · coal · V/E_coal holds, so V0 equals the panel value 0.0019·gdp·0.96^2
    assert bj["V0"] == pytest.approx(0.0019 * 1000 * 1.1**2 * 0.96**2)
    assert table.loc["540000", list(FACTORS)].isna().all()  # Tibet has no co2_apparent
    assert result.missing_frame()["reason"].str.contains("left out of the region").any()
    assert np.isfinite(table.loc["West", "scale"])


def test_drivers_multiplicative_and_yearly(synthetic_panel):
    result = drivers(synthetic_panel, C(lmdi_form="multiplicative", lmdi_yearly=True), levels=("nation",))
    table = result.to_frame()
    assert len(table) == 14
    np.testing.assert_allclose(table[list(FACTORS)].prod(axis=1), table["V1"] / table["V0"], rtol=1e-9)


def test_drivers_bad_requests(synthetic_panel):
    with pytest.raises(ValueError, match="levels must be"):
        drivers(synthetic_panel, levels=("city",))
    with pytest.raises(KeyError, match="nox_ceds_x"):
        drivers(synthetic_panel, target="nox_ceds_x")


def test_drivers_without_provincial_coal_share(panel_factory):
    from coreduce.geo import provinces

    drop = {(p.code, "coal_share", y) for p in provinces() for y in range(2006, 2023)}
    panel = panel_factory(drop=drop)
    result = drivers(panel, levels=("nation",))
    table = result.to_frame()
    assert "energy_mix" not in table.columns
    np.testing.assert_allclose(
        table[["scale", "structure", "energy_intensity", "emission_factor"]].sum(axis=1), table["V1"] - table["V0"]
    )
    assert result.convention("lmdi_identity") == "no_mix"
    with pytest.raises(KeyError, match="coal_share"):
        drivers(panel, C(energy_mix="yes"))


def test_region_with_every_member_left_out_is_nan_not_zero(panel_factory):
    drop = {(code, "energy_total", 2022) for code in ("210000", "220000", "230000")}
    result = drivers(panel_factory(drop=drop), levels=("region",))
    northeast = result.to_frame().set_index("geo").loc["Northeast"]
    assert np.isnan(northeast["total"]) and np.isnan(northeast["scale"])
    assert result.missing_frame()["reason"].str.contains("decomposition not possible").any()


def test_costatus_without_nox(synthetic_panel):
    result = costatus(synthetic_panel, C(pollutant="so2_nbs", nox="nox_absent"))
    assert result.yearly_nox.empty
    assert any(m.series == "nox_absent" and m.reason == "missing.pollutant_only" for m in result.missing)
    assert result.coupling["D"].dropna().between(0, 1).all()
    assert list(result.bounds["indicator"]) == ["so2_nbs_intensity", "co2_intensity", "co2_per_capita"]


def test_cocontrol_of_the_second_pollutant_hand_computed(synthetic_panel):
    result = costatus(synthetic_panel)
    beijing = result.to_frame().set_index("geo").loc["110000"]
    # NOx ∝ gdp·0.93^t: N_2022/N_2008 = (1.1·0.93)^14 = 1.023^14; CO2 ratio 1.056^14 (as above)
    x, y = 1 - 1.023**14, 1 - 1.056**14
    assert beijing["reduction_nox_ceds"] == pytest.approx(x)
    assert beijing["elasticity_nox_ceds"] == pytest.approx(x / y)
    assert beijing["quadrant_nox_ceds"] == "III"  # NOx and CO2 both rose
    yearly = result.yearly_nox
    assert len(yearly) == 36 * 14 and {"geo", "start", "end", "elasticity"} <= set(yearly.columns)
    assert "reduction_nox_ceds" not in costatus(synthetic_panel, C(nox="so2_ceds")).to_frame().columns
