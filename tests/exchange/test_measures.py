"""Decision support: a small case ranked by hand, trade-offs flagged, the MAC curve, and bad catalogues/options.

Factor values are the published numbers used in test_accounting.py (file and row named there):
hard coal CO2 (CEDS) 93.87517970731849 kg/GJ × China fraction oxidised 0.96; coal power (old) SO2 (GAINS
ECLIPSE V6b, 2015) 532.906 kt / 4,994.936 PJ; East China grid 2022 0.5617 kg CO2/kWh (MEE/NBS) with SO2 at the
MEIC 2017 power-sector ratio 1.83047 / 3619.19 (Zheng et al. 2018, Fig. 3).
"""

from __future__ import annotations

import json

import matplotlib
import numpy as np
import pytest

from coreduce.accounting import load_factor_library, parse_activity
from coreduce.exchange.chain.mac import mac_curve
from coreduce.exchange.chain.measures import MeasureError, load_measures, rank_measures

matplotlib.use("Agg")

COAL_CO2 = 93.87517970731849 * 0.96  # kg/GJ
COAL_SO2 = 532.906 / 4994.936  # kg/GJ
GRID_CO2 = 0.5617  # kg/kWh
GRID_SO2 = 0.5617 * 1.83047 / 3619.19  # kg/kWh
ACTIVITY = """activity_type,fuel,sector,technology,region,year,quantity,unit
fuel,hard_coal,power,old,,2015,1000,GJ
electricity,,,,east,2022,100,MWh
"""


def _measure(measure_id, applies_to, effects, cost, per, category="efficiency"):
    return {
        "measure_id": measure_id,
        "name": measure_id,
        "category": category,
        "applies_to": applies_to,
        "effects": effects,
        "cost": {"value": cost, "per": per, "fixed": 0.0},
        "numbers": [{"name": "test value", "value": cost, "citation": "test case", "verified": False}],
    }


SMALL = [
    _measure(
        "efficiency", {"activity_type": "fuel", "fuel": "hard_coal"}, [{"kind": "scale", "factor": 0.9}], 2.0, "GJ"
    ),
    _measure(
        "green",
        {"activity_type": "electricity"},
        [{"kind": "removal", "pollutants": ["*"], "efficiency": 1.0}],
        0.03,
        "kWh",
        "green_electricity",
    ),
    _measure(
        "fgd",
        {"activity_type": "fuel", "fuel": ["hard_coal", "coal"]},
        [
            {"kind": "removal", "pollutants": ["so2"], "efficiency": 0.95},
            {
                "kind": "extra_activity",
                "per_unit": 1.34,
                "per": "GJ",
                "activity": {"activity_type": "electricity", "unit": "kWh"},
            },
            {"kind": "process_emission", "pollutant": "co2", "removed": "so2", "ratio": 0.68694},
        ],
        1.68,
        "GJ",
        "end_of_pipe",
    ),
]


@pytest.fixture(scope="module")
def library():
    return load_factor_library()


@pytest.fixture(scope="module")
def activity(library):
    return parse_activity(ACTIVITY, origin="plant.csv", library=library)


