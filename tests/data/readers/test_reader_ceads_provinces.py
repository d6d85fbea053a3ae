"""CEADs provincial inventories: real workbooks cross-checked with OpenClimate's aggregate, and broken copies."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coreduce.data.readers import ReaderError
from coreduce.data.readers import ceads_provinces as ceads
from coreduce.data.readers._ceads import SECTORS
from coreduce.geo import resolve

YEAR = 2008
FILE = f"ceads_openclimate/provinces/Emission_Inventories_for_30_Provinces_{YEAR}.xlsx"


@pytest.fixture(scope="module")
def out(read_once):
    return read_once("ceads_provinces")


@pytest.fixture(scope="module")
def sheets(shared_data) -> dict[str, pd.DataFrame]:
    return pd.read_excel(shared_data / FILE, sheet_name=None, header=None, engine="calamine")


def write_book(path: Path, frames: dict[str, pd.DataFrame]) -> Path:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    return path


def test_province_totals_match_openclimate_aggregate(out, shared_data):
    # Open Earth Foundation's processed CEADs file (t CO2), an independent aggregation of the same inventories.
    ref = pd.read_csv(shared_data / "ceads_openclimate/processed/CEADS_china_provinces_EmissionsAgg.csv")
    ref["geo"] = ref["actor_id"].map(lambda iso: resolve(iso).code)
    mine = out.data[out.data["variable"] == "co2_ceads"]
    both = mine.merge(ref, on=["geo", "year"], how="outer", indicator=True)
    # the aggregate starts in 1998; the 1997 workbook is read but has nothing to compare with
    assert set(both.loc[both["_merge"] != "both", "year"]) == {1997}
    both = both[both["_merge"] == "both"]
    assert len(both) == 30 * 22
    assert np.allclose(both["value"], both["total_emissions"] / 1e6, rtol=1e-3)


def test_sum_of_provinces_2008_and_2019(out):
    # PROVENANCE.md "Checks performed": sum of 30 provinces 2008 = 7.21 Gt, 2019 = 10.86 Gt.
    total = out.data[out.data["variable"] == "co2_ceads"].groupby("year")["value"].sum()
    assert total[2008] == pytest.approx(7205, abs=1)
    assert total[2019] == pytest.approx(10864, abs=1)


def test_fuels_and_sectors_are_harmonised_across_vintages(out):
    variables = set(out.data["variable"])
    fuels = {v for v in variables if ".fuel." in v}
    sectors = {v for v in variables if ".sector." in v}
    assert len(fuels) == 18 and "co2_ceads.fuel.cleaned_coal" in fuels and "co2_ceads.fuel.process" in fuels
    assert len(sectors) == 47 == len(SECTORS)
    per_year = out.data.groupby("year")["variable"].nunique()
    # 1 total + 1 energy-related + 18 fuels + 47 sectors: old ("Raw Coal") and new ("Raw_Coal") headers give one set
    assert (per_year == 67).all()
    assert set(out.catalogue["variable"]) == variables
    assert (out.catalogue["publisher"] == "CEADs").all()


def test_parts_add_up_to_totals(out):
    wide = out.data.pivot_table(index=["geo", "year"], columns="variable", values="value")
    fuels = wide[[c for c in wide.columns if ".fuel." in c]].sum(axis=1)
    sectors = wide[[c for c in wide.columns if ".sector." in c]].sum(axis=1)
    assert np.allclose(fuels, wide["co2_ceads"], rtol=1e-9)
    assert np.allclose(sectors, wide["co2_ceads"], rtol=1e-9)
    assert set(out.data["status"]) == {"reported"}
    assert not (out.data["geo"] == resolve("Tibet").code).any()


def test_missing_workbook_is_named(scratch_root):
    root = scratch_root("ceads_openclimate/provinces")
    (root / "ceads_openclimate/provinces/Emission_Inventories_for_30_Provinces_2003.xlsx").unlink()
    with pytest.raises(ReaderError, match=r"missing workbook.*_2003\.xlsx"):
        ceads.read(root)


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(ReaderError, match="folder not found"):
        ceads.read(tmp_path)


def test_corrupt_workbook(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_text("Province,Year\nBeijing,2008\n")
    with pytest.raises(ReaderError, match=r"book.xlsx: not an xlsx workbook"):
        ceads.read_workbook_rows(path, YEAR)


def test_truncated_zip_is_rejected(tmp_path, shared_data):
    path = tmp_path / "book.xlsx"
    path.write_bytes((shared_data / FILE).read_bytes()[:20000])
    with pytest.raises(ReaderError, match=r"book\.xlsx"):
        ceads.read_workbook_rows(path, YEAR)


def test_sheet_of_another_year(tmp_path, sheets):
    frames = {"NOTE": sheets["NOTE"], "Beijing2007": sheets["Beijing2008"]}
    with pytest.raises(ReaderError, match=r"sheet 'Beijing2007': unexpected sheet name; expected '<Province>2008'"):
        ceads.read_workbook_rows(write_book(tmp_path / "b.xlsx", frames), YEAR)


def test_missing_province_sheet(tmp_path, sheets):
    frames = {k: v for k, v in sheets.items() if k != "Hainan2008"}
    with pytest.raises(ReaderError, match="29 province sheets; expected 30"):
        ceads.read_workbook_rows(write_book(tmp_path / "b.xlsx", frames), YEAR)


def test_unknown_province_in_sheet_name(tmp_path, sheets):
    frames = {"NOTE": sheets["NOTE"], "Atlantis2008": sheets["Beijing2008"]}
    with pytest.raises(ReaderError, match=r"sheet 'Atlantis2008': the sheet name names no province"):
        ceads.read_workbook_rows(write_book(tmp_path / "b.xlsx", frames), YEAR)


def test_missing_fuel_column(tmp_path, sheets):
    broken = sheets["Beijing2008"].drop(columns=[5]).T.reset_index(drop=True).T  # column F = Coke
    with pytest.raises(ReaderError, match=r"sheet 'Beijing2008': row 1: missing column\(s\) Coke"):
        ceads.read_workbook_rows(write_book(tmp_path / "b.xlsx", {"Beijing2008": broken}), YEAR)


def test_text_in_a_number_cell(tmp_path, sheets):
    broken = sheets["Beijing2008"].copy()
    broken.iloc[10, 1] = "n/a"
    with pytest.raises(ReaderError, match=r"sheet 'Beijing2008': column 'raw_coal \(column 2\)'.*row 11 \('n/a'\)"):
        ceads.read_workbook_rows(write_book(tmp_path / "b.xlsx", {"Beijing2008": broken}), YEAR)


def test_unknown_and_duplicate_sector(tmp_path, sheets):
    broken = sheets["Beijing2008"].copy()
    broken.iloc[8, 0] = "Space Mining"
    with pytest.raises(ReaderError, match=r"row 9, column A: unknown sector 'Space Mining'"):
        ceads.read_workbook_rows(write_book(tmp_path / "b.xlsx", {"Beijing2008": broken}), YEAR)
    broken.iloc[8, 0] = broken.iloc[7, 0]
    with pytest.raises(ReaderError, match=r"row 9, column A: duplicate sector"):
        ceads.read_workbook_rows(write_book(tmp_path / "c.xlsx", {"Beijing2008": broken}), YEAR)


def test_parts_that_do_not_add_up(tmp_path, sheets):
    broken = sheets["Beijing2008"].copy()
    broken.iloc[3, 1] = float(broken.iloc[3, 1]) + 5.0  # total row, Raw Coal
    with pytest.raises(ReaderError, match="the fuel columns add up to"):
        ceads.read_workbook_rows(write_book(tmp_path / "b.xlsx", {"Beijing2008": broken}), YEAR)


def test_missing_total_row(tmp_path, sheets):
    broken = sheets["Beijing2008"].copy()
    broken.iloc[3, 0] = "Sum"
    with pytest.raises(ReaderError, match="no 'Total Consumption'/'TotalEmissions' row"):
        ceads.read_workbook_rows(write_book(tmp_path / "b.xlsx", {"Beijing2008": broken}), YEAR)


def test_energy_related_co2_is_the_total_less_the_cement_process(out):
    wide = out.data.pivot_table(index=["geo", "year"], columns="variable", values="value")
    energy = wide["co2_ceads"] - wide["co2_ceads.fuel.process"]
    assert np.allclose(wide["co2_ceads_energy"], energy, rtol=0, atol=1e-9)
    # PROVENANCE.md §17: CEADs energy CO2 of the 30 provinces in 2019 is 10.20 Gt (total 10.86 Gt with cement)
    assert wide["co2_ceads_energy"].xs(2019, level="year").sum() == pytest.approx(10202, abs=1)
