"""Reference values and a worked example checked against the Commission's own texts (values typed from them here).

Documents read (see coreduce.cbam.verification for the reading of the tables):
- IR (EU) 2025/2621, OJ L, 2025/2621, 31.12.2025, Annex I table "China" (pp. 482-522) and Annex IV (pp. 2355-2390),
  in the text of the Journal's PDF;
- IR (EU) 2026/1740, OJ L, 2026/1740, 31.7.2026 (EUR-Lex HTML, CELEX 32026R1740): Annex I (replacing Annex I of
  IR 2025/2621 from 1 January 2026), its opening paragraphs and table "China"; Annex II (replacing Annex IV);
- IR (EU) 2025/2620, OJ L, 2025/2620, 22.12.2025, Annex point 5.3 (benchmarks and the indicators (1) and (2));
- Regulation (EU) 2025/2083, OJ L, 2025/2083, 17.10.2025: Art. 2a and Annex VII point 1 (de minimis);
- the Commission's CBAM communication template v2.1, worked examples "1 CBAM SEE V2.1_Example Cement_final.xlsx"
  and "4 CBAM SEE V2.1_Example Steel 3 Screws and nuts_final.xlsx".
"""

import numpy as np
import pandas as pd
import pytest

from coreduce.accounting import load_factor_library
from coreduce.cbam.certificates import DE_MINIMIS_T, certificates, certificates_per_tonne
from coreduce.cbam.conventions import CbamConventions
from coreduce.cbam.defaults import default_value, precursor_default
from coreduce.cbam.embedded import embedded_emissions
from coreduce.cbam.model import Installation
from coreduce.cbam.reference import load_reference, markup_factor
from helpers.cbam_samples import assert_process_and_see

NA = np.nan
# IR 2025/2621 Annex I, table China (page), as printed: direct, indirect, total (t CO2e / t), route
CHINA = [
    ("25231000", "B", 1.240, 0.060, 1.300, 482),  # White clinker
    ("25231000", "A", 1.350, 0.040, 1.390, 482),  # Grey clinker
    ("25232900", "", 1.350, 0.070, 1.420, 483),  # Grey Portland cement
    ("28141000", "", 4.170, 0.190, 4.360, 483),  # Anhydrous ammonia
    ("31023090", "", 3.230, 0.140, 3.370, 485),  # Ammonium nitrate
    ("28041000", "", 26.640, NA, 26.640, 492),  # Hydrogen (indirect "N/A")
    ("7201", "", 1.660, NA, 1.660, 492),  # Pig iron
    ("72026000", "", 6.150, NA, 6.150, 492),  # Ferro-nickel
    ("72071111", "C", 3.169, NA, 3.169, 494),  # Semi-finished free-cutting steel
]


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def _example(installation_id: str, processes: list[dict]) -> Installation:
    """An installation of one of the Commission's worked examples (the template's 2023 reporting period)."""
    period = {"start": "2023-01-01", "end": "2023-12-31"}
    return Installation.from_mapping(
        {"installation_id": installation_id, "name": installation_id, "country": "CN", "period": period,
         "processes": processes}
    )  # fmt: skip


@pytest.mark.parametrize(("cn", "route", "direct", "indirect", "total", "page"), CHINA)
def test_china_default_values_as_printed_in_the_official_journal(ref, cn, route, direct, indirect, total, page):
    rows = ref.defaults[(ref.defaults["iso2"] == "CN") & (ref.defaults["cn"] == cn) & (ref.defaults["route"] == route)]
    assert len(rows) == 1
    row = rows.iloc[0]
    np.testing.assert_allclose([row["direct"], row["indirect"], row["total"]], [direct, indirect, total], atol=1e-12)
    assert bool(row["verified"]) and row["verification"].endswith(f"table China, p. {page}")


def test_unwrought_aluminium_from_china_as_printed_in_ir_2026_1740(ref):
    # IR 2026/1740 Annex I, table China: "7601 Unwrought aluminium 3,000 N/A 3,000 (K)"
    value = default_value(ref, "76011010", "CN", "K", 2026)
    assert (value.direct, value.total, value.route) == (3.0, 3.0, "K")
    row = ref.defaults[(ref.defaults["iso2"] == "CN") & (ref.defaults["cn"] == "7601")].iloc[0]
    assert bool(row["verified"]) and "2026/1740" in row["verification"]


