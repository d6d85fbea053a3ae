"""techme R&D and patents: national and provincial values printed by NBS, the yearbook's own cross-table, and
broken copies."""

from __future__ import annotations

import pandas as pd
import pytest

from coreduce.data.readers import ReaderError, techme
from coreduce.geo import code_of

ACTIVITY = "techme_rd_patents/RDActivity.csv"


@pytest.fixture(scope="module")
def out(read_once):
    return read_once("techme")


def value(out, geo, year, variable):
    d = out.data
    return d.loc[(d["geo"] == geo) & (d["year"] == year) & (d["variable"] == variable), "value"].item()


def test_national_and_provincial_values(out):
    # NBS 2022 Statistical Communiqué on S&T funding: R&D expenditure 30,782.9 亿元, intensity 2.54 %;
    # Beijing 2,843.3 亿元. Yearbook patent tables (PROVENANCE.md §9): applications 全国 2022 = 5,186,407;
    # grants 全国 4,201,203, Guangdong 837,276, Beijing 202,722.
    assert value(out, "100000", 2022, "rd_expenditure") == pytest.approx(30_782.9, abs=0.05)
    assert value(out, "100000", 2022, "rd_intensity") == pytest.approx(2.54)
    assert value(out, "110000", 2022, "rd_expenditure") == pytest.approx(2_843.3, abs=0.05)
    assert value(out, "100000", 2022, "patents_applied") == 5_186_407
    assert value(out, "100000", 2022, "patents_granted") == 4_201_203
    assert value(out, "440000", 2022, "patents_granted") == 837_276
    assert value(out, "110000", 2022, "patents_granted") == 202_722


def test_expenditure_agrees_with_the_intensity_table(out, shared_data):
    # The yearbook prints R&D经费 (亿元) again beside R&D intensity; the 万元 table converted must agree.
    other = pd.read_csv(shared_data / "techme_rd_patents/RDIntense.csv")
    other = other[other["chn_block4"] == "RD经费"]
    other = other.assign(geo=other["province_clean"].map(lambda n: "100000" if n == "全国" else code_of(n)))
    mine = out.data[out.data["variable"] == "rd_expenditure"].merge(other.rename(columns={"value": "other"}))
    assert len(mine) == 32 * 13
    assert (mine["value"] - mine["other"]).abs().max() < 0.06  # printed to 0.1 亿元


def test_provinces_add_up_to_the_nation(out):
    d = out.data[out.data["variable"] == "rd_expenditure"]
    provinces = d[d["geo"] != "100000"].groupby("year")["value"].sum()
    nation = d[d["geo"] == "100000"].set_index("year")["value"]
    assert ((provinces - nation).abs() / nation).max() < 1e-4
    assert d["geo"].nunique() == 32


def test_unknown_unit(broken_csv):
    def edit(frame):
        frame.loc[5, "units"] = "千元"
        return frame

    with pytest.raises(ReaderError, match=r"RDActivity\.csv: row 7, column 'units': unknown unit '千元'"):
        techme.read(broken_csv(ACTIVITY, edit))


def test_unknown_province_and_text(broken_csv):
    def province(frame):
        frame.loc[8, "province_clean"] = "江两"
        return frame

    with pytest.raises(ReaderError, match=r"row 10, column 'province_clean': unknown province '江两'"):
        techme.read(broken_csv(ACTIVITY, province))

    def text(frame):
        frame.loc[8, "value"] = "—"
        return frame

    with pytest.raises(ReaderError, match=r"column 'value' must hold numbers; found text at row 10 \('—'\)"):
        techme.read(broken_csv(ACTIVITY, text))


def test_duplicate_and_missing_block(broken_csv):
    with pytest.raises(ReaderError, match=r"duplicate row for geo=100000, year=2023, chn_block4=合计 at rows 2, 1794"):
        techme.read(broken_csv(ACTIVITY, lambda f: pd.concat([f, f.iloc[[0]]])))
    with pytest.raises(ReaderError, match=r"RDActivity\.csv: column 'chn_block4': no rows for '合计'"):
        techme.read(broken_csv(ACTIVITY, lambda f: f[f["chn_block4"] != "合计"]))


def test_missing_file(scratch_root):
    root = scratch_root("techme_rd_patents")
    (root / "techme_rd_patents/RDPatentAuthority.csv").unlink()
    with pytest.raises(ReaderError, match=r"RDPatentAuthority\.csv: file not found"):
        techme.read(root)
