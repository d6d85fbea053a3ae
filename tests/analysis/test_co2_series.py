"""The CEADs-based CO2 as the province analyses' default, and the sensitivity of every province's co-control
status to the CO2 series, on the bundled panel built from the public files.

Published numbers used: CEADs provincial CO2 (IPCC sectoral approach, scope 1, total with cement process) of
Beijing, 99.21 Mt in 2008 and 89.18 Mt in 2019 (CEADs inventories, ``shared/data/PROVENANCE.md`` §1: "Beijing
falling from 99 to 89 Mt (2008–2019)"); CEDS grid sums of Beijing 110.5 Mt (2012) and 188.8 Mt (2013), the known
break the CEDS note states.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from coreduce.analysis.co2_series import SENSITIVITY_SERIES, co2_sensitivity
from coreduce.analysis.conventions import ProvinceConventions as C
from coreduce.analysis.costatus import costatus
from coreduce.cli.main import app
from coreduce.geo import NATIONAL_CODE, provinces

BEIJING, TIBET = "110000", "540000"


@pytest.fixture(scope="module")
def panel(bundled_panel):
    return bundled_panel


@pytest.fixture(scope="module")
def sensitivity(panel):
    return co2_sensitivity(panel)


def test_costatus_uses_the_ceads_series_by_default_and_names_tibet(panel):
    result = costatus(panel)
    assert result.convention("co2") == "co2_ceads_energy" and result.convention("membership") == "covered"
    window = result.window.set_index("geo")
    values = panel.wide(["co2_ceads_energy"], [BEIJING]).loc[BEIJING, "co2_ceads_energy"]
    assert window.loc[BEIJING, "reduction_co2"] == pytest.approx(1 - values[2022] / values[2008], rel=1e-12)
    assert window.loc[BEIJING, "quadrant"] == "I"  # CEADs: Beijing cut SO2 and CO2 together
    assert window.loc[TIBET, "quadrant"] == "missing"
    assert any(m.geo == TIBET and m.series == "co2_ceads_energy" for m in result.missing)
    west = [m for m in result.missing if m.geo == "West" and m.reason == "missing.not_covered"]
    assert west and "540000" in dict(west[0].params)["members"]
    assert any(n.key == "note.co2.ceads_energy" for n in result.notes)


def test_every_province_under_every_series(sensitivity):
    table = sensitivity.quadrants.set_index("geo")
    assert list(table.index) == [p.code for p in provinces()] + [NATIONAL_CODE]
    assert all(series in table.columns for series in SENSITIVITY_SERIES)
    assert table[list(SENSITIVITY_SERIES)].notna().all().all()  # a cell without a quadrant says "missing"
    assert set(sensitivity.rates["series"]) == set(SENSITIVITY_SERIES)
    # CEADs (to 2019, published values) and the CEADs-based series put Beijing in quadrant I, CEDS in IV
    assert table.loc[BEIJING, ["co2_ceads_energy", "co2_ceads", "co2_apparent"]].tolist() == ["I", "I", "I"]
    assert table.loc[BEIJING, "co2_ceds"] == "IV" and not table.loc[BEIJING, "all_agree"]
    rates = sensitivity.rates.set_index(["series", "geo"])
    assert rates.loc[("co2_ceads", BEIJING), "end"] == 2019
    assert rates.loc[("co2_ceads", BEIJING), "reduction_co2"] == pytest.approx(1 - 89.184484 / 99.208923, rel=1e-6)
    # Tibet: none of the CEADs series covers it; GCB is national only, so the nation has a GCB quadrant
    assert table.loc[TIBET, "co2_ceads_energy"] == "missing" and table.loc[TIBET, "co2_ceds"] != "missing"
    assert table.loc[NATIONAL_CODE, "co2_gcb"] in {"I", "II", "III", "IV"}
    assert (table.drop(index=NATIONAL_CODE)["co2_gcb"] == "missing").all()
    reasons = {(m.series, m.reason) for m in sensitivity.missing}
    assert ("co2_gcb", "missing.national_only") in reasons and ("co2_ceads_energy", "missing.not_in_panel") in reasons
    assert {n.key for n in sensitivity.notes} >= {"note.co2.ceds", "note.co2.apparent", "note.co2.shorter_window"}


def test_a_series_the_panel_lacks_is_recorded(panel):
    result = co2_sensitivity(panel, C(), series=("co2_ceads_energy", "co2_nope"))
    assert list(result.series["variable"]) == ["co2_ceads_energy"]
    assert any(m.series == "co2_nope" and m.reason == "missing.not_in_panel" for m in result.missing)


def test_synergy_cli_prints_beijing_from_ceads_and_the_sensitivity_table(tmp_path):
    runner = CliRunner()
    out = tmp_path / "status.csv"
    result = runner.invoke(app, ["synergy", "--level", "province", "--out", str(out)])
    assert result.exit_code == 0, result.output
    import pandas as pd

    frame = pd.read_csv(out, dtype={"geo": str}).set_index("geo")
    assert frame.loc[BEIJING, "quadrant"] == "I"
    assert "co2_ceads_energy" in result.output
    sens = tmp_path / "sensitivity.csv"
    result = runner.invoke(app, ["synergy", "--sensitivity", "--out", str(sens)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(sens, dtype={"geo": str}).set_index("geo")
    assert len(table) == 32 and table.loc[BEIJING, "co2_ceds"] == "IV"