def test_small_case_ranked_by_hand(activity, library):
    ranking = rank_measures(activity, library, SMALL, pollutants=("co2", "so2"))
    b_co2 = 1000 * COAL_CO2 + 100_000 * GRID_CO2  # 90,120.17 + 56,170 = 146,290.17 kg
    b_so2 = 1000 * COAL_SO2 + 100_000 * GRID_SO2  # 106.69 + 28.41 = 135.10 kg
    assert ranking.baseline["co2"] == pytest.approx(b_co2, rel=1e-7)
    assert ranking.baseline["so2"] == pytest.approx(b_so2, rel=1e-7)
    # efficiency: 10 % of the coal row. W = 9,012.0/b_co2 + 10.669/b_so2 = 0.1406; cost 1,000 GJ × 2 = 2,000 CNY.
    eff_w = 0.1 * 1000 * COAL_CO2 / b_co2 + 0.1 * 1000 * COAL_SO2 / b_so2
    # green electricity: all of the electricity row. W = 56,170/b_co2 + 28.41/b_so2 = 0.5943; cost 100,000 × 0.03.
    green_w = 100_000 * GRID_CO2 / b_co2 + 100_000 * GRID_SO2 / b_so2
    # FGD: removes 0.95 × 106.69 = 101.36 kg SO2; uses 1.34 × 1,000 = 1,340 kWh of East China electricity
    # (+752.7 kg CO2, +0.381 kg SO2) and emits 0.68694 × 101.36 = 69.63 kg limestone CO2.
    removed = 0.95 * 1000 * COAL_SO2
    fgd_co2 = -(1340 * GRID_CO2 + 0.68694 * removed)  # −822.3 kg: CO2 rises
    fgd_so2 = removed - 1340 * GRID_SO2
    fgd_w = fgd_co2 / b_co2 + fgd_so2 / b_so2  # −0.00562 + 0.7475 = 0.7419
    table = ranking.to_frame().set_index("measure_id")
    assert table.loc["fgd", "reduction_co2_kg"] == pytest.approx(fgd_co2, rel=1e-6)
    assert table.loc["fgd", "reduction_so2_kg"] == pytest.approx(fgd_so2, rel=1e-6)
    expected = {"efficiency": (eff_w, 2000.0), "green": (green_w, 3000.0), "fgd": (fgd_w, 1680.0)}
    for mid, (w, cost) in expected.items():
        assert table.loc[mid, "cost_cny"] == pytest.approx(cost)
        assert table.loc[mid, "weighted_reduction"] == pytest.approx(w, rel=1e-6)
        assert table.loc[mid, "score_per_yuan"] == pytest.approx(w / cost, rel=1e-6)
    # W per yuan: fgd 4.42e-4 > green 1.98e-4 > efficiency 7.03e-5.
    assert ranking.table["measure_id"].tolist() == ["fgd", "green", "efficiency"]
    assert table.loc["green", "cost_per_t_co2"] == pytest.approx(3000 / 56.170, rel=1e-7)
    # The trade-off: FGD cuts SO2 but raises CO2 (its electricity and the limestone's CO2).
    assert table.loc["fgd", "tradeoff"] and table.loc["fgd", "raises"] == "co2" and table.loc["fgd", "lowers"] == "so2"
    assert not table.loc["green", "tradeoff"] and table.loc["green", "synergy"]
    assert ranking.conventions["weighting"] == "equal_normalised"
    assert ranking.conventions["grid_for_extra_electricity"] == {"region": "east", "year": 2022}
    assert ranking.tradeoffs()["measure_id"].tolist() == ["fgd"]
    assert "TRADE-OFF raises co2" in ranking.summary() and "<table" in ranking._repr_html_()


def test_env_tax_and_custom_weighting(activity, library):
    # Environmental Protection Tax Law (2016): 1.2 CNY per equivalent, SO2 0.95 kg per equivalent; CO2 at 100 CNY/t.
    ranking = rank_measures(
        activity, library, SMALL[1:2], pollutants=("co2", "so2"), weighting="env_tax", co2_price=100
    )
    green = ranking.table.iloc[0]
    assert green["weighted_reduction"] == pytest.approx(0.1 * 56_170 + 1.2 / 0.95 * 100_000 * GRID_SO2, rel=1e-6)
    assert ranking.conventions["weights"]["so2"] == pytest.approx(1.2 / 0.95)
    custom = rank_measures(
        activity, library, SMALL[1:2], pollutants=("co2", "so2"), weighting="custom", weights={"co2": 0.0, "so2": 10.0}
    )
    assert custom.table.iloc[0]["weighted_reduction"] == pytest.approx(10 * 100_000 * GRID_SO2, rel=1e-6)


def test_shipped_catalogue_flags_biomass_tradeoff_and_incomplete_rail(library):
    rows = parse_activity(
        "activity_type,fuel,sector,technology,region,year,mode,quantity,unit\n"
        "fuel,hard_coal,services,heat,,2015,,1000,GJ\n"
        "freight,,,,,2015,hgv_all_diesel/all_hgvs,10000,t*km\n",
        origin="shop.csv",
    )
    measures = load_measures()
    assert {m["category"] for m in measures} == {
        "fuel_switch",
        "efficiency",
        "end_of_pipe",
        "green_electricity",
        "mode_shift",
    }
    ranking = rank_measures(rows, library, measures, pollutants=("co2", "pm25", "bc"))
    table = ranking.to_frame().set_index("measure_id")
    bio = table.loc["coal_to_biomass_small_boilers"]
    # Coal services heating (GAINS 2015): PM2.5 0.008114, BC 0.003150 kg/GJ; residential biomass: PM2.5 0.148957,
    # BC 0.038032 kg/GJ; biomass CO2 is biogenic (zero): CO2 falls by the whole coal CO2, PM2.5 and BC rise.
    assert bio["reduction_co2_kg"] == pytest.approx(1000 * COAL_CO2, rel=1e-7)
    assert bio["reduction_pm25_kg"] == pytest.approx(1000 * (0.008114 - 0.148957), rel=1e-3)
    assert bio["tradeoff"] and bio["raises"] == "pm25,bc" and bio["lowers"] == "co2"
    # Rail has a BEIS CO2 factor only: PM2.5 and BC after the shift are unknown, so incomplete, not zero.
    rail = table.loc["road_to_rail"]
    assert rail["incomplete"] == "bc,pm25" and np.isnan(rail["reduction_pm25_kg"])
    assert rail["reduction_co2_kg"] == pytest.approx(10_000 * (0.10487 - 0.02531), rel=1e-7)
    assert "green_electricity" in ranking.conventions["not_applicable"]
    assert table["sources"].str.len().gt(0).all()


