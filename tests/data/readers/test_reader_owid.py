"""OWID China rows: GCB CO2 and coal share against the values OWID publishes, and broken copies."""

from __future__ import annotations

import pandas as pd
import pytest

from coreduce.data.readers import ReaderError, owid

CO2 = str(owid.CO2_FILE)


@pytest.fixture(scope="module")
def wide(read_once):
    out = read_once("owid")
    assert set(out.data["geo"]) == {"100000"}
    assert "gdp" not in set(out.data["variable"])  # OWID's GDP is PPP dollars, not yuan
    return out.data.pivot_table(index="year", columns="variable", values="value")


def test_gcb_co2_matches_published_values(wide):
    # Global Carbon Budget 2024 via OWID (PROVENANCE.md): China 2008 = 7,492 Mt, 2022 = 11,712 Mt.
    assert wide.loc[2008, "co2_gcb"] == pytest.approx(7492, abs=0.5)
    assert wide.loc[2022, "co2_gcb"] == pytest.approx(11712, abs=0.5)
    assert wide["co2_gcb"].last_valid_index() == 2024


def test_coal_share_is_a_fraction(wide):
    # OWID energy data (Energy Institute): coal ≈ 71.9 % of China's primary energy in 2008, ≈ 54.8 % in 2022.
    assert wide.loc[2008, "coal_share"] == pytest.approx(0.719, abs=0.001)
    assert wide.loc[2022, "coal_share"] == pytest.approx(0.548, abs=0.001)
    assert wide["coal_share"].dropna().between(0, 1).all()


def test_years_without_values_are_absent(wide):
    assert wide["primary_energy"].first_valid_index() == 1965
    assert wide["co2_gcb"].first_valid_index() == 1907  # the file's China CO2 column is empty before 1907
    assert wide.index.min() == 1907


def test_no_china_rows(broken_csv):
    root = broken_csv(CO2, lambda f: f[f["country"] != "China"])
    with pytest.raises(ReaderError, match=r"owid_co2_china_world_gcb2024\.csv: column 'country': no rows for 'China'"):
        owid.read(root)


def test_missing_column(broken_csv):
    root = broken_csv(CO2, lambda f: f.drop(columns=["co2"]))
    with pytest.raises(ReaderError, match=r"missing column\(s\) co2; found country, year"):
        owid.read(root)


def test_text_in_co2(broken_csv):
    def edit(frame):
        frame.loc[frame.index[(frame["country"] == "China") & (frame["year"] == "2008")], "co2"] = "7,492"
        return frame

    with pytest.raises(ReaderError, match=r"column 'co2' must hold numbers; found text at row \d+ \('7,492'\)"):
        owid.read(root=broken_csv(CO2, edit))


def test_duplicate_year(broken_csv):
    root = broken_csv(CO2, lambda f: pd.concat([f, f[(f["country"] == "China") & (f["year"] == "2008")]]))
    with pytest.raises(ReaderError, match=r"duplicate row for geo=100000, year=2008 at rows 160, 452"):
        owid.read(root)


def test_missing_energy_file(scratch_root):
    root = scratch_root("owid")
    (root / owid.ENERGY_FILE).unlink()
    with pytest.raises(ReaderError, match=r"owid_energy_china_world\.csv: file not found"):
        owid.read(root)
