"""Certificates and cost, hand-worked: free allocation adjustment, carbon price deduction, de minimis, 2026–2034."""

import pytest

from coreduce.accounting import load_factor_library
from coreduce.cbam.certificates import (
    CarbonPriceEvidence,
    cbam_factor,
    certificates,
    specific_free_allocation,
)
from coreduce.cbam.conventions import CbamConventions
from coreduce.cbam.model import CbamInputError
from coreduce.cbam.reference import load_reference
from helpers.cbam_samples import steelworks

CLINKER = {"cn": "25231000", "country": "CN", "mass_t": 500, "route": "A"}


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def test_phase_out_schedule_and_published_example():
    # Directive 2003/87/EC Art. 10a(1a) as amended by Directive (EU) 2023/959 (CBAM factor)
    assert [cbam_factor(y) for y in range(2025, 2035)] == [1.0, 0.975, 0.95, 0.9, 0.775, 0.515, 0.39, 0.265, 0.14, 0.0]
    # cbamreports.com, "How will your CBAM payments evolve over time?": embedded 1.2 t/t, benchmark 1 t/t, 2026
    # CBAM factor 97.5 % → emissions subject to CBAM 1.2 − 1 × 0.975 = 0.225 t/t
    assert 1.2 - specific_free_allocation(1.0, 2026) == pytest.approx(0.225, abs=1e-12)


def test_default_clinker_certificates_and_scenarios(ref):
    conv = CbamConventions(certificate_price_eur=80.0)
    result = certificates([CLINKER], conventions=conv, reference=ref)
    line = result.lines.iloc[0]
    # EE = 500 t × (1.35 + 0.04) × 1.10 = 764.5 t; column B benchmark grey clinker (route A) 0.666 t/t
    # SEFA = 0.666 × 0.975 = 0.64935; FAA = 500 × 0.64935 = 324.675; certificates = 764.5 − 324.675 = 439.825
    assert line["embedded_t"] == pytest.approx(764.5)
    assert line["benchmark"] == 0.666
    assert line["free_allocation_adjustment_t"] == pytest.approx(324.675, rel=1e-12)
    assert line["certificates"] == pytest.approx(439.825, rel=1e-12)
    assert line["cost_eur"] == pytest.approx(439.825 * 80, rel=1e-12)  # 35,186 EUR
    s = result.scenarios.set_index("year")
    # 2027: EE = 500 × 1.39 × 1.20 = 834; FAA = 500 × 0.666 × 0.95 = 316.35 → 517.65
    assert s.loc[2027, "certificates"] == pytest.approx(517.65, rel=1e-12)
    # 2034: mark-up 1.30 and no free allocation: 500 × 1.39 × 1.30 = 903.5 certificates
    assert s.loc[2034, "certificates"] == pytest.approx(903.5, rel=1e-12)
    assert list(s.index) == list(range(2026, 2035))
    assert result.convention("cbam_certificate_price_eur") == 80.0


def test_actual_steel_uses_column_a_and_precursor_allocation(ref):
    conv = CbamConventions(electricity_factor="documented", certificate_price_eur=75.0)
    result = certificates(
        [{"cn": "72071111", "country": "CN", "mass_t": 200, "process_id": "bof"}],
        installation=steelworks(),
        conventions=conv,
        reference=ref,
        library=load_factor_library(),
        years=(2026,),
    )
    line = result.lines.iloc[0]
    # SEFA = 0.188 × 0.975 (column A, route C) + 0.95 × 1.089 × 0.975 (pig iron, column A)
    #        + 0.01 × 1.361 × 0.975 (ferro-manganese bought: column B) = 0.1833 + 1.00868625 + 0.01326975 = 1.205256
    assert line["sefa"] == pytest.approx(1.205256, rel=1e-9)
    # certificates = 200 × (1.31384182 − 1.205256) = 21.717164
    assert line["certificates"] == pytest.approx(21.717164, rel=1e-9)


def test_carbon_price_deduction_needs_evidence(ref):
    evidence = CarbonPriceEvidence(
        instrument="China national ETS",
        price_paid=90.0,
        currency="CNY",
        eur_per_unit=0.128,
        covered_share=0.3,
        period="2026",
        document="MEE allowance surrender record 2026-001",
        certified_by="Verifier GmbH",
        country="CN",
    )
    conv = CbamConventions(certificate_price_eur=80.0, carbon_price_paid_eur=90.0 * 0.128)
    other = {"cn": "25231000", "country": "VN", "mass_t": 100, "route": "A"}
    result = certificates([CLINKER, other], conventions=conv, evidence=evidence, reference=ref, years=(2026,))
    # deduction = 764.5 × 0.3 × 11.52 EUR/t / 80 EUR/t = 33.0264 certificates; none for the Vietnamese clinker
    assert result.lines.iloc[1]["carbon_price_deduction_t"] == 0.0
    line = result.lines.iloc[0]
    assert line["carbon_price_deduction_t"] == pytest.approx(33.0264, rel=1e-12)
    assert line["certificates"] == pytest.approx(439.825 - 33.0264, rel=1e-12)
    assert result.evidence.iloc[0]["instrument"] == "China national ETS"
    with pytest.raises(CbamInputError, match="evidence"):
        certificates([CLINKER], conventions=conv, reference=ref)
    with pytest.raises(CbamInputError, match=r"evidence\.document"):
        CarbonPriceEvidence("China national ETS", 90.0, "CNY", 0.128, 0.3, "2026", "", "Verifier GmbH")


def test_de_minimis_50_tonnes(ref):
    conv = CbamConventions(certificate_price_eur=80.0)
    small = certificates([{**CLINKER, "mass_t": 40}], conventions=conv, reference=ref, years=(2026,))
    assert small.lines["certificates"].sum() == 0.0 and bool(small.lines["de_minimis"].all())
    assert "note.cbam.de_minimis" in {n.key for n in small.notes}
    over = [{**CLINKER, "mass_t": 40}, {"cn": "72071111", "country": "CN", "mass_t": 20, "route": "C"}]
    assert certificates(over, conventions=conv, reference=ref, years=(2026,)).lines["certificates"].sum() > 0
    # hydrogen never benefits from the threshold (Art. 2a as inserted by Regulation (EU) 2025/2083)
    h2 = certificates(
        [{"cn": "28041000", "country": "CN", "mass_t": 1}], conventions=conv, reference=ref, years=(2026,)
    )
    assert h2.lines["certificates"].sum() > 0


def test_ets_series_price_when_none_given(ref):
    result = certificates([CLINKER], reference=ref, years=(2026,))
    assert result.lines.iloc[0]["price_eur"] == 84.0  # 2023 annual average, the latest in the series
    assert "note.cbam.ets_price_used" in {n.key for n in result.notes}
