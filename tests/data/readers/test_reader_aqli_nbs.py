"""AQLI PM2.5 and NBS national GDP / World Bank deflator: published values and broken copies."""

from __future__ import annotations

import pandas as pd
import pytest

from coreduce.data.readers import ReaderError, aqli, nbs_national_gdp

AQLI = str(aqli.FILE)


@pytest.fixture(scope="module")
def pm25(read_once):
    out = read_once("aqli")
    assert out.catalogue["unit"].tolist() == ["ug/m3"]
    return out.data.pivot_table(index="year", columns="geo", values="value")


@pytest.fixture(scope="module")
def gdp(read_once):
    return read_once("nbs_national_gdp")


def test_aqli_china_values(pm25):
    # AQLI 2023 (PROVENANCE.md): China 2008 = 50.1, 2013 = 52.3, 2021 = 30.2 µg/m³.
    assert pm25.loc[2008, "100000"] == pytest.approx(50.1, abs=0.05)
    assert pm25.loc[2013, "100000"] == pytest.approx(52.3, abs=0.05)
    assert pm25.loc[2021, "100000"] == pytest.approx(30.2, abs=0.05)
    assert list(pm25.columns) == ["100000", "BTH", "PRD", "YRD"]
    assert list(pm25.index) == list(range(1998, 2022))


def test_aqli_agrees_with_its_2014_vs_2021_table(pm25, shared_data):
    # The same report's figure 6.3 table (a separate AQLI file) prints 2014 and 2021 means per region.
    table = pd.read_csv(shared_data / "aqli/aqli2023_china_pm25_2014_vs_2021.csv").set_index("region")
    for region, geo in (("China", "100000"), ("BTH", "BTH"), ("YRD", "YRD"), ("PRD", "PRD")):
        assert pm25.loc[2021, geo] == pytest.approx(table.loc[region, "avg_pm2.5_2021"], rel=1e-6)
        assert pm25.loc[2014, geo] == pytest.approx(table.loc[region, "avg_pm2.5_2014"], rel=1e-6)


def test_nbs_gdp_and_deflator(gdp):
    # NBS China Statistical Yearbook: GDP 2008 = 319,244.6, 2019 = 990,865.1 ×10^8 yuan (pre-2023-census);
    # World Bank NY.GDP.DEFL.ZS rebased 2015 = 100: 2008 = 82.14.
    wide = gdp.data.pivot_table(index="year", columns="variable", values="value")
    assert wide.loc[2008, "gdp"] == 319_244.6
    assert wide.loc[2019, "gdp"] == 990_865.1
    assert wide.loc[2008, "gdp_deflator"] == pytest.approx(82.14, abs=0.005)
    assert wide.loc[2015, "gdp_deflator"] == 100
    assert set(gdp.sources["licence"]) == {
        "none stated (GCAM-China code: ECL-2.0)",
        "CC BY 4.0",
        "NBS public statistics (no formal licence)",
    }


def test_deflator_carried_to_2022_by_the_nbs_regional_accounts(gdp, read_once):
    """2020–2022: the World Bank 2019 value times the change of the NBS implicit deflator of the 31 provinces
    (derived, its own source); the documented gap between the two series over 2012–2019 holds; and the 2020
    change is within that gap of the World Bank's own later figure (NY.GDP.DEFL.ZS, China: 110.81 in 2019 and
    111.50 in 2020 in the WDI vintage shown at indexmundi.com/es/datos/china/indicador/NY.GDP.DEFL.ZS)."""
    rows = gdp.data[gdp.data["variable"] == "gdp_deflator"].set_index("year")
    implicit = read_once("nbs_provincial_gdp").data
    implicit = implicit[implicit["variable"] == "gdp_deflator_nbs"].set_index("year")["value"]
    assert rows.loc[2019, "status"] == "reported" and rows.loc[2019, "source"] == "worldbank_deflator"
    for year in (2020, 2021, 2022):
        assert rows.loc[year, "status"] == "derived" and rows.loc[year, "source"] == nbs_national_gdp.LINK_SOURCE
        expected = rows.loc[2019, "value"] * implicit[year] / implicit[2019]
        assert rows.loc[year, "value"] == pytest.approx(expected, rel=1e-12)
    world_bank = rows.loc[2011:2019, "value"].pct_change() * 100
    gap = (implicit.loc[2011:2019].pct_change() * 100 - world_bank).loc[2012:2019]
    assert gap.mean() == pytest.approx(nbs_national_gdp.LINK_GAP_2012_2019, abs=0.005)
    ours_2020 = (rows.loc[2020, "value"] / rows.loc[2019, "value"] - 1) * 100
    assert abs(ours_2020 - (111.50 / 110.81 - 1) * 100) < abs(gap).max()
    assert "2020–2022 derived" in gdp.catalogue.set_index("variable").loc["gdp_deflator", "definition"]


def test_aqli_unknown_region(broken_csv):
    def edit(frame):
        frame.loc[30, "region"] = "Chengdu-Chongqing"
        return frame

    with pytest.raises(ReaderError, match=r"row 32, column 'region': unknown region 'Chengdu-Chongqing'"):
        aqli.read(broken_csv(AQLI, edit))


def test_aqli_text_duplicate_missing(broken_csv, tmp_path):
    def edit(frame):
        frame.loc[0, "pop_weighted_avg_pm2.5"] = "NaN µg"
        return frame

    with pytest.raises(ReaderError, match=r"column 'pop_weighted_avg_pm2.5' must hold numbers; found text at row 2"):
        aqli.read(broken_csv(AQLI, edit))
    with pytest.raises(ReaderError, match=r"duplicate row for geo=BTH, year=1998"):
        aqli.read(broken_csv(AQLI, lambda f: pd.concat([f, f.iloc[[0]]])))
    with pytest.raises(ReaderError, match=r"missing column\(s\) region"):
        aqli.read(broken_csv(AQLI, lambda f: f.drop(columns=["region"])))
    with pytest.raises(ReaderError, match="file not found"):
        aqli.read(tmp_path / "empty")


def test_deflator_must_be_based_on_2015(broken_csv, shared_data):
    def edit(frame):
        frame.loc[frame["Year"] == "2015", "GDP deflator"] = "98.5"
        return frame

    root = broken_csv(str(nbs_national_gdp.DEFLATOR_FILE), edit)
    (root / nbs_national_gdp.GDP_FILE).symlink_to(shared_data / nbs_national_gdp.GDP_FILE)
    with pytest.raises(ReaderError, match=r"the deflator of 2015 must be 100; found 98\.5"):
        nbs_national_gdp.read(root)


def test_gdp_text_in_value(broken_csv):
    def edit(frame):
        frame.loc[33, "gdp_national_total_100m_yuan"] = "319,244.6"
        return frame

    with pytest.raises(ReaderError, match=r"found text at row 35 \('319,244.6'\)"):
        nbs_national_gdp.read(broken_csv(str(nbs_national_gdp.GDP_FILE), edit))
