"""The factor library: derived values checked against the numbers printed in the source files and provenance."""

from __future__ import annotations

import pandas as pd
import pytest

from coreduce.accounting import FactorError, build_factor_library, load_factor_library
from coreduce.accounting.library import COLUMNS, GCAM_LICENCE_FILE


@pytest.fixture(scope="module")
def library():
    return load_factor_library()


def _one(frame: pd.DataFrame, factor_id: str) -> pd.Series:
    hit = frame[frame["factor_id"] == factor_id]
    assert len(hit) == 1, factor_id
    return hit.iloc[0]


def test_library_columns_and_vocabulary(library):
    frame = library.frame
    assert list(frame.columns) == COLUMNS
    assert set(frame["activity_type"]) == {"fuel", "electricity", "material", "freight"}
    assert frame["factor_id"].is_unique
    assert frame["verified"].map(type).eq(bool).all()
    assert (frame["value"] >= 0).all()
    assert frame["publisher"].str.len().gt(0).all() and frame["citation"].str.len().gt(0).all()
    assert {"co2", "so2", "nox", "pm25", "bc", "oc", "voc"} <= set(frame["pollutant"])


def test_ceds_hard_coal_co2(library):
    # CEDS CO2_base_EF.xlsx: hard coal 9.387517970731849e-11 kt CO2/kJ (CDIAC) = 93.875 kg/GJ;
    # Fraction_Oxidized sheet: chn hard coal 0.96  →  93.875 × 0.96 = 90.120 kg CO2/GJ.
    row = _one(library.frame, "ceds:hard_coal/*/*:*:co2")
    assert row["unit"] == "kg/GJ"
    # kt/kJ → kg/GJ: × 1e6 kg/kt × 1e6 kJ/GJ = × 1e12.
    assert row["value"] == pytest.approx(9.387517970731849e-11 * 1e12 * 0.96, rel=1e-7)
    assert row["value"] == pytest.approx(90.12, abs=0.01)


def test_grid_factors_and_verification_follow_provenance(library):
    frame = library.frame
    # MEE/NBS 2022 East China regional grid 0.5617 kgCO2/kWh, seen in a news report → verified.
    east22 = _one(frame, "grid:east/2022:east:co2")
    assert east22["value"] == 0.5617 and bool(east22["verified"])
    # 2021 regional values come only from third-party code (PROVENANCE-factors.md) → unverified.
    east21 = _one(frame, "grid:east/2021:east:co2")
    assert east21["value"] == 0.5992 and not bool(east21["verified"])
    national21 = _one(frame, "grid:national/2021:national:co2")
    assert national21["value"] == 0.5568 and bool(national21["verified"])
    # Co-pollutants of electricity are derived and never verified.
    assert not frame[(frame["activity_type"] == "electricity") & (frame["pollutant"] != "co2")]["verified"].any()


def test_gains_implied_factors_match_provenance_checks(library):
    frame = library.frame
    # PROVENANCE-factors.md: "power coal CO2 0.0944 Mt/PJ = 94 400 kg/TJ" → 94.4 kg/GJ.
    co2 = _one(frame, "gains:coal/power/old:CN:co2:2000")
    assert co2["value"] == pytest.approx(94.4, rel=0.01)
    # "power-coal SO2 0.91 kg/GJ (2000) → 0.11 (2015, old plants)"; "NOx 0.35 → 0.08 kg/GJ".
    assert _one(frame, "gains:coal/power/old:CN:so2:2000")["value"] == pytest.approx(0.91, abs=0.01)
    assert _one(frame, "gains:coal/power/old:CN:so2:2015")["value"] == pytest.approx(0.11, abs=0.005)
    assert _one(frame, "gains:coal/power/old:CN:nox:2000")["value"] == pytest.approx(0.35, abs=0.01)
    # Residential coal heating is excluded (incomplete activity, ratios ~10x too high).
    assert not frame["citation"].str.contains("End_Use_Residential_Coal_Heat").any()


def test_gcam_floor_and_licence_travel_with_library(library):
    frame = library.frame
    # A51.min_coeff.csv: electricity / coal / coal (conv pul): SO2 0.0047, NOx 0.0078 kg/GJ.
    so2 = _one(frame, "gcam:coal/power/gcam_min:coal (conv pul):*:so2")
    nox = _one(frame, "gcam:coal/power/gcam_min:coal (conv pul):*:nox")
    assert (so2["value"], nox["value"]) == (0.0047, 0.0078)
    assert "ECL-2.0" in so2["licence"]
    text = library.notices[GCAM_LICENCE_FILE]
    assert "Educational Community License" in text and "Changes made by coreduce" in text
    gcam = library.attribution(frame.loc[frame["factor_id"].str.startswith("gcam:"), "factor_id"])
    assert len(gcam) == 1 and "ECL-2.0" in gcam["licence"].iloc[0]
    assert gcam["notice"].iloc[0] == GCAM_LICENCE_FILE


