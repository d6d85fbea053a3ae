import numpy as np
import pytest

from coreduce.analysis.conventions import ProvinceConventions as C
from coreduce.analysis.trends import trends
from coreduce.conventions import ConventionError
from coreduce.data.panel import MissingSeriesError


def test_national_intensity_and_rate_hand_computed(synthetic_panel):
    result = trends(synthetic_panel)
    table = result.to_frame()
    national = table.loc[("nation", "100000", "China")]
    # co2_gcb / Σgdp × 100 = 2 · 0.95^(y − 2008)
    np.testing.assert_allclose(national["co2_intensity"], [2 * 0.95 ** (y - 2008) for y in range(2008, 2023)])
    summary = result.overview.set_index(["geo", "indicator"])
    assert summary.loc[("100000", "co2_intensity"), "annual_rate"] == pytest.approx(-0.05)
    # SO2: Σ 0.05·gdp·0.9^t / Σ gdp = 0.05·0.9^t kt per 1e8 yuan; 1 kt per 1e8 yuan = 1e6 kg / 1e4 (1e4 yuan)
    # = 100 kg per 1e4 yuan, so 2008 (t = 2) gives 0.05 · 0.81 · 100 = 4.05
    np.testing.assert_allclose(national["so2_intensity"].iloc[0], 4.05)
    assert any("vs 2.325 in the paper" in n for n in result.notes_text())
    assert any("5.8 % fall" in n for n in result.notes_text())


def test_regions_are_ratios_of_sums(synthetic_panel):
    table = trends(synthetic_panel).to_frame()
    east = table.xs("East", level="geo").droplevel("name").loc["region"]
    # every province has co2_ceads_energy = 0.0019·gdp·0.96^t so the ratio of sums is 0.19·0.96^t t per 1e4 yuan
    np.testing.assert_allclose(east.loc[2010, "co2_intensity"], 0.19 * 0.96**4)
    assert "pm25" not in east.columns or east["pm25"].isna().all()


def test_pm25_missing_for_regions_and_clusters_reported(synthetic_panel):
    result = trends(synthetic_panel)
    assert result.missing_frame()["reason"].str.contains("only for China and the BTH/YRD/PRD").any()
    clusters = result.pm25_clusters
    assert set(clusters["geo"]) == {"BTH", "YRD", "PRD"}
    assert result.convention("co2") == "co2_ceads_energy"


def test_region_with_an_absent_member_is_nan_with_reason(panel_factory):
    panel = panel_factory(drop={("110000", "co2_ceads_energy", 2012)})
    result = trends(panel)
    east = result.to_frame().xs("East", level="geo").droplevel("name").loc["region"]
    assert np.isnan(east.loc[2012, "co2_intensity"]) and np.isfinite(east.loc[2011, "co2_intensity"])
    missing = result.missing_frame()
    reasons = missing[missing["geo"] == "East"]["reason"]
    assert reasons.str.contains("110000").any()


def test_bad_requests(synthetic_panel):
    with pytest.raises(MissingSeriesError, match="co2_nope"):
        trends(synthetic_panel, C(national_co2="co2_nope"))
    with pytest.raises(ConventionError, match="from start"):
        C(start=2020, end=2010)
    with pytest.raises(ConventionError, match="after start"):
        trends(synthetic_panel, C(start=2020, end=2020))


def test_membership_option_leaves_out_incomplete_members(panel_factory):
    panel = panel_factory(drop={("540000", "co2_ceds", 2012)})
    strict = trends(panel, C(co2="co2_ceds", membership="all")).to_frame()
    assert np.isnan(strict.xs("West", level="geo").droplevel("name").loc["region"].loc[2012, "co2"])
    loose = trends(panel, C(co2="co2_ceds", membership="complete_members"))
    west = loose.to_frame().xs("West", level="geo").droplevel("name").loc["region"]
    assert west["co2"].notna().all()
    assert loose.missing_frame()["reason"].str.contains("left out of the region").any()
    assert loose.convention("membership") == "complete_members"


def test_default_membership_leaves_out_a_province_the_series_does_not_cover(panel_factory):
    """co2_ceads_energy has no Tibet (as CEADs): the West is formed every year without it and the record names it;
    a province missing one year still makes that region-year missing (as with ``all``)."""
    panel = panel_factory(drop={("620000", "co2_ceads_energy", 2012)})
    result = trends(panel)
    west = result.to_frame().xs("West", level="geo").droplevel("name").loc["region"]
    assert np.isnan(west.loc[2012, "co2"]) and west.drop(index=2012)["co2"].notna().all()
    records = [m for m in result.missing if m.geo == "West" and m.reason == "missing.not_covered"]
    assert [dict(m.params)["members"] for m in records] == ["540000"]
    assert result.convention("membership") == "covered"
    beside = result.national_co2.set_index("year")
    assert (
        beside.loc[2010, "national_series"] == "co2_gcb" and beside.loc[2010, "provinces_series"] == "co2_ceads_energy"
    )
    assert np.isnan(beside.loc[2012, "provinces_sum"]) and beside.loc[2010, "ratio"] > 0


def test_constant_prices_reach_2022_on_the_bundled_panel_and_no_plan_is_dropped_silently(bundled_panel):
    """The national deflator reaches 2022 (2020–2022 linked to the NBS regional accounts, said in a note), so the
    constant-price intensities cover 2008–2022 and the 12th and 13th plans are computed; the 11th and 14th plans,
    which the window cuts, are recorded as not computed."""
    result = trends(bundled_panel, C(prices="constant"))
    national = result.to_frame().loc[("nation", "100000", "China")]
    assert national["co2_intensity"].notna().all() and list(national.index) == list(range(2008, 2023))
    plans = result.plans[(result.plans["level"] == "nation") & (result.plans["indicator"] == "co2_intensity")]
    assert list(plans["plan"]) == ["12th", "13th"]
    outside = {dict(m.params)["plan"]: m.years for m in result.missing if m.reason == "missing.plan_outside_window"}
    assert outside == {"11th": "2005–2010", "14th": "2020–2025"}
    assert any(n.key == "note.prices.deflator_status" and dict(n.params)["years"] == "2020–2022" for n in result.notes)