def test_markup_rule_as_printed_in_ir_2026_1740():
    # IR 2026/1740 Annex I, opening paragraphs: "For goods in the cement, iron and steel, aluminium and hydrogen
    # sectors, the mark-up shall be 10 % for the year 2026, 20 % for the year 2027 and 30 % for the year 2028 and
    # onwards. For goods in the fertiliser sector, the mark-up shall be 1 % for the year 2026 and onwards."
    for sector in ("Cement", "Iron and steel", "Aluminium", "Hydrogen"):
        assert [markup_factor(sector, y) for y in (2026, 2027, 2028, 2031)] == pytest.approx([1.1, 1.2, 1.3, 1.3])
    assert [markup_factor("Fertilisers", y) for y in (2026, 2030)] == pytest.approx([1.01, 1.01])
    # the 2025/2621 print of the same rule for China grey clinker (p. 482): 1,390 → 1,529 / 1,668 / 1,807
    assert [round(1.39 * markup_factor("Cement", y), 3) for y in (2026, 2027, 2028)] == [1.529, 1.668, 1.807]


def test_ir_2026_1740_corrections_replace_the_transcription(ref):
    # Annex II of IR 2026/1740 (replacing Annex IV; recital 13): 7616 99 10 "4,542 (K)", 7616 99 90 "5,559 (K)"
    # where IR 2025/2621 printed 3,080 and 3,770; mark-up 2026: 4.542 × 1.10 = 4.9962 → 4.996
    assert precursor_default(ref, "76169910")[0] == 4.542 and precursor_default(ref, "76169990")[0] == 5.559
    cast = ref.precursors[ref.precursors["cn"] == "76169910"].iloc[0]
    assert cast["markup_2026"] == 4.996 and cast["verification"].startswith("corrected highest 3.08 → 4.542")
    # Annex I of IR 2026/1740, table "Other countries and territories" (recital 7): 7226 20 00 "5,500 N/A 5,500 (F)"
    other = default_value(ref, "72262000", "ZZ", "F", 2028)
    assert other.total == 5.5 and other.total * other.markup == pytest.approx(7.15, abs=1e-12)


def test_taiwan_stainless_steel_falls_back_to_other_countries_as_ir_2026_1740_prints(ref):
    # IR 2026/1740 recital 7 (transcription mistakes for Taiwan, CN 7218 to 7223); its Annex I, table Taiwan,
    # prints "7219 31 00 ... – N/A –" where IR 2025/2621 printed 8,690. A "–" sends the importer to the table "Other
    # countries and territories" (Annex I, opening paragraph): 7219 31 00 there is 5.02 t / t.
    value = default_value(ref, "72193100", "TW", "", 2026)
    assert (value.used_country, value.total, value.fallback) == ("ZZ", 5.02, "dash_or_inconsistent")
    row = ref.defaults[(ref.defaults["iso2"] == "TW") & (ref.defaults["cn"] == "72193100")].iloc[0]
    assert np.isnan(row["total"]) and row["verification"].startswith("corrected direct 8.69 → –")


def test_route_indicators_restored_from_the_journal_and_highest_benchmark(ref):
    # IR 2026/1740 Annex I, table China: "7205 ... 2,802 N/A 2,802 (C)/(F)" (the transcription had (C) only);
    # IR 2025/2621 Annex I prints "(C)/(F)" for China 7227 (p. 515) and "(E)/(H)" for Azerbaijan 7227 (p. 209),
    # where the transcription had no route at all
    row = ref.defaults[(ref.defaults["iso2"] == "CN") & (ref.defaults["cn"] == "7205")].iloc[0]
    assert row["route"] == "C/F" and row["verification"].startswith("corrected route C → C/F")
    calcined = ref.defaults[(ref.defaults["iso2"] == "CN") & (ref.defaults["cn"] == "25070080")].iloc[0]
    assert calcined["route"] == "" and "2026/1740" in calcined["verification"]  # TARIC 2507 00 80 80, no route
    # IR 2025/2620 Annex point 5.1: different alloy grades for the same CN code → the highest benchmark of the
    # production year. Column B of 7227 10 00 in the shipped table (transcription, equal to the Commission's
    # benchmarks workbook v1 of 6.2.2026; not read in the Journal here): F 1.613 / G 0.788 / H 0.446 / J 0.986 for
    # 2026-27 and F 1.446 / G 0.775 / H 0.433 / J 0.954 for 2028-30, no (C) value: C/F → F, E/H → H.
    goods = pd.DataFrame({"cn": ["72271000", "72271000"], "country": ["CN", "AZ"], "see": [np.nan, np.nan]})
    bm = {
        y: list(certificates_per_tonne(goods, y, paid_eur=0.0, price_eur=80.0, reference=ref)["benchmark"])
        for y in (2026, 2028)
    }
    assert bm == {2026: [1.613, 0.446], 2028: [1.446, 0.433]}


