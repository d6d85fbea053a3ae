"""Sectoral LMDI drivers (production emissions over primary, secondary and tertiary value added).

Synthetic panel, province k (0–30) in year y (t = y − 2008): gdp = 100·(1 + k/10)·1.1^t; value added
primary = 0.1·gdp·0.95^t, secondary = 0.4·gdp, tertiary = gdp − primary − secondary; emissions by CEADs sector
agriculture = 0.001·primary, power_heat_supply = 0.01·secondary·0.97^t, construction = 0.002·secondary,
transport_storage_post = 0.002·tertiary, urban (households) = 1. Only the secondary sector's intensity changes
(by 0.97 a year, diluted by construction), so the sector-intensity effect comes from the secondary sector alone.
"""

import numpy as np
import pandas as pd
import pytest

from coreduce.analysis.conventions import ProvinceConventions as C
from coreduce.analysis.sectors import SECTOR_FACTORS, sector_drivers
from coreduce.conventions import ConventionError
from coreduce.data.panel import MissingSeriesError, Panel
from coreduce.geo import provinces
from coreduce.methods.lmdi import logmean
from helpers.panels import build_panel

YEARS = range(2008, 2020)


def _panel(drop_tibet_sector: bool = True) -> Panel:
    rows = []
    for k, province in enumerate(provinces()):
        for year in YEARS:
            t = year - 2008
            gdp = 100 * (1 + k / 10) * 1.1**t
            primary, secondary = 0.1 * gdp * 0.95**t, 0.4 * gdp
            values = {
                "gdp": gdp,
                "va_primary": primary,
                "va_secondary": secondary,
                "va_tertiary": gdp - primary - secondary,
                "co2_ceads.sector.agriculture_forestry_fishery": 0.001 * primary,
                "co2_ceads.sector.power_heat_supply": 0.01 * secondary * 0.97**t,
                "co2_ceads.sector.construction": 0.002 * secondary,
                "co2_ceads.sector.transport_storage_post": 0.002 * (gdp - primary - secondary),
                "co2_ceads.sector.urban": 1.0,
            }
            for variable, value in values.items():
                if drop_tibet_sector and province.code == "540000" and variable.startswith("co2_ceads"):
                    continue
                rows.append((province.code, year, variable, value))
    data = pd.DataFrame(rows, columns=["geo", "year", "variable", "value"])
    data["unit"] = np.where(data["variable"].str.startswith("co2"), "Mt", "1e8 CNY")
    return build_panel(data)


@pytest.fixture(scope="module")
def panel():
    return _panel()


def test_hand_computed_effects_for_one_province(panel):
    result = sector_drivers(panel, C(end=2019))
    beijing = result.to_frame().set_index("geo").loc["110000"]
    gdp0, gdp1 = 100.0, 100 * 1.1**11
    # production emissions (households left out): sum over the three sectors
    v = {
        "primary": (0.001 * 0.1 * gdp0, 0.001 * 0.1 * gdp1 * 0.95**11),
        "secondary": (0.4 * gdp0 * 0.012, 0.4 * gdp1 * (0.01 * 0.97**11 + 0.002)),
        "tertiary": (0.002 * 0.5 * gdp0, 0.002 * (1 - 0.1 * 0.95**11 - 0.4) * gdp1),
    }
    assert beijing["V0"] == pytest.approx(sum(a for a, _ in v.values()))
    assert beijing["V1"] == pytest.approx(sum(b for _, b in v.values()))
    weights = {s: logmean(np.array(b), np.array(a)) for s, (a, b) in v.items()}
    assert beijing["scale"] == pytest.approx(sum(weights.values()) * 11 * np.log(1.1))
    intensity_ratio = (0.01 * 0.97**11 + 0.002) / 0.012
    assert beijing["sector_intensity"] == pytest.approx(weights["secondary"] * np.log(intensity_ratio))
    assert beijing[list(SECTOR_FACTORS)].sum() == pytest.approx(beijing["V1"] - beijing["V0"], rel=1e-12)
    by_sector = result.by_sector.query("geo == '110000'").set_index("sector")
    assert by_sector.loc["primary", "sector_intensity (additive)"] == pytest.approx(0.0, abs=1e-12)
    assert "urban" in result.convention("households_left_out")


