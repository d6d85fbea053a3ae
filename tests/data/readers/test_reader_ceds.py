"""CEDS national (v2021) and provincial (CREA, 2024 release): sums against published figures, broken copies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coreduce.data.readers import ReaderError, ceds_national, ceds_provincial

NATIONAL = str(ceds_national.FILE)
PROVINCIAL = str(ceds_provincial.FILE)


@pytest.fixture(scope="module")
def national(read_once):
    out = read_once("ceds_national")
    return out.data.pivot_table(index="year", columns="variable", values="value")


@pytest.fixture(scope="module")
def provincial(read_once):
    return read_once("ceds_provincial")


def test_national_matches_ceds_figures(national):
    # CEDS v_2021_02_05 (O'Rourke et al. 2021) for China, as printed in PROVENANCE.md:
    # NOx 2008 = 27.8 Mt, 2019 = 22.6 Mt; SO2 2008 = 35.2 Mt, 2019 = 12.1 Mt.
    assert national.loc[2008, "nox_ceds"] == pytest.approx(27_800, abs=50)
    assert national.loc[2019, "nox_ceds"] == pytest.approx(22_600, abs=50)
    assert national.loc[2008, "so2_ceds"] == pytest.approx(35_200, abs=50)
    assert national.loc[2019, "so2_ceds"] == pytest.approx(12_100, abs=50)
    assert 6_000 < national.loc[2008, "co2_ceds"] < 8_000  # kt converted to Mt
    assert list(national.index) == list(range(1990, 2020))


def test_provincial_sums_match_published_totals(provincial):
    # CREA aggregation of CEDS 2024 (PROVENANCE.md §8): mainland NOx 2011 = 30.3, 2013 = 29.4, 2019 = 21.2,
    # 2022 = 19.8 Mt; SO2 2008 = 35.2, 2022 = 10.3 Mt; CO2 2008 = 7.16, 2022 = 11.40 Gt; Shanghai NOx 2022 = 736 kt.
    d = provincial.data
    sums = d[d["variable"].isin(["nox_ceds", "so2_ceds", "co2_ceds"])].pivot_table(
        index="year", columns="variable", values="value", aggfunc="sum"
    )
    for year, value in {2011: 30_300, 2013: 29_400, 2019: 21_200, 2022: 19_800}.items():
        assert sums.loc[year, "nox_ceds"] == pytest.approx(value, abs=50)
    assert sums.loc[2008, "so2_ceds"] == pytest.approx(35_200, abs=50)
    assert sums.loc[2022, "so2_ceds"] == pytest.approx(10_300, abs=60)  # 10,248 kt, printed rounded up as 10.3
    assert sums.loc[2008, "co2_ceds"] == pytest.approx(7_160, abs=5)
    assert sums.loc[2022, "co2_ceds"] == pytest.approx(11_400, abs=5)
    shanghai = d[(d["geo"] == "310000") & (d["variable"] == "nox_ceds") & (d["year"] == 2022)]
    assert shanghai["value"].iloc[0] == pytest.approx(736, abs=1)


def test_provincial_layout(provincial):
    d = provincial.data
    assert d["geo"].nunique() == 31  # Hong Kong and Macau dropped, GADM names resolved (Xizang, Nei Mongol …)
    assert {"540000", "150000", "640000", "650000"} <= set(d["geo"])
    assert d["variable"].nunique() == 10 * 9
    totals = d[~d["variable"].str.contains(".sector.", regex=False)]
    assert set(totals["status"]) == {"derived"}
    nox = d[d["variable"].str.startswith("nox_ceds")]
    wide = nox.pivot_table(index=["geo", "year"], columns="variable", values="value")
    parts = wide[[c for c in wide.columns if ".sector." in c]].sum(axis=1)
    assert np.allclose(parts, wide["nox_ceds"])
    assert provincial.catalogue.set_index("variable").loc["co2_ceds", "unit"] == "Mt"


def test_national_unexpected_unit(broken_csv):
    def edit(frame):
        frame.loc[3, "units"] = "Mt"
        return frame

    with pytest.raises(ReaderError, match=r"row 5, column 'units': 'Mt' for SO2; expected 'ktSO2'"):
        ceds_national.read(broken_csv(NATIONAL, edit))


def test_national_unknown_pollutant_and_duplicate(broken_csv):
    def rename(frame):
        frame.loc[0, "em"] = "PM25"
        return frame

    with pytest.raises(ReaderError, match=r"row 2, column 'em': unexpected 'PM25'; expected one of SO2, NOx, CO2"):
        ceds_national.read(broken_csv(NATIONAL, rename))
    root = broken_csv(NATIONAL, lambda f: pd.concat([f, f.iloc[[0]]]))
    with pytest.raises(ReaderError, match=r"duplicate row for em=SO2, year=1990 at rows 2, 92"):
        ceds_national.read(root)


def test_provincial_unknown_province(broken_csv):
    def edit(frame):
        frame.loc[10, "NAME_1"] = "Formosa"
        return frame

    with pytest.raises(ReaderError, match=r"row 12, column 'NAME_1': unknown province 'Formosa'"):
        ceds_provincial.read(broken_csv(PROVINCIAL, edit))


def test_provincial_text_and_missing_column(broken_csv):
    def edit(frame):
        frame.loc[7, "emission"] = "12,5"
        return frame

    with pytest.raises(ReaderError, match=r"column 'emission' must hold numbers; found text at row 9 \('12,5'\)"):
        ceds_provincial.read(broken_csv(PROVINCIAL, edit))
    root = broken_csv(PROVINCIAL, lambda f: f.drop(columns=["sector"]))
    with pytest.raises(ReaderError, match=r"missing column\(s\) sector"):
        ceds_provincial.read(root)


def test_provincial_unknown_sector_and_missing_file(broken_csv, tmp_path):
    def edit(frame):
        frame.loc[0, "sector"] = "Aviation"
        return frame

    with pytest.raises(ReaderError, match=r"row 2, column 'sector': unexpected 'Aviation'"):
        ceds_provincial.read(broken_csv(PROVINCIAL, edit))
    with pytest.raises(ReaderError, match="file not found; expected the CREA CEDS provincial file"):
        ceds_provincial.read(tmp_path / "nowhere")