def test_beis_freight_and_derived_copollutants(library):
    frame = library.frame
    # BEIS 2020 flat file: HGV (all diesel) / All HGVs / Average laden: 0.10487 kg CO2 per tonne.km.
    hgv = _one(frame, "beis:hgv_all_diesel/all_hgvs:GB:co2")
    assert (hgv["value"], hgv["unit"]) == (0.10487, "kg/(t*km)")
    # NOx per t·km = 0.10487 / 0.26536 (diesel kg CO2/kWh net CV) × 0.0036 GJ/kWh × GAINS HDT NOx (kg/GJ, 2015).
    truck = _one(frame, "gains:heavy_liquid_fuel/transport/hdt:CN:nox:2015")["value"]
    nox = _one(frame, "beis:hgv_all_diesel/all_hgvs:CN:nox:2015")
    assert nox["value"] == pytest.approx(0.10487 / 0.26536 * 0.0036 * truck, rel=1e-6)
    assert nox["status"] == "derived"


def test_ceds_china_power_coal_so2_from_parameters(library):
    # CEDS EF_parameters (Liu et al. 2015): S 1.01 % (1990) → 0.95 % (2010), ash retention 0.15, power control
    # 0 / 0.05 / 0.70 (2000 / 2005 / 2010). EF = 64.064/32.06 × S × (1 − 0.15) × (1 − control) kg/kg → × 1000 kg/t.
    # 2010: 1.99825 × 0.0095 × 0.85 × 0.30 × 1000 = 4.8408 kg SO2 per t of coal; uncontrolled 16.1359 kg/t.
    frame = library.frame
    assert _one(frame, "ceds:hard_coal/power/*:CN:so2:2010")["value"] == pytest.approx(
        64.064 / 32.06 * 0.0095 * 0.85 * 0.30 * 1000, rel=1e-7
    )
    # 2000: S interpolated 0.0101 + (0.0095 − 0.0101) × 10/20 = 0.0098, control 0.
    assert _one(frame, "ceds:hard_coal/power/uncontrolled:CN:so2:2000")["value"] == pytest.approx(
        64.064 / 32.06 * 0.0098 * 0.85 * 1000, rel=1e-7
    )
    assert _one(frame, "ceds:hard_coal/power/*:CN:so2:2010")["unit"] == "kg/t"


def test_bond_bc_oc_per_tonne_of_fuel(library):
    # CD.BC_bond_EF_region.csv, East Asia, hard_coal, 1A4b_Residential, latest year: BC 0.001674832 kt/kt
    # → 1.674832 kg per t of coal; the power sector (1A1a_Electricity-public) 1.593e-05 kt/kt → 0.01593 kg/t.
    frame = library.frame
    res = frame[frame["factor_id"].str.startswith("bond:hard_coal/residential/*:east_asia:bc:")]
    assert len(res) == 1 and res["value"].iloc[0] == pytest.approx(1.674832, rel=1e-6)
    assert res["unit"].iloc[0] == "kg/t"
    power = frame[frame["factor_id"].str.startswith("bond:hard_coal/power/*:east_asia:bc:")]
    assert power["value"].iloc[0] == pytest.approx(0.01593, rel=1e-3)


@pytest.mark.slow
def test_rebuild_from_shared_files_matches_shipped_library(shared_data, tmp_path, library):
    out = tmp_path / "lib.csv"
    built = build_factor_library(shared_data / "factors", out)
    again = load_factor_library(out).frame
    assert len(built) == len(library.frame) == len(again)
    merged = again.merge(library.frame, on="factor_id", suffixes=("", "_shipped"))
    assert len(merged) == len(again)
    assert (merged["value"] - merged["value_shipped"]).abs().le(1e-7 * merged["value"].abs() + 1e-15).all()


def test_bad_inputs(tmp_path):
    with pytest.raises(FactorError, match="does not exist"):
        build_factor_library(tmp_path / "nowhere", tmp_path / "x.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("factor_id,value\na,1\n")
    with pytest.raises(FactorError, match=r"lacks columns .*activity_type"):
        load_factor_library(bad)
    with pytest.raises(FactorError, match="no factor with factor_id 'nope'"):
        load_factor_library().get("nope")
