"""The Stata export opens the way a researcher expects: numeric province codes with value labels, names in
Chinese and English, the region, variable labels, only the window asked for, wide or long, readable by others."""

from __future__ import annotations

import stat

import pandas as pd
import pytest

from coreduce.data import load_bundled
from coreduce.data.export import export_panel, read_export
from coreduce.geo import provinces


@pytest.fixture(scope="module")
def panel():
    return load_bundled()


def test_wide_stata_has_labelled_codes_names_region_and_only_the_window(panel, tmp_path):
    path = export_panel(panel, tmp_path / "panel.dta", years=(2008, 2022), variables=["gdp", "co2_ceads"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # readable by the group and others, not owner-only
    labelled = pd.read_stata(path)  # value labels applied, as Stata shows them
    raw = pd.read_stata(path, convert_categoricals=False)
    with pd.io.stata.StataReader(path) as reader:
        labels = reader.variable_labels()
        value_labels = reader.value_labels()
    assert list(raw.columns[:5]) == ["geo", "name_zh", "name_en", "region", "year"]
    assert (raw["year"].min(), raw["year"].max()) == (2008, 2022)  # not 1907–2025
    assert raw["geo"].dtype.kind == "i" and set(raw["geo"]) == {100000} | {int(p.code) for p in provinces()}
    jiangsu = labelled[(raw["geo"] == 320000) & (raw["year"] == 2021)].iloc[0]
    assert (jiangsu["geo"], jiangsu["name_zh"], jiangsu["name_en"]) == ("江苏省 Jiangsu", "江苏省", "Jiangsu")
    assert jiangsu["region"] == "东部 East" and jiangsu["gdp"] == pytest.approx(116364.2)
    assert labelled.loc[raw["geo"] == 100000, "region"].iloc[0] == "全国 China (national total)"
    assert labels["gdp"] == "gdp [1e8 CNY]" and labels["co2_ceads"] == "co2_ceads [Mt]"
    assert labels["region"] == "region (four_regions)" and len(value_labels) == 2
    assert len(raw) == 32 * 15  # 31 provinces and China, 15 years: balanced, gaps stay missing


def test_long_stata_labels_the_status_and_round_trips(panel, tmp_path):
    path = export_panel(panel, tmp_path / "long.dta", years=(2019, 2021), variables=["gdp"], layout="long",
                        grouping="three_belts")  # fmt: skip
    labelled = pd.read_stata(path)
    assert set(labelled["status"].astype(str)) <= {"reported", "interpolated", "corrected", "derived"}
    assert "corrected" in set(labelled["status"].astype(str))  # Jiangsu 2021, a cited correction
    regions = {"东部地带 East", "中部地带 Central", "西部地带 West", "全国 China (national total)"}
    assert set(labelled["region"].astype(str)) == regions
    back = read_export(path)["data"]
    row = back[(back["geo"] == "320000") & (back["year"] == 2021)].iloc[0]
    assert (row["variable"], row["status"], row["value"]) == ("gdp", "corrected", pytest.approx(116364.2))
