"""Co-accounting on hand-checked numbers: one set of activity rows gives CO2 and the co-pollutants.

Every expected value is written as arithmetic on numbers printed in the source files under
shared/data/factors (file and row named beside each), not read back from the library.
"""

from __future__ import annotations

import pytest

from coreduce.accounting import AccountingError, account, load_factor_library, parse_activity, totals, wide

ACTIVITY = """activity_type,fuel,sector,technology,region,year,mode,quantity,unit,product
fuel,hard_coal,power,old,,2015,,1000,GJ,steel
electricity,,,,east,2022,,100,MWh,steel
freight,,,,,2015,hgv_all_diesel/all_hgvs,10000,t*km,steel
"""


@pytest.fixture(scope="module")
def library():
    return load_factor_library()


@pytest.fixture(scope="module")
def result(library):
    return account(parse_activity(ACTIVITY, origin="hand.csv", library=library), library)


def _kg(result, row, pollutant):
    hit = result[(result["row"] == row) & (result["pollutant"] == pollutant)]
    assert len(hit) == 1, (row, pollutant)
    return hit.iloc[0]


def test_coal_row_co2_and_copollutants(result):
    # CEDS CO2_base_EF.xlsx: hard coal 9.387517970731849e-11 kt CO2/kJ (= 93.875 kg/GJ) × China fraction
    # oxidised 0.96: 1,000 GJ × 93.875 × 0.96 = 90,120.2 kg CO2.
    co2 = _kg(result, 2, "co2")
    assert co2["emission"] == pytest.approx(1000 * 93.87517970731849 * 0.96, rel=1e-7)
    assert co2["factor_id"] == "ceds:hard_coal/*/*:*:co2"
    # GAINS ECLIPSE V6b CHIN_PLUS, Power_Gen_Coal_Old 2015: SO2 532.906 kt, NOx 761.313 kt over 4,994.936 PJ
    # (kt/PJ = kg/GJ): SO2 = 1,000 × 532.906/4,994.936 = 106.69 kg; NOx = 1,000 × 761.313/4,994.936 = 152.42 kg.
    assert _kg(result, 2, "so2")["emission"] == pytest.approx(1000 * 532.906 / 4994.936, rel=1e-6)
    assert _kg(result, 2, "nox")["emission"] == pytest.approx(1000 * 761.313 / 4994.936, rel=1e-6)
    # PM2.5 = BC / (CEDS chn 1A1a_Electricity-public BC/PM2.5 ratio, 2015 = 0.266080824):
    # BC 0.959 kt / 4,994.936 PJ → 1,000 GJ × 0.959/4,994.936/0.266080824 = 0.7216 kg (unverified ratio).
    pm = _kg(result, 2, "pm25")
    assert pm["emission"] == pytest.approx(1000 * 0.959 / 4994.936 / 0.266080824, rel=1e-6)
    assert not pm["verified"]


def test_electricity_row(result):
    # MEE/NBS 2022 East China grid 0.5617 kgCO2/kWh: 100 MWh × 1,000 kWh/MWh × 0.5617 = 56,170 kg CO2.
    co2 = _kg(result, 3, "co2")
    assert co2["emission"] == pytest.approx(56_170.0, rel=1e-9)
    assert co2["verified"]
    # SO2/NOx/PM2.5: the MEIC power sector's 2017 ratios to CO2 (Zheng et al. 2018 Fig. 3: SO2 1.83047,
    # NOx 4.18657, PM2.5 0.563, CO2 3619.19 Tg) applied to the grid CO2: 56,170 × 1.83047/3619.19 = 28.41 kg SO2.
    assert _kg(result, 3, "so2")["emission"] == pytest.approx(56_170 * 1.83047 / 3619.19, rel=1e-6)
    assert _kg(result, 3, "nox")["emission"] == pytest.approx(56_170 * 4.18657 / 3619.19, rel=1e-6)
    assert _kg(result, 3, "pm25")["emission"] == pytest.approx(56_170 * 0.563 / 3619.19, rel=1e-6)


def test_freight_row(result):
    # BEIS 2020: HGV (all diesel), All HGVs, average laden 0.10487 kg CO2/t·km: 10,000 t·km → 1,048.7 kg CO2.
    assert _kg(result, 4, "co2")["emission"] == pytest.approx(1048.7, rel=1e-9)
    # NOx: 0.10487 kg CO2/t·km ÷ 0.26536 kg CO2/kWh (BEIS diesel, 100% mineral, net CV) × 0.0036 GJ/kWh
    # × GAINS End_Use_Transport_HDT_HLF 2015 NOx 6066.929 kt / 4396.141 PJ, × 10,000 t·km = 19.63 kg.
    expected = 10_000 * 0.10487 / 0.26536 * 0.0036 * 6066.92906627536 / 4396.141
    assert _kg(result, 4, "nox")["emission"] == pytest.approx(expected, rel=1e-6)


