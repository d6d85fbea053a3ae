"""The same classes of bad input for every CSV-based reader: each gives a ReaderError naming file, row and column.

Each case writes a broken copy of one public file into a scratch root (the reader's other files are linked
unchanged); the public files are never modified.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pytest

from coreduce.data.readers import ReaderError, reader


class Case(NamedTuple):
    reader: str
    file: str
    number: str  # a numeric column
    first_row: int  # index of a data row the reader keeps (used for text and duplicates)


CASES = [
    Case("yearbook_panel", "wangmeng_provincial_panel/raw_data.csv", "Population", 0),
    Case("owid", "owid/owid_co2_china_world_gcb2024.csv", "co2", 120),
    Case("owid", "owid/owid_energy_china_world.csv", "coal_consumption", 100),
    Case("ceds_national", "ceds_v2021/ceds_v2021_02_05_china_SO2_NOx_CO2_1990_2019.csv", "value", 0),
    Case("ceds_provincial", "ceds_provincial_crea/ceds_v2024_04_01_china_gadm1_by_sector_2000_2022.csv",
         "emission", 0),
    Case("aqli", "aqli/aqli2023_china_regions_popweighted_pm25_1998_2021.csv", "pop_weighted_avg_pm2.5", 0),
    Case("nbs_national_gdp", "gcam_china_extracts/national_gdp_nbs_100million_yuan_1975_2019.csv",
         "gdp_national_total_100m_yuan", 0),
    Case("nbs_national_gdp", "gcam_china_extracts/gdp_deflator_worldbank_NY.GDP.DEFL.ZS_china_2015eq100.csv",
         "GDP deflator", 0),
    Case("techme", "techme_rd_patents/RDActivity.csv", "value", 0),
    Case("techme", "techme_rd_patents/RDIntense.csv", "value", 0),
    Case("techme", "techme_rd_patents/RDPatentAccept.csv", "value", 0),
    Case("techme", "techme_rd_patents/RDPatentAuthority.csv", "value", 0),
    Case("green_panel", "yumanlou_green_panel/final_data.1.3.4_did.csv", "green_invention_patents", 0),
    Case("green_panel", "yumanlou_green_panel/energystruct.csv", "能源消费结构（煤炭占比）", 0),
]  # fmt: skip
IDS = [f"{c.reader}:{Path(c.file).name}" for c in CASES]


@pytest.fixture
def scratch(tmp_path, shared_data):
    """``make(case, edit)``: a root holding the case's folder, with ``edit(frame)`` written over its file.

    ``edit`` gets the file's cells as text and returns the frame to write, or bytes to write as they are, or
    None to leave the file out.
    """

    def make(case: Case, edit) -> Path:
        root = tmp_path / "data"
        folder = Path(case.file).parent
        (root / folder).mkdir(parents=True)
        for file in (shared_data / folder).iterdir():
            if file.name != Path(case.file).name:
                (root / folder / file.name).symlink_to(file)
        frame = pd.read_csv(shared_data / case.file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        result = edit(frame)
        if isinstance(result, bytes):
            (root / case.file).write_bytes(result)
        elif result is not None:
            result.to_csv(root / case.file, index=False)
        return root

    return make


def read(case: Case, root: Path):
    return reader(case.reader).read(root)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_missing_file(case, scratch):
    with pytest.raises(ReaderError, match=rf"{Path(case.file).name}: file not found; expected "):
        read(case, scratch(case, lambda f: None))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_missing_column(case, scratch):
    root = scratch(case, lambda f: f.drop(columns=[case.number]))
    with pytest.raises(ReaderError, match=rf"{Path(case.file).name}: missing column\(s\) {case.number}; found "):
        read(case, root)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_text_in_a_number_column(case, scratch):
    def edit(frame):
        frame.loc[case.first_row, case.number] = "12 (est.)"
        return frame

    expected = rf"column '{case.number}' must hold numbers; found text at row {case.first_row + 2} \('12 \(est\.\)'\)"
    with pytest.raises(ReaderError, match=expected):
        read(case, scratch(case, edit))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_infinity_is_not_a_number(case, scratch):
    def edit(frame):
        frame.loc[case.first_row, case.number] = "inf"
        return frame

    with pytest.raises(ReaderError, match=rf"found text at row {case.first_row + 2} \('inf'\)"):
        read(case, scratch(case, edit))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_duplicate_row(case, scratch):
    root = scratch(case, lambda f: pd.concat([f, f.iloc[[case.first_row]]], ignore_index=True))
    with pytest.raises(ReaderError, match=rf"duplicate row for .* at rows {case.first_row + 2}, \d+"):
        read(case, root)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_header_only_file(case, scratch):
    with pytest.raises(ReaderError, match="the file has a header but no data rows"):
        read(case, scratch(case, lambda f: f.iloc[:0]))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_empty_and_binary_file(case, scratch, tmp_path):
    with pytest.raises(ReaderError, match=r"not a readable CSV file \(No columns to parse"):
        read(case, scratch(case, lambda f: b""))


def test_binary_file(scratch):
    case = CASES[0]
    with pytest.raises(ReaderError, match="not a readable CSV file"):
        read(case, scratch(case, lambda f: bytes(range(256)) * 8))
