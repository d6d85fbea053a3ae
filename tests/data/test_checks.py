"""Plausibility checks: schema, duplicates, impossible values, implausible jumps and documented breaks."""

from __future__ import annotations

import pandas as pd
import pytest

from coreduce.data.checks import FINDING_COLUMNS, check_duplicates, check_impossible, check_jumps, check_panel
from coreduce.geo import resolve

from ._frames import catalogue, rows

BROKEN_GDP = {(resolve(p).code, y) for p in ("Shandong", "Jiangsu", "Hebei", "Hainan") for y in (2021, 2022)}

YEARBOOK_COLUMNS = {
    "Regional GDP": "gdp",
    "Secondary industry value added": "va_secondary",
    "Tertiary industry value added from Long": "va_tertiary",
    "Population": "population",
    "SO2 emissions": "so2_nbs",
    "Total energy consumption": "energy_total",
}


def yearbook_rows(shared_data, last_year: int = 2023) -> pd.DataFrame:
    """The yearbook-style provincial panel (wangmeng_provincial_panel/raw_data.csv) as canonical rows, read
    here with plain pandas so that the check is tested independently of the reader."""
    raw = pd.read_csv(shared_data / "wangmeng_provincial_panel" / "raw_data.csv", encoding="utf-8-sig")
    raw = raw[raw["Year"] <= last_year]
    frames = []
    for column, variable in YEARBOOK_COLUMNS.items():
        part = raw[["Province", "Year", column]].dropna()
        frames.append(
            pd.DataFrame(
                {
                    "geo": [resolve(p).code for p in part["Province"]],
                    "year": part["Year"],
                    "variable": variable,
                    "value": part[column],
                    "unit": "u",
                    "source": "yearbook",
                    "status": "reported",
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def test_dip_check_finds_exactly_the_four_broken_provinces_gdp(shared_data):
    """PROVENANCE.md: the 2021–22 GDP of Shandong, Jiangsu, Hebei and Hainan in raw_data.csv is a fraction of
    the statistical communiqués' values; every other provincial GDP value 1990–2023 is plausible (including the
    genuine census revisions: Jilin 2016, Inner Mongolia 2017, Shandong and Hebei 2018)."""
    report = check_panel(yearbook_rows(shared_data))
    gdp = report.findings[report.findings["variable"] == "gdp"]
    assert set(gdp["check"]) == {"dip"}
    assert set(zip(gdp["geo"], gdp["year"], strict=True)) == BROKEN_GDP
    assert len(gdp) == 8
    hainan_2021 = gdp[(gdp["geo"] == "460000") & (gdp["year"] == 2021)].iloc[0]
    assert hainan_2021["value"] == pytest.approx(3724.3)
    assert "0.61 × the trend" in hainan_2021["detail"]


def test_dip_check_on_other_yearbook_series(shared_data):
    """The same defect shows in the sector value added of the four provinces; population is clean."""
    findings = check_panel(yearbook_rows(shared_data)).findings
    tertiary = findings[(findings["variable"] == "va_tertiary") & (findings["year"] >= 2021)]
    found = set(zip(tertiary["geo"], tertiary["year"], strict=True))
    assert found <= BROKEN_GDP
    assert {(resolve("Jiangsu").code, 2021), (resolve("Shandong").code, 2022)} <= found
    assert findings[findings["variable"] == "population"].empty
    energy = findings[(findings["variable"] == "energy_total") & (findings["check"] == "dip")]
    assert ("640000", 2020) in set(zip(energy["geo"], energy["year"], strict=True))  # Ningxia 2020 = 0.79


def test_so2_2016_is_a_known_break_not_an_error(shared_data):
    """China Statistical Yearbook on Environment: national SO2 1,859 → 855 ×10^4 t between 2015 and 2016 as the
    new environmental statistics system starts. Reported as a documented break for every province."""
    findings = check_panel(yearbook_rows(shared_data)).findings
    so2 = findings[findings["variable"] == "so2_nbs"]
    known = so2[so2["check"] == "known_break"]
    assert set(known["year"]) == {2016}
    assert known["geo"].nunique() >= 30
    assert "statistical break" in known["detail"].iloc[0]
    crossing = so2[(so2["check"].isin(["dip", "level_shift"])) & (so2["year"] == 2016)]
    assert crossing.empty


def test_geometric_trend_ignores_steady_decline_and_growth():
    steady = rows("so2_x", "110000", {y: 100 * 0.5 ** (y - 2000) for y in range(2000, 2010)}, unit="kt")
    growth = rows("gdp", "110000", {y: 100 * 1.3 ** (y - 2000) for y in range(2000, 2010)})
    found = check_jumps(pd.concat([steady, growth], ignore_index=True))
    assert "dip" not in set(found["check"])
    assert set(found["check"]) == {"level_shift"}  # halving every year is a fall of more than 40 %
    assert set(found["variable"]) == {"so2_x"}


def test_spike_and_dip_detected_and_neighbour_not_blamed():
    values = {2000: 100.0, 2001: 110.0, 2002: 12.0, 2003: 130.0, 2004: 140.0, 2005: 500.0, 2006: 160.0}
    found = check_jumps(rows("gdp", "110000", values))
    assert list(found["year"]) == [2002, 2005]
    assert list(found["check"]) == ["dip", "dip"]
    assert "below" in found["detail"].iloc[0] and "above" in found["detail"].iloc[1]


def test_level_shift_without_recovery_is_not_a_dip():
    found = check_jumps(
        rows("gdp", "110000", {2000: 100.0, 2001: 105.0, 2002: 40.0, 2003: 42.0, 2004: 44.0, 2005: 46.0, 2006: 48.0})
    )
    assert list(zip(found["check"], found["year"], strict=True)) == [("level_shift", 2002)]


def test_runs_longer_than_max_run_are_levels():
    values = {2000: 100.0, 2001: 40.0, 2002: 41.0, 2003: 42.0, 2004: 43.0, 2005: 110.0}
    assert set(check_jumps(rows("gdp", "1", values), max_run=3)["check"]) == {"level_shift"}
    assert set(check_jumps(rows("gdp", "1", values), max_run=4)["check"]) == {"dip"}


def test_impossible_values():
    frame = pd.concat(
        [
            rows("gdp", "110000", {2008: -1.0, 2009: 5.0}),
            rows("coal_share", "110000", {2008: 1.2, 2009: 0.5}, unit="fraction"),
            rows("rd_intensity", "110000", {2008: 101.0, 2009: 6.0}, unit="percent"),
            rows("net_flow", "110000", {2008: -3.0}, unit="Mt"),
        ],
        ignore_index=True,
    )
    units = {"gdp": "1e8 CNY", "coal_share": "fraction", "rd_intensity": "percent", "net_flow": "Mt"}
    found = check_impossible(frame, units, signed=["net_flow"])
    assert list(zip(found["variable"], found["year"], strict=True)) == [
        ("gdp", 2008),
        ("coal_share", 2008),
        ("rd_intensity", 2008),
    ]
    assert "negative" in found["detail"].iloc[0] and "upper bound 1" in found["detail"].iloc[1]


def test_duplicates_and_schema_findings():
    frame = pd.concat([rows("gdp", "110000", {2008: 1.0}), rows("gdp", "110000", {2008: 2.0})], ignore_index=True)
    dup = check_duplicates(frame)
    assert len(dup) == 2 and "occurs 2 times" in dup["detail"].iloc[0]
    bad = rows("gdp", "110000", {2008: 1.0}).assign(status="guessed")
    report = check_panel(bad, catalogue(("gdp", "1e8 CNY")))
    schema = report.findings[report.findings["check"] == "schema"]
    assert "status" in schema["detail"].iloc[0]
    assert list(report.findings.columns) == list(FINDING_COLUMNS)
    assert "schema" in report.summary()


def test_bad_thresholds_rejected():
    with pytest.raises(ValueError, match="ratio"):
        check_jumps(rows("gdp", "1", {2000: 1.0}), ratio=1.5)