def test_regions_nation_multiplicative_and_missing(panel):
    conventions = C(end=2019, lmdi_form="multiplicative", lmdi_yearly=True)
    result = sector_drivers(panel, conventions, levels=("region", "nation"))
    table = result.to_frame()
    np.testing.assert_allclose(table[list(SECTOR_FACTORS)].prod(axis=1), table["V1"] / table["V0"], rtol=1e-9)
    assert set(table["level"]) == {"region", "nation"} and len(table) == 5 * 11
    assert result.missing_frame()["reason"].str.contains("left out of the region").any()  # Tibet has no breakdown


def test_bad_requests(panel, synthetic_panel):
    with pytest.raises(MissingSeriesError, match="no sector breakdown of co2_ceads"):
        sector_drivers(synthetic_panel)
    with pytest.raises(ConventionError, match="a year after start"):
        sector_drivers(panel, C(start=2019, end=2019))
    with pytest.raises(ValueError, match="levels must be"):
        sector_drivers(panel, levels=("county",))


def test_real_panel_structure_effect_is_negative(bundled_panel):
    result = sector_drivers(bundled_panel, levels=("province", "nation"))
    table = result.to_frame().dropna(subset=list(SECTOR_FACTORS))
    assert len(table) >= 30
    np.testing.assert_allclose(table[list(SECTOR_FACTORS)].sum(axis=1), table["V1"] - table["V0"], rtol=1e-9)
    nation = table.set_index("geo").loc["100000"]
    # 2008–2019: growth raised CO2, the shift from industry to services and falling sector intensities lowered it
    assert nation["scale"] > 0 and nation["structure"] < 0 and nation["sector_intensity"] < 0


def test_negative_value_added_is_left_out_with_its_reason(panel):
    data = panel.data.copy()
    bad = (data["geo"] == "110000") & (data["year"] == 2011) & (data["variable"] == "va_primary")
    data.loc[bad, "value"] = -802.4  # the kind of defect the yearbook panel's derived primary sector has
    broken = Panel.from_frames(data, panel.catalogue, panel.sources)
    result = sector_drivers(broken, C(end=2019, lmdi_yearly=True), levels=("province", "nation"))
    table = result.to_frame().set_index(["geo", "start"])
    assert table.loc[("110000", 2010), list(SECTOR_FACTORS)].isna().all()
    assert table.loc[("110000", 2012), list(SECTOR_FACTORS)].notna().all()
    missing = result.missing_frame()
    rows = missing[(missing["series"] == "va_primary") & (missing["geo"] == "110000")]
    assert rows["reason"].tolist() == [
        "negative value (-802.4 in 2011): a defect in the source; province-year left out"
    ]
    assert table.loc[("100000", 2010), "total"] == pytest.approx(
        table.loc[("100000", 2010), "V1"] - table.loc[("100000", 2010), "V0"]
    )


def test_energy_drivers_leave_out_negative_energy(synthetic_panel):
    from coreduce.analysis.drivers import FACTORS, drivers

    data = synthetic_panel.data.copy()
    bad = (data["geo"] == "120000") & (data["year"] == 2022) & (data["variable"] == "energy_total")
    data.loc[bad, "value"] = -5.0
    broken = Panel.from_frames(data, synthetic_panel.catalogue, synthetic_panel.sources)
    result = drivers(broken, levels=("province", "nation"))
    table = result.to_frame().set_index("geo")
    assert table.loc["120000", list(FACTORS)].isna().all()
    assert np.isfinite(table.loc["100000", "total"])
    assert result.missing_frame()["reason"].str.contains(r"negative value \(-5.0 in 2022\)").any()
