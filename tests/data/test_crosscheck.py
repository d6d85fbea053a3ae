"""Checks across sources and against physics, on the real public files, and the gate that stops impossible values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coreduce.data import crosscheck
from coreduce.data.checks import check_panel
from coreduce.data.gate import OVERRIDE_SOURCE, ImpossibleValueError, gate
from coreduce.data.store import Store, StoreError

from ._frames import catalogue, rows

READERS = ("ceads_provinces", "ceads_national", "ceads_derived", "ceds_provincial", "yearbook_panel", "owid")


@pytest.fixture(scope="module")
def report(shared_data):
    """check_panel on the rows the readers give from the public files (no repairs)."""
    from coreduce.data.readers import reader

    outs = [reader(name).read(shared_data) for name in READERS]
    data = pd.concat([o.data for o in outs], ignore_index=True)
    cats = pd.concat([o.catalogue for o in outs], ignore_index=True).drop_duplicates("variable")
    return check_panel(data, cats)


def _find(report, check, variable, geo, year):
    f = report.findings
    return f[(f["check"] == check) & (f["variable"] == variable) & (f["geo"] == geo) & (f["year"] == year)]


def test_the_ceds_beijing_break_of_2013_is_found(report):
    # CEDS gridded CO2 summed over Beijing: 110.5 Mt (2012) → 188.8 Mt (2013), × 1.71; CEADs has Beijing falling
    hit = _find(report, "jump", "co2_ceds", "110000", 2013)
    assert len(hit) == 1 and hit["value"].iloc[0] == pytest.approx(188.8, abs=0.05)
    assert "1.71 × 2012" in hit["detail"].iloc[0]
    ratio = _find(report, "source_ratio", "co2_ceds", "110000", 2013)
    assert len(ratio) and "× co2_ceads" in ratio["detail"].iloc[0]
    assert _find(report, "source_ratio", "co2_ceds", "110000", 2012).empty  # the two agree before the break
    # CEADs provincial CO2 2008–2019 has no such jump anywhere
    f = report.findings
    assert f[(f["check"] == "jump") & (f["variable"] == "co2_ceads") & (f["year"] >= 2008)].empty


def test_the_apparent_inventory_sums_above_the_national_total(report):
    # PROVENANCE.md §18: the apparent inventory's 30 provinces sum to 12,272 Mt in 2019 against CEADs' national
    # 9,795 Mt (× 1.253), and to 13,402 Mt in 2022 against GCB's 11,712 Mt (× 1.144)
    y2019 = _find(report, "sum_exceeds_national", "co2_apparent", "100000", 2019)
    assert any("1.253 × the national co2_ceads" in d for d in y2019["detail"])
    y2022 = _find(report, "sum_exceeds_national", "co2_apparent", "100000", 2022)
    assert any("1.144 × the national co2_gcb" in d for d in y2022["detail"])
    # Shanxi's apparent CO2 is about three times its sectoral CO2 (PROVENANCE.md §2: ratio 0.65–3.0 in 2019)
    shanxi = _find(report, "source_ratio", "co2_apparent", "140000", 2019)
    assert len(shanxi) and float(shanxi["detail"].iloc[0].split(" ×")[0]) > 2.5
    assert report.conventions["sum_vs_national_tolerance"] == 0.10


def test_physical_bounds_and_non_finite_values():
    frame = pd.concat(
        [
            rows("pm25_acag", "150000", {2019: 7.2e34, 2020: 35.0}, unit="ug/m3"),
            rows("co2_x", "140000", {2019: float("inf")}, unit="Mt"),
            rows("so2_x", "140000", {2019: -1.5}, unit="kt"),
        ],
        ignore_index=True,
    )
    units = {"pm25_acag": "ug/m3", "co2_x": "Mt", "so2_x": "kt"}
    found = pd.DataFrame(crosscheck.check_bounds(frame, units))
    assert set(zip(found["variable"], found["year"], strict=True)) == {("pm25_acag", 2019), ("co2_x", 2019)}
    assert "above the physical bound 1000 ug/m3" in found.set_index("variable").loc["pm25_acag", "detail"]
    with pytest.raises(ImpossibleValueError) as info:
        gate(frame, units, "file.nc")
    text = str(info.value)
    assert "3 impossible value(s), nothing was stored" in text
    assert "file.nc: pm25_acag at Inner Mongolia (150000) in 2019 = 7.2e+34" in text
    assert "so2_x at Shanxi (140000) in 2019 = -1.5" in text and "--allow-impossible" in text
    kept = gate(frame, units, "file.nc", allow=True)
    assert len(kept) == 3 and (kept["source"] == OVERRIDE_SOURCE).all()


def _sources():
    return pd.DataFrame(
        [dict(source="s1", publisher="Test", title="t", licence="l", citation="c", files="f.csv")],
    )


def test_add_series_refuses_an_impossible_value_and_leaves_the_store_byte_identical(tmp_path):
    store = Store(tmp_path / "panel.duckdb")
    store.add_series(rows("so2_x", "110000", {2019: 10.0}, unit="kt"), catalogue(("so2_x", "kt")), _sources())
    before = (tmp_path / "panel.duckdb").read_bytes()
    bad = rows("nox_x", "110000", {2019: 5.0, 2020: -3.25}, unit="kt")
    with pytest.raises(StoreError, match=r"grid\.nc: nox_x at Beijing \(110000\) in 2020 = -3\.25"):
        store.add_series(bad, catalogue(("nox_x", "kt")), _sources(), origin="grid.nc")
    assert (tmp_path / "panel.duckdb").read_bytes() == before
    assert store.add_series(bad, catalogue(("nox_x", "kt")), _sources(), allow_impossible=True) == 2
    log = store.corrections()
    assert len(log) == 1 and log["source"].iloc[0] == OVERRIDE_SOURCE and log["old_value"].iloc[0] == -3.25
    assert np.isclose(store.panel().wide(["nox_x"]).loc[("110000", 2020), "nox_x"], -3.25)
