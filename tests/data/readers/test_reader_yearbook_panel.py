"""Yearbook provincial panel: national sums against NBS figures, faithful reading, and broken copies."""

from __future__ import annotations

import pandas as pd
import pytest

from coreduce.data.readers import ReaderError
from coreduce.data.readers import yearbook_panel as panel
from coreduce.geo import code_of

FILE = str(panel.FILE)


@pytest.fixture(scope="module")
def out(read_once):
    return read_once("yearbook_panel")


def total(out, variable, year):
    rows = out.data[(out.data["variable"] == variable) & (out.data["year"] == year)]
    return rows["value"].sum(), len(rows)


def test_so2_sums_match_nbs_in_kilotonnes(out):
    # NBS China Statistical Yearbook: national SO2 2008 = 2,321.2 ×10^4 t, 2022 = 243.5 ×10^4 t
    # (PROVENANCE.md); the 2016 statistical break drops the sum from 1,856 to 885 ×10^4 t.
    assert total(out, "so2_nbs", 2008) == (pytest.approx(23212, abs=1), 31)
    assert total(out, "so2_nbs", 2022)[0] == pytest.approx(2440, abs=5)
    assert total(out, "so2_nbs", 2015)[0] == pytest.approx(18564, abs=1)
    assert total(out, "so2_nbs", 2016)[0] == pytest.approx(8850, abs=1)
    assert out.catalogue.set_index("variable").loc["so2_nbs", "unit"] == "kt"


def test_gdp_and_co2_intensity_2008(out):
    # PROVENANCE.md checks: provincial-sum GDP 2008 = 32.28 trillion yuan; CEADs apparent CO2 (30 provinces)
    # over provincial-sum GDP = 2.319 t per 10^4 yuan (the paper's national figure is 2.325).
    gdp, n = total(out, "gdp", 2008)
    assert n == 31 and gdp == pytest.approx(322_782, abs=1)
    co2, n = total(out, "co2_apparent", 2008)
    assert n == 30
    assert co2 * 1e6 / (gdp * 1e4) == pytest.approx(2.319, abs=0.001)


def test_known_bad_gdp_is_read_as_published(out):
    jiangsu = out.data[(out.data["variable"] == "gdp") & (out.data["geo"] == code_of("江苏"))].set_index("year")
    assert jiangsu.loc[2021, "value"] == pytest.approx(21372, rel=1e-3)  # NBS: ≈116,364; corrected downstream
    assert jiangsu.loc[2021, "status"] == "reported"


def test_empty_cells_are_absent_rows_and_short_names_resolve(out, shared_data):
    raw = pd.read_csv(shared_data / FILE, encoding="utf-8-sig")
    for column, variable in (("Total energy consumption", "energy_total"), ("SO2 emissions", "so2_nbs")):
        assert (out.data["variable"] == variable).sum() == raw[column].notna().sum()
    assert set(out.data["geo"]) == {code_of(n) for n in raw["Province"]}
    assert {"230000", "150000", "640000", "450000", "650000", "540000"} <= set(out.data["geo"])  # 黑龙江 内蒙古 …
    assert out.data["year"].max() <= 2025
    assert not ((out.data["variable"] == "co2_apparent") & (out.data["geo"] == "540000")).any()


def test_va_primary_is_derived(out):
    wide = out.data.pivot_table(index=["geo", "year"], columns="variable", values="value")
    expected = wide["gdp"] - wide["va_secondary"] - wide["va_tertiary"]
    assert (wide["va_primary"] - expected).abs().max() < 1e-9
    assert set(out.data.loc[out.data["variable"] == "va_primary", "status"]) == {"derived"}
    assert set(out.data.loc[out.data["variable"] != "va_primary", "status"]) == {"reported"}


def test_missing_column(broken_csv):
    root = broken_csv(FILE, lambda f: f.drop(columns=["SO2 emissions"]))
    with pytest.raises(ReaderError, match=r"raw_data\.csv: missing column\(s\) SO2 emissions; found Province"):
        panel.read(root)


def test_text_in_a_number_column(broken_csv):
    def edit(frame):
        frame.loc[9, "Population"] = "约2440"
        return frame

    with pytest.raises(ReaderError, match=r"column 'Population' must hold numbers; found text at row 11 \('约2440'\)"):
        panel.read(broken_csv(FILE, edit))


def test_unknown_province(broken_csv):
    def edit(frame):
        frame.loc[4, "Province"] = "火星省"
        return frame

    with pytest.raises(ReaderError, match=r"row 6, column 'Province': unknown province '火星省'"):
        panel.read(broken_csv(FILE, edit))


def test_duplicate_row(broken_csv):
    root = broken_csv(FILE, lambda f: pd.concat([f, f.iloc[[3]]], ignore_index=True))
    with pytest.raises(ReaderError, match=r"duplicate row for geo=310000, year=1990 at rows 5, 1118"):
        panel.read(root)


def test_bad_year(broken_csv):
    def edit(frame):
        frame.loc[0, "Year"] = "1990年"
        return frame

    with pytest.raises(ReaderError, match=r"column 'Year' must hold numbers; found text at row 2 \('1990年'\)"):
        panel.read(broken_csv(FILE, edit))


def test_missing_and_binary_file(tmp_path):
    with pytest.raises(ReaderError, match=r"raw_data\.csv: file not found; expected the provincial panel"):
        panel.read(tmp_path)
    path = tmp_path / FILE
    path.parent.mkdir(parents=True)
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ReaderError, match="not a readable CSV file"):
        panel.read(tmp_path)