def test_benchmark_period_indicators_of_ir_2025_2620(ref):
    # Annex point 5.3: "(1) Value is to be used for production years 2026-27; (2) Value is to be used for production
    # years 2028-30". Ferro-nickel 7202 60 00, column B: "2,390 (1) 2,295 (2)".
    goods = pd.DataFrame({"cn": ["72026000"], "country": ["CN"], "see": [np.nan]})
    by_year = {
        y: certificates_per_tonne(goods, y, paid_eur=0.0, price_eur=80.0, reference=ref).iloc[0]["benchmark"]
        for y in (2026, 2027, 2028, 2030)
    }
    assert by_year == {2026: 2.390, 2027: 2.390, 2028: 2.295, 2030: 2.295}
    aluminous = ref.benchmarks[(ref.benchmarks["cn"] == "25233000") & (ref.benchmarks["column"] == "A")]
    assert dict(zip(aluminous["from_year"], aluminous["benchmark"], strict=True)) == {2026: 0.717, 2028: 0.686}
    assert aluminous["verified"].all() and aluminous["verification"].str.contains("2025/2620").all()


def test_de_minimis_as_printed_in_regulation_2025_2083(ref):
    # Annex VII point 1: "The single mass-based threshold referred to in Article 2a shall be set at 50 tonnes of net
    # mass." Art. 2a(1): exempt where the net mass "does not cumulatively exceed" it — so exactly 50 t is exempt;
    # Art. 2a(2): above it, all obligations for all goods of the year; Art. 2a(4): not for electricity or hydrogen.
    assert DE_MINIMIS_T == 50.0
    conv = CbamConventions(certificate_price_eur=80.0)
    line = {"cn": "25231000", "country": "CN", "route": "A"}
    at = certificates([{**line, "mass_t": 50.0}], conventions=conv, reference=ref, years=(2026,))
    above = certificates([{**line, "mass_t": 50.001}], conventions=conv, reference=ref, years=(2026,))
    assert at.lines["certificates"].sum() == 0.0 and above.lines["certificates"].sum() > 0.0


