"""CEADs national inventory: totals against OpenClimate's aggregate and CEADs' printed 2008/2019 values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coreduce.data.readers import ReaderError
from coreduce.data.readers import ceads_national as national

FILE = national.FILE


@pytest.fixture(scope="module")
def out(read_once):
    return read_once("ceads_national")


@pytest.fixture(scope="module")
def sheets(shared_data) -> dict[str, pd.DataFrame]:
    book = pd.read_excel(shared_data / FILE, sheet_name=None, header=None, engine="calamine")
    return {k: book[k] for k in ("sum", "Sum-Sec-Scope 1")}


def broken_root(tmp_path, frames):
    path = tmp_path / FILE
    path.parent.mkdir(parents=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    return tmp_path


def test_totals_match_openclimate_and_published_values(out, shared_data):
    # OpenClimate's processed CEADs national file (t CO2); CEADs scope-1 2008 = 6,761 Mt, 2019 = 9,795 Mt.
    ref = pd.read_csv(shared_data / "ceads_openclimate/processed/CEADS_china_EmissionsAgg.csv").set_index("year")
    mine = out.data[out.data["variable"] == "co2_ceads"].set_index("year")["value"]
    assert sorted(mine.index) == list(range(1997, 2020))
    assert np.allclose(mine, ref.loc[mine.index, "total_emissions"] / 1e6, rtol=1e-3)
    assert mine[2008] == pytest.approx(6761, abs=0.5)
    assert mine[2019] == pytest.approx(9795, abs=0.5)
    assert set(out.data["geo"]) == {"100000"}


def test_breakdowns_have_18_fuels_and_47_sectors(out):
    names = set(out.data["variable"])
    assert len([v for v in names if ".fuel." in v]) == 18
    assert len([v for v in names if ".sector." in v]) == 47
    urban = out.data[(out.data["variable"] == "co2_ceads.sector.urban") & (out.data["year"] == 1997)]["value"]
    assert urban.iloc[0] == pytest.approx(109.775142)  # sheet 'Sum-Sec-Scope 1', row 50, 1997


def test_missing_sheet(tmp_path, sheets):
    root = broken_root(tmp_path, {"Sum-Sec-Scope 1": sheets["Sum-Sec-Scope 1"]})
    with pytest.raises(ReaderError, match=r"missing sheet 'sum'; found sheets Sum-Sec-Scope 1"):
        national.read(root)


def test_text_in_a_year_cell_and_a_value_cell(tmp_path, sheets):
    fuel = sheets["sum"].copy()
    fuel.iloc[5, 22] = "about 3000"
    root = broken_root(tmp_path, {"sum": fuel, "Sum-Sec-Scope 1": sheets["Sum-Sec-Scope 1"]})
    with pytest.raises(ReaderError, match=r"sheet 'sum': column 'co2_ceads \(column 23\)'.*row 6 \('about 3000'\)"):
        national.read(root)


def test_bad_year(tmp_path, sheets):
    fuel = sheets["sum"].astype(object)
    fuel.iloc[3, 0] = "1999a"
    root = broken_root(tmp_path, {"sum": fuel, "Sum-Sec-Scope 1": sheets["Sum-Sec-Scope 1"]})
    with pytest.raises(ReaderError, match=r"sheet 'sum': column 'year \(column A\)'.*row 4 \('1999a'\)"):
        national.read(root)


def test_duplicate_year(tmp_path, sheets):
    fuel = sheets["sum"].copy()
    fuel.iloc[3, 0] = fuel.iloc[2, 0]
    root = broken_root(tmp_path, {"sum": fuel, "Sum-Sec-Scope 1": sheets["Sum-Sec-Scope 1"]})
    with pytest.raises(ReaderError, match="a year appears twice"):
        national.read(root)


def test_sectors_that_do_not_add_up(tmp_path, sheets):
    sector = sheets["Sum-Sec-Scope 1"].copy()
    sector.iloc[10, 3] = float(sector.iloc[10, 3]) * 2
    root = broken_root(tmp_path, {"sum": sheets["sum"], "Sum-Sec-Scope 1": sector})
    with pytest.raises(ReaderError, match="the sector rows of 1999 add up to"):
        national.read(root)


def test_missing_and_corrupt_file(tmp_path):
    with pytest.raises(ReaderError, match="file not found; expected the CEADs national inventory"):
        national.read(tmp_path)
    path = tmp_path / FILE
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00" * 100)
    with pytest.raises(ReaderError, match="not an xlsx workbook"):
        national.read(tmp_path)