def test_tonnes_of_coal_costed_through_heat_content(library):
    # 100 t of coal × 20.908 GJ/t (China Energy Statistical Yearbook NCV of raw coal) = 2,090.8 GJ × 2 CNY/GJ.
    tonnes = parse_activity("activity_type,fuel,sector,year,quantity,unit\nfuel,hard_coal,power,2010,100,t\n")
    ranking = rank_measures(tonnes, library, SMALL[:1], pollutants=("co2", "so2"))
    row = ranking.table.iloc[0]
    assert row["cost_cny"] == pytest.approx(2 * 2090.8)
    # SO2 from the per-tonne CEDS China factor (4.8408 kg/t in 2010), 10 % less coal.
    assert row["reduction_so2_kg"] == pytest.approx(0.1 * 100 * 64.064 / 32.06 * 0.0095 * 0.85 * 0.30 * 1000, rel=1e-7)


def test_mac_curve(activity, library):
    ranking = rank_measures(activity, library, SMALL, pollutants=("co2", "so2"))
    fig = mac_curve(ranking)
    bars = fig.axes[0].patches
    # FGD raises CO2, so it is not on the CO2 curve; green (53.4 CNY/t) comes before efficiency (221.9 CNY/t).
    assert [round(b.get_width(), 3) for b in bars] == [56.17, round(0.1 * COAL_CO2, 3)]
    assert bars[0].get_height() == pytest.approx(3000 / 56.17)
    assert "fgd" in fig.texts[0].get_text()
    weighted = mac_curve(ranking, basis="weighted")
    assert len(weighted.axes[0].patches) == 3
    assert any(p.get_hatch() == "//" for p in weighted.axes[0].patches)  # the FGD trade-off


def test_bad_catalogue_and_options(activity, library, tmp_path):
    bad = dict(SMALL[0], effects=[{"kind": "teleport"}])
    with pytest.raises(MeasureError, match=r"measure 0 \(efficiency\), effects\[0\].kind: 'teleport'"):
        rank_measures(activity, library, [bad])
    with pytest.raises(MeasureError, match=r"field 'cost' is missing"):
        rank_measures(activity, library, [{k: v for k, v in SMALL[0].items() if k != "cost"}])
    with pytest.raises(MeasureError, match=r"effects\[0\].factor: -1; expected a number ≥ 0"):
        rank_measures(activity, library, [dict(SMALL[0], effects=[{"kind": "scale", "factor": -1}])])
    with pytest.raises(MeasureError, match="needs co2_price"):
        rank_measures(activity, library, SMALL, weighting="env_tax")
    with pytest.raises(MeasureError, match=r"1\.2-12 CNY"):
        rank_measures(activity, library, SMALL, weighting="env_tax", co2_price=50, tax_per_equivalent=20)
    with pytest.raises(MeasureError, match=r"missing \['so2'\]"):
        rank_measures(activity, library, SMALL, pollutants=("co2", "so2"), weighting="custom", weights={"co2": 1})
    with pytest.raises(MeasureError, match="weighting 'damage'"):
        rank_measures(activity, library, SMALL, weighting="damage")
    lignite = parse_activity("activity_type,fuel,sector,quantity,unit\nfuel,brown_coal,power,100,t\n", origin="t.csv")
    measure = dict(SMALL[0], applies_to={"activity_type": "fuel", "fuel": "brown_coal"})
    with pytest.raises(
        MeasureError, match=r"efficiency: row 2 quantity in 't': 't' does not convert to 'GJ' \(no heat"
    ):
        rank_measures(lignite, library, [measure], pollutants=("bc",))
    path = tmp_path / "m.json"
    path.write_text("{not json")
    with pytest.raises(MeasureError, match=r"m\.json: cannot read the measure catalogue"):
        load_measures(path)
    path.write_text(json.dumps({"measures": [dict(SMALL[0], category="magic")]}))
    with pytest.raises(MeasureError, match=r"m.json, measure 0 \(efficiency\), field 'category': 'magic'"):
        load_measures(path)