def test_commission_worked_example_cement_communication_template(ref):
    # European Commission, CBAM communication template for installations v2.1, example file "1 CBAM SEE
    # V2.1_Example Cement_final.xlsx" (sha256 63654a98…; copy in github.com/Ajishpradeep/CarbonPass @e1e0584,
    # data/cbam_official/template_examples). Sheet B_EmInst, source streams 1-4:
    #   raw meal 1,255,000 t × 0.525 t CO2/t                                  = 658,875
    #   coal 88,000 t × 25 GJ/t × 95 t CO2/TJ                                 = 209,000
    #   household waste 25,000 t × 20 GJ/t × 83 t CO2/TJ × (1 − 15 % biomass) =  35,275
    #   heavy fuel oil 43,000 t × 40 GJ/t × 78 t CO2/TJ                       = 134,160
    #   DirEm (sheet D_Processes (g))                                         = 1,037,310 t
    # D_Processes (a) production 1,321,052.6315789474 t "Cement Bubble" (CN 2523 29 00); (j) electricity
    # 193,864.47368421053 MWh × 0.833 t/MWh (source D.4(b)) = 161,489.10657894737 t.
    # Summary_Products row 1: SEE direct 0.7852147410358565, indirect 0.12224275, total 0.9074574910358565.
    src = "Commission communication template v2.1, example Cement, sheet B_EmInst"
    streams = [
        {"name": "raw meal", "kind": "process", "quantity": 1_255_000, "unit": "t", "emission_factor": 0.525},
        {"name": "coal", "kind": "fuel", "quantity": 88_000 * 25, "unit": "GJ", "emission_factor": 0.095},
        {"name": "waste", "kind": "fuel", "quantity": 25_000 * 20, "unit": "GJ", "emission_factor": 0.083 * 0.85},
        {"name": "heavy fuel oil", "kind": "fuel", "quantity": 43_000 * 40, "unit": "GJ", "emission_factor": 0.078},
    ]  # fmt: skip
    installation = _example(
        "ec-example-cement",
        [
            {
                "process_id": "cement",
                "cn": "25232900",
                "activity_level_t": 1_321_052.6315789474,
                "source_streams": [{**s, "factor_source": src} for s in streams],
                "electricity_mwh": 193_864.47368421053,
                "electricity_factor": 0.833,
                "electricity_evidence": "template D.4(b)",
            }
        ],
    )
    result = embedded_emissions(
        [{"cn": "25232900", "country": "CN", "mass_t": 1_000, "process_id": "cement"}],
        installation=installation,
        conventions=CbamConventions(electricity_factor="documented"),
        reference=ref,
        library=load_factor_library(),
    )
    assert_process_and_see(result, 1_037_310, 161_489.10657894737, 0.7852147410358565, 0.12224275)
    assert result.goods.iloc[0]["see_counted"] == pytest.approx(0.9074574910358565, rel=1e-12)  # cement counts indirect


def _screws_process(pid, cn, level, gas_gj, mwh, precursor_cn, precursor_t, see_direct, see_indirect):
    src = "Commission communication template v2.1, example Steel 3 Screws and nuts, sheet B_EmInst"
    return {
        "process_id": pid,
        "cn": cn,
        "activity_level_t": level,
        "source_streams": [
            {"name": "natural gas", "kind": "fuel", "quantity": gas_gj, "unit": "GJ", "emission_factor": 0.0561}
            | {"factor_source": src}
        ],
        "electricity_mwh": mwh,
        "electricity_factor": 0.833,
        "electricity_evidence": "template D.4(b)",
        "precursors": [
            {"cn": precursor_cn, "mass_t": precursor_t, "see_direct": see_direct, "see_indirect": see_indirect}
        ],
    }


def test_commission_worked_example_screws_and_nuts_complex_goods(ref):
    # European Commission, CBAM communication template v2.1, example "4 CBAM SEE V2.1_Example Steel 3 Screws and
    # nuts_final.xlsx" (sha256 47512690…; same copy as the cement example). B_EmInst: natural gas 1,837.5 t × 48
    # GJ/t × 56.1 t CO2/TJ = 4,948.02 t, attributed in D_Processes (g) as 3,337.95 t (= 59,500 GJ) to carbon-steel
    # screws (17,000 t, CN 7318 15 42) and 1,610.07 t (= 28,700 GJ) to high-alloy screws (8,200 t, CN 7318 15 35);
    # electricity 3,400 and 1,640 MWh × 0.833. E_PurchPrec: carbon steel 20,000 t, SEE 1.539 direct / 0.204
    # indirect; high-alloy steel 10,000 t, 1.44 / 1.732 (the precursors' CN codes are not given: 7213 and 7221
    # stand in; the stated SEE alone enter). Summary_Products:
    #   carbon: (3,337.95 + 20,000 × 1.539) / 17,000 = 2.0069382352941174; (2,832.2 + 20,000 × 0.204) / 17,000 = 0.4066
    #   alloy:  (1,610.07 + 10,000 × 1.44) / 8,200 = 1.9524475609756098; (1,366.12 + 10,000 × 1.732) / 8,200
    #           = 2.2787951219512195
    installation = _example(
        "ec-example-screws",
        [
            _screws_process("carbon", "73181542", 17_000, 59_500, 3_400, "7213", 20_000, 1.539, 0.204),
            _screws_process("alloy", "73181535", 8_200, 28_700, 1_640, "7221", 10_000, 1.44, 1.732),
        ],
    )
    lines = [
        {"cn": "73181542", "country": "CN", "mass_t": 100, "process_id": "carbon"},
        {"cn": "73181535", "country": "CN", "mass_t": 100, "process_id": "alloy"},
    ]
    conv = CbamConventions(electricity_factor="documented")
    goods = embedded_emissions(
        lines, installation=installation, conventions=conv, reference=ref, library=load_factor_library()
    ).goods
    assert list(goods["see_direct"]) == pytest.approx([2.0069382352941174, 1.9524475609756098], rel=1e-12)
    assert list(goods["see_indirect"]) == pytest.approx([0.4066, 2.2787951219512195], rel=1e-12)
    # iron and steel count direct emissions only: 100 t × SEE direct
    assert list(goods["embedded_t"]) == pytest.approx([200.69382352941174, 195.24475609756098], rel=1e-12)