def test_totals_and_attribution(result):
    tot = totals(result, by="product").set_index("pollutant")
    co2 = 1000 * 93.87517970731849 * 0.96 + 56_170.0 + 1048.7
    assert tot.loc["co2", "emission"] == pytest.approx(co2, rel=1e-7)
    assert tot.loc["co2", "rows"] == 3
    assert not tot.loc["so2", "all_verified"]  # derived grid co-pollutants are unverified
    assert set(wide(result).columns) >= {"co2", "so2", "nox", "pm25"}
    assert result["citation"].str.len().gt(0).all()
    assert "factor_preference" in result.attrs["conventions"]


def test_unit_conversion_by_pint(library):
    # The same coal in TJ and the same electricity in kWh give the same kilograms.
    rows = parse_activity(
        [
            {"activity_type": "fuel", "fuel": "hard_coal", "quantity": 1, "unit": "TJ"},
            {"activity_type": "electricity", "region": "east", "year": 2022, "quantity": 100_000, "unit": "kWh"},
        ],
        origin="json",
    )
    out = account(rows, library, pollutants=("co2",))
    assert out["emission"].tolist() == pytest.approx([1000 * 93.87517970731849 * 0.96, 56_170.0])


def test_gcam_floor_is_used_only_when_named(library):
    rows = parse_activity(
        [
            {
                "activity_type": "fuel",
                "fuel": "coal",
                "sector": "power",
                "technology": "gcam_min:coal (conv pul)",
                "quantity": 1000,
                "unit": "GJ",
            }
        ],
        origin="json",
    )
    out = account(rows, library, pollutants=("so2",))
    # A51.min_coeff.csv electricity/coal/coal (conv pul) SO2 0.0047 kg/GJ × 1,000 GJ = 4.7 kg.
    assert out["emission"].iloc[0] == pytest.approx(4.7)


def test_missing_pollutant_and_unknown_pollutant(library):
    rows = parse_activity("activity_type,material,quantity,unit\nmaterial,metals,2,t\n", origin="m.csv")
    out = account(rows, library, pollutants=("co2e", "so2"))
    assert out["pollutant"].tolist() == ["co2e"]
    assert out.attrs["missing"] == [(2, "so2")]
    with pytest.raises(AccountingError, match="row 2: no so2 factor"):
        account(rows, library, pollutants=("so2",), strict=True)
    with pytest.raises(AccountingError, match=r"unknown pollutant\(s\) \['h2o'\]"):
        account(rows, library, pollutants=("h2o",))


def test_coal_in_tonnes_uses_mass_based_factors(library):
    # A mass of coal has no per-GJ factor conversion, so the per-tonne factors serve it: CEDS China power SO2 2010
    # (64.064/32.06 × 0.0095 × 0.85 × 0.30 × 1000 = 4.8408 kg/t) and Bond East Asia power BC (0.01593 kg/t).
    rows = parse_activity(
        "activity_type,fuel,sector,year,quantity,unit\nfuel,hard_coal,power,2010,100,t\n", origin="t.csv"
    )
    out = account(rows, library, pollutants=("so2", "bc", "co2")).set_index("pollutant")
    assert out.loc["so2", "emission"] == pytest.approx(100 * 64.064 / 32.06 * 0.0095 * 0.85 * 0.30 * 1000, rel=1e-7)
    assert out.loc["so2", "factor_id"] == "ceds:hard_coal/power/*:CN:so2:2010"
    assert out.loc["bc", "factor_id"].startswith("bond:hard_coal/power/*:east_asia:bc:")
    # CO2 has only a per-GJ factor: 100 t × 20.908 GJ/t (raw coal NCV, China Energy Statistical Yearbook appendix)
    # × 93.87517970731849 × 0.96 kg/GJ (CEDS) = 188,423 kg; the heat content is recorded as a convention.
    assert out.loc["co2", "emission"] == pytest.approx(100 * 20.908 * 93.87517970731849 * 0.96, rel=1e-7)
    assert out.attrs["conventions"]["heat_content"]["values"]["hard_coal"] == "20.908 GJ/t"
    custom = account(rows, library, pollutants=("co2",), heat_content={"hard_coal": "25 GJ/t"})
    assert custom["emission"].iloc[0] == pytest.approx(100 * 25 * 93.87517970731849 * 0.96, rel=1e-7)
    with pytest.raises(AccountingError, match="row 2: no co2 factor for hard_coal/power/2010"):
        account(rows, library, pollutants=("co2",), heat_content={}, strict=True)
