"""Decision support: catalogue measures ranked by CBAM cost saved plus local-pollutant co-benefit."""

import pytest

from coreduce.accounting import load_factor_library, parse_activity
from coreduce.cbam.certificates import certificates
from coreduce.cbam.conventions import CbamConventions
from coreduce.cbam.measures import process_activity, rank_for_cbam
from coreduce.exchange.chain.measures import TAX_EQUIVALENT_KG, load_measures, rank_measures
from helpers.cbam_samples import kiln

LINE = [{"cn": "25231000", "country": "CN", "mass_t": 1_000, "process_id": "kiln", "route": "A"}]


@pytest.fixture(scope="module")
def ranked():
    library = load_factor_library()
    inst = kiln()
    certs = certificates(
        LINE, installation=inst, conventions=CbamConventions(certificate_price_eur=80.0), library=library
    )
    catalogue = load_measures()
    activity = parse_activity(process_activity(inst, "kiln"), library=library)
    ranking = rank_measures(activity, library, catalogue).table
    values = {p: 1.2 / kg for p, kg in TAX_EQUIVALENT_KG.items()}  # 1.2 CNY per pollution equivalent
    return rank_for_cbam(
        ranking,
        catalogue,
        certs,
        process_id="kiln",
        activity_level_t=100_000,
        eur_cny=7.8,
        pollutant_value_cny_per_kg=values,
    )


def test_green_electricity_saves_indirect_cbam_cost_for_cement(ranked):
    m = ranked.measures.set_index("measure_id")
    # 9,000 MWh × 0.5978 t/MWh (Jiangsu grid) = 5,380.2 t removed; cement counts indirect emissions:
    # ΔSEE = 5,380.2 / 100,000 = 0.053802; 1,000 t exported → 53.802 t fewer certificates (253.48 were due:
    # EE 902.83 − FAA 1,000 × 0.666 × 0.975 = 649.35) → 53.802 × 80 EUR = 4,304.16 EUR in 2026
    row = m.loc["green_electricity"]
    assert row["boundary"] == "indirect"
    assert row["co2_cut_t"] == pytest.approx(5_380.2, rel=1e-9)
    assert row["cbam_saving_eur"] == pytest.approx(4_304.16, rel=1e-9)


def test_boiler_efficiency_saves_direct_and_fgd_raises_cbam(ranked):
    m = ranked.measures.set_index("measure_id")
    # boiler efficiency: coal × 0.9 → 0.1 × 31,542.06055 t = 3,154.206055 t; ΔSEE 0.03154206055;
    # 1,000 t → 31.54206055 t × 80 EUR = 2,523.364844 EUR; its cost is negative (fuel saved: −2.4 CNY/GJ)
    row = m.loc["boiler_efficiency"]
    assert row["cbam_saving_eur"] == pytest.approx(2_523.364844, rel=1e-9)
    assert row["cost_cny"] < 0 and row["net_benefit_cny"] > 0
    # limestone FGD cuts SO2 but releases CO2 and uses electricity: CBAM cost goes up, flagged
    fgd = m.loc["fgd_wet_limestone"]
    assert bool(fgd["raises_cbam"]) and fgd["cbam_saving_eur"] < 0 and fgd["co_benefit_cny"] > 0
    assert list(ranked.measures["rank"]) == list(range(1, len(ranked.measures) + 1))
    assert ranked.measures["net_benefit_cny"].is_monotonic_decreasing


def test_savings_grow_as_free_allocation_phases_out(ranked):
    s = ranked.savings_by_year.set_index("measure_id")
    # 2034: no free allocation; the whole cut counts: 53.802 t × 80 EUR
    assert s.loc["green_electricity", 2034] == pytest.approx(4_304.16, rel=1e-9)
    assert ranked.convention("cbam_eur_cny") == 7.8