def test_default_value_counted_is_the_total_column_with_its_markup(ref):
    # IR 2026/1740 Annex I, opening paragraph: "the default values of the column 'total emissions' shall be selected
    # and increased"; direct and indirect are for information (recital 10). China urea 3102 10 19 (IR 2025/2621 p. 484):
    # "2,700 0,140 2,850 2,879" — direct + indirect = 2.84, but the total printed is 2.85; 2026: 2.85 × 1.01 = 2.8785
    result = embedded_emissions([{"cn": "31021019", "country": "CN", "mass_t": 100}], reference=ref)
    line = result.goods.iloc[0]
    assert (line["see_direct"], line["see_indirect"]) == pytest.approx((2.7 * 1.01, 0.14 * 1.01), rel=1e-12)
    assert line["see_counted"] == pytest.approx(2.8785, rel=1e-12)
    assert line["embedded_t"] == pytest.approx(287.85, rel=1e-12) and line["embedded_default_t"] == line["embedded_t"]
    goods = pd.DataFrame({"cn": ["31021019"], "country": ["CN"], "see": [np.nan]})
    per_t = certificates_per_tonne(goods, 2026, paid_eur=0.0, price_eur=80.0, reference=ref).iloc[0]
    assert per_t["see_used"] == pytest.approx(2.8785, rel=1e-12)


def test_commission_worked_example_blast_furnace_mass_balance_and_waste_gas(ref):
    # European Commission, CBAM communication template v2.1, example "2 CBAM SEE V2.1_Example Steel 1 Blast
    # furnace_final.xlsx" (sha256 51645dac…; same copy). B_EmInst, mass balance, t CO2 = t × C content × 3.664:
    #   coke fines 50,000 × 0.88 = 161,216; iron ores 5,600,000 × 0.00023 = 4,719.232; coke 2,200,000 × 0.88
    #   = 7,093,504; plastic wastes 70,000 × 0.683571530119101 × (1 − 16 % biomass) = 147,270.8378777555; scrap
    #   800,000 × 0.0021 = 6,155.52 and 200,000 × 0.0018 = 1,319.04; lime 280,000 × 0.0027292576419213972 = 2,800;
    #   natural gas 170,000 × 0.75 = 467,160; other inputs 40,000 × 0.1 = 14,656; outputs: steel 4,800,000 × 0.0018
    #   = −31,656.96, slags 1,000,000 × 0.0003 = −1,099.2  →  DirEm 7,866,044.469877754 (D_Processes (g)).
    # D_Processes (i): waste gas exported 12,800 TJ × 56.1 × 0.667 = 478,959.36 deducted; (j) 1,658,844 MWh ×
    # 0.589 = 977,059.116. Summary_Products (CN 7208 10 00): SEE direct 1.5389760645578654, indirect
    # 0.20355398249999998 (production 4,800,000 t).
    src = "Commission communication template v2.1, example Steel 1 Blast furnace, sheet B_EmInst"
    balance = [
        ("coke fines", 50_000, 0.88), ("iron ores", 5_600_000, 0.00023), ("coke", 2_200_000, 0.88),
        ("plastic wastes", 70_000, 0.683571530119101 * 0.84), ("scrap (external)", 800_000, 0.0021),
        ("scrap (internal)", 200_000, 0.0018), ("lime", 280_000, 0.0027292576419213972),
        ("natural gas", 170_000, 0.75), ("other inputs", 40_000, 0.1),
    ]  # fmt: skip
    streams = [
        {"name": n, "kind": "process", "quantity": q, "unit": "t", "emission_factor": c * 3.664, "factor_source": src}
        for n, q, c in balance
    ] + [
        {"name": n, "kind": "output", "quantity": q, "unit": "t", "emission_factor": c * 3.664, "factor_source": src}
        for n, q, c in (("steel", 4_800_000, 0.0018), ("slags", 1_000_000, 0.0003))
    ]
    process = {
        "process_id": "bubble",
        "cn": "72081000",
        "activity_level_t": 4_800_000,
        "source_streams": streams,
        "waste_gas_exported_tj": 12_800,
        "electricity_mwh": 1_658_844,
        "electricity_factor": 0.589,
        "electricity_evidence": "template (j)",
    }
    result = embedded_emissions(
        [{"cn": "72081000", "country": "CN", "mass_t": 1, "process_id": "bubble"}],
        installation=_example("ec-example-blast-furnace", [process]),
        conventions=CbamConventions(electricity_factor="documented"),
        reference=ref,
        library=load_factor_library(),
    )
    assert_process_and_see(result, 7_866_044.469877754, 977_059.116, 1.5389760645578654, 0.20355398249999998)
    assert result.processes.iloc[0]["waste_gas_exported_t"] == pytest.approx(478_959.36, rel=1e-12)


def test_commission_worked_examples_fertiliser_and_hydrogen(ref):
    # European Commission, CBAM communication template v2.1 (same copy as above).
    # "5 … Example Fertilizer": NPK 15-15-15 (CN 3105 20 10), 750,000 t; natural gas 6,607 kNm3 × 36.21 GJ/kNm3 ×
    # 56.1 t/TJ = 13,421.334267 t; 7,875 MWh × 0.572 = 4,504.5 t; bought urea 120,000 t (SEE 0.719 / 0.17835) and
    # ammonia 69,750 t (1.9 / 0.2079): SEE direct (13,421.334267 + 86,280 + 132,525) / 750,000 = 0.309635112356,
    # indirect (4,504.5 + 21,402 + 14,501.025) / 750,000 = 0.0538767 (Summary_Products).
    # "7 … Example Hydrogen 2 processes": steam reforming 55,000 t, natural gas 190,000 t × 48 GJ/t × 56.1 t/TJ =
    # 511,632 t, heat exported 800 TJ × 56 t/TJ = 44,800 t deducted, 33,000 MWh × 0.36654545; chlor-alkali
    # electrolysis 1,200 t, 27,456 MWh × 0.36654545, no direct emissions. Summary_Products: SEE 8.487854545454546 /
    # 0.21992727 and 0 / 8.386559896.
    def gas(gj):
        return [{"name": "natural gas", "kind": "fuel", "quantity": gj, "unit": "GJ", "emission_factor": 0.0561}
                | {"factor_source": "Commission communication template v2.1 example, sheet B_EmInst"}]  # fmt: skip

    def electricity(mwh, factor):
        return {"electricity_mwh": mwh, "electricity_factor": factor, "electricity_evidence": "template (j)"}

    npk = {"process_id": "npk", "cn": "31052010", "activity_level_t": 750_000, "source_streams": gas(6_607 * 36.21)}
    npk |= electricity(7_875, 0.572) | {
        "precursors": [
            {"cn": "31021019", "mass_t": 120_000, "see_direct": 0.719, "see_indirect": 0.17835},
            {"cn": "28141000", "mass_t": 69_750, "see_direct": 1.9, "see_indirect": 0.2079},
        ]
    }
    smr = {"process_id": "smr", "cn": "28041000", "activity_level_t": 55_000, "source_streams": gas(190_000 * 48)}
    smr |= electricity(33_000, 0.36654545) | {"heat_exported_tj": 800, "heat_exported_factor": 56.0}
    cae = {"process_id": "cae", "cn": "28041000", "activity_level_t": 1_200} | electricity(27_456, 0.36654545)
    conv = CbamConventions(electricity_factor="documented")
    for processes, expected in (
        ([npk], [(0.309635112356, 0.0538767)]),
        ([smr, cae], [(8.487854545454546, 0.21992727), (0.0, 8.386559896)]),
    ):
        lines = [{"cn": p["cn"], "country": "CN", "mass_t": 1, "process_id": p["process_id"]} for p in processes]
        result = embedded_emissions(
            lines, installation=_example("ec-example", processes), conventions=conv, reference=ref,
            library=load_factor_library(),
        )  # fmt: skip
        got = result.goods[["see_direct", "see_indirect"]].to_numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


# IR 2026/1740 recital 9: values omitted from Annex I, which sent these origins to the "other countries" value.
# Its Annex I tables print (direct, indirect, total, no route): Albania and Zimbabwe "7202 41 … 2,350 N/A 2,350",
# Zambia and Zimbabwe "7202 11 … 1,690 N/A 1,690", Gabon and Liberia "2804 10 00 Hydrogen 10,820 N/A 10,820",
# Guatemala and "New Caledonia and dependencies" "7202 60 00 Ferro-nickel 3,480 N/A 3,480".
ADDED = [
    ("AL", "72024110", "720241", 2.35), ("ZW", "72024190", "720241", 2.35), ("ZM", "72021120", "720211", 1.69),
    ("ZW", "72021180", "720211", 1.69), ("GA", "28041000", "28041000", 10.82), ("LR", "28041000", "28041000", 10.82),
    ("GT", "72026000", "72026000", 3.48), ("NC", "72026000", "72026000", 3.48),
]  # fmt: skip


@pytest.mark.parametrize(("country", "cn", "annex_cn", "total"), ADDED)
def test_default_values_added_by_ir_2026_1740_apply_to_their_origin(ref, country, cn, annex_cn, total):
    value = default_value(ref, cn, country, "", 2026)
    assert (value.used_country, value.total, value.direct, value.fallback) == (country, total, total, "")
    assert np.isnan(value.indirect) and value.total * value.markup == pytest.approx(total * 1.1, abs=1e-12)
    row = ref.defaults[(ref.defaults["iso2"] == country) & (ref.defaults["cn"] == annex_cn)].iloc[0]
    assert bool(row["verified"]) and row["verification"].endswith("row added (recital 9)")


def test_hydrogen_from_gabon_is_no_longer_charged_the_other_countries_value(ref):
    # before IR 2026/1740 Gabon had no hydrogen row: "Other countries and territories" 17,740 (IR 2025/2621 p. 2303);
    # now 10,820. 100 t in 2027: 100 × 10.82 × 1.20 = 1,298.4 t CO2e instead of 100 × 17.74 × 1.20 = 2,128.8
    gabon, other = default_value(ref, "28041000", "GA", "", 2027), default_value(ref, "28041000", "ZZ", "", 2027)
    assert 100 * gabon.total * gabon.markup == pytest.approx(1298.4, abs=1e-9)
    assert 100 * other.total * other.markup == pytest.approx(2128.8, abs=1e-9)
    # Equatorial Guinea: "2804 10 00 Hydrogen 10,820 N.A. 10,820 11,902 12,984 14,066" (IR 2025/2621 p. 655), a
    # table the transcription lacks
    guinea = default_value(ref, "28041000", "GQ", "", 2026)
    assert (guinea.used_country, guinea.total, guinea.fallback) == ("GQ", 10.82, "")


# Rows the first machine reading of IR 2025/2621 could not align (table names broken over two lines, "–" printed
# one per line, a sector heading glued to the row), read again in the same text, as printed there (page):
ALIGNED = [
    ("PE", "31021015", "", 0.84, 0.02, 0.86, 1396),  # Peru: "3102 10 15 … 0,840 0,020 0,860 0,869 0,869 0,869"
    ("KR", "31025000", "", 3.32, 0.09, 3.42, 1660),  # South Korea, sodium nitrate
    ("GT", "76169990", "L", 2.66, NA, 2.66, 694),  # "7616 99 90 Other 2,660 N/A 2,660 2,926 3,192 3,458 (L)Hydrogen…"
    ("TN", "7601", "L", 0.36, NA, 0.36, 1893),  # "Aluminium7601 Unwrought aluminium 0,360 N/A 0,360 …"
    ("HK", "25231000", "A", 0.87, 0.05, 0.91, 702),  # grey clinker; the white clinker row above prints "–" only
    ("LY", "25070080", "", NA, NA, NA, 1044),  # Libya calcined clay: "–" on six lines
]


@pytest.mark.parametrize(("iso2", "cn", "route", "direct", "indirect", "total", "page"), ALIGNED)
def test_rows_aligned_on_a_second_reading_of_ir_2025_2621(ref, iso2, cn, route, direct, indirect, total, page):
    rows = ref.defaults[(ref.defaults["iso2"] == iso2) & (ref.defaults["cn"] == cn) & (ref.defaults["route"] == route)]
    row = rows.iloc[0]
    np.testing.assert_allclose([row["direct"], row["indirect"], row["total"]], [direct, indirect, total], atol=1e-12)
    assert bool(row["verified"]) and row["verification"].startswith("OJ L 2025/2621, Annex I, table")
    assert row["verification"].endswith(f"p. {page}")


def test_compound_route_of_south_korea_alloy_bars_restored(ref):
    # IR 2025/2621 Annex I, table South Korea, p. 1692: "7228 30 … 4,050 N/A 4,050 4,455 4,860 5,265 (C)/(F)"
    row = ref.defaults[(ref.defaults["iso2"] == "KR") & (ref.defaults["cn"] == "722830")].iloc[0]
    assert row["route"] == "C/F" and row["verification"] == (
        "corrected route none → C/F: OJ L 2025/2621, Annex I, table South Korea, p. 1692"
    )


def test_route_indicators_corrected_by_ir_2026_1740(ref):
    # IR 2026/1740 recital 2 (route indicators missing or incorrect), its Annex I tables as printed:
    # Kuwait "7601 Unwrought aluminium 0,360 N/A 0,360 (L)" (IR 2025/2621 printed no route);
    # Brazil "7304 22 00 Drill pipe … of stainless steel 3,150 N/A 3,150" (no route; IR 2025/2621 printed (C)) and
    # "7304 23 00 Drill pipe … of iron or steel … 1,670 N/A 1,670 (C)" (IR 2025/2621 printed none);
    # North Macedonia "7213 Bars and rods … 1,530 N/A 1,530 (E)".
    def row(iso2, cn):
        return ref.defaults[(ref.defaults["iso2"] == iso2) & (ref.defaults["cn"] == cn)].iloc[0]

    # New Zealand "7307 19 90 Cast tube or pipe fittings of steel 2,410 N/A 2,410 (C)" (IR 2025/2621 printed none)
    checked = (("KW", "7601", "L"), ("BR", "73042200", ""), ("BR", "73042300", "C"), ("MK", "7213", "E"))
    for iso2, cn, route in (*checked, ("NZ", "73071990", "C")):
        assert row(iso2, cn)["route"] == route and bool(row(iso2, cn)["verified"])
        assert "OJ L 2026/1740" in row(iso2, cn)["verification"] and "recital 2" in row(iso2, cn)["verification"]
    # the benchmark follows the corrected route: Kuwait's unwrought aluminium is secondary aluminium (L)
    assert default_value(ref, "76011010", "KW", "L", 2026).route == "L"
    # Tunisia (recital 11, CN codes corrected): IR 2026/1740 prints "7616 10 00 … 1,440 N/A 1,440 (L)" … "7616 99 90
    # Other 1,440 N/A 1,440 (L)" where IR 2025/2621 printed the same values under 7615 10 10 … 7615 20 00
    tunisia = default_value(ref, "76169990", "TN", "L", 2026)
    assert (tunisia.used_country, tunisia.total, tunisia.fallback) == ("TN", 1.44, "")
    assert not ref.defaults["cn"].str.startswith("7615").any()
    # South Korea (table "Korea, Republic of (South Korea)"): "2523100010 White clinker 1,190 0,040 1,230 (B)"
    white = row("KR", "25231000")
    assert (white["description"], white["route"], bool(white["verified"])) == ("White clinker", "B", True)
    # North Macedonia's table, read whole: "7224 10 … 3,420 N/A 3,420 (H)", "7227 … 3,440 N/A 3,440 (E)/(H)"
    assert (row("MK", "722410")["route"], row("MK", "7227")["route"]) == ("H", "E/H")
    assert default_value(ref, "72271000", "MK", "H", 2026).route == "E/H"
