"""Embedded emissions, hand-worked: simple good, complex good with precursors, electricity, default fallback."""

import numpy as np
import pytest

from coreduce.accounting import load_factor_library
from coreduce.cbam.conventions import CbamConventions
from coreduce.cbam.embedded import embedded_emissions
from coreduce.cbam.model import Installation
from coreduce.cbam.reference import load_reference
from coreduce.cbam.see import CycleError, solve
from helpers.cbam_samples import as_mapping, assert_process_and_see, kiln, steelworks


@pytest.fixture(scope="module")
def ref():
    return load_reference()


@pytest.fixture(scope="module")
def library():
    return load_factor_library()


def test_cement_clinker_simple_good(ref, library):
    result = embedded_emissions(
        [{"cn": "25231000", "country": "CN", "mass_t": 1_000, "process_id": "kiln"}],
        installation=kiln(),
        reference=ref,
        library=library,
    )
    # Direct emissions of the kiln (t CO2):
    #   calcination 120,000 t × 0.440                          = 52,800
    #   coal 350,000 GJ × 90.120173 kg/GJ (CEDS, hard coal)     = 31,542.06055
    #   natural gas 10,000 GJ × 56.1 kg/GJ (IPCC default)       =    561
    #   DirEm                                                  = 84,903.06055
    # Indirect: 9,000 MWh × 0.5978 t/MWh (Jiangsu grid 2022, nearest year to 2023) = 5,380.2
    # SEE = AttrEm / AL: direct 84,903.06055 / 100,000 = 0.8490306055; indirect 0.053802
    # Cement counts indirect emissions: 1,000 t × (0.8490306055 + 0.053802) = 902.8326055 t
    assert_process_and_see(result, 84_903.06055, 5_380.2, 0.8490306055, 0.053802)
    line = result.goods.iloc[0]
    assert line["embedded_t"] == pytest.approx(902.8326055, rel=1e-9)
    assert line["values"] == "actual" and line["default_share"] == 0.0
    assert result.convention("cbam_values") == "actual_else_default"
    assert "note.cbam.unverified_factor" in {n.key for n in result.notes}  # the Jiangsu 2022 factor is unverified


def test_steel_from_pig_iron_complex_good(ref, library):
    conv = CbamConventions(electricity_factor="documented")
    result = embedded_emissions(
        [{"cn": "72071111", "country": "CN", "mass_t": 200, "process_id": "bof"}],
        installation=steelworks(),
        conventions=conv,
        reference=ref,
        library=library,
    )
    # Pig iron (simple good): coke 400 t × 3,063.689 kg/t = 1,225.4756 t; gas 2,000 GJ × 56.1 kg/GJ = 112.2 t
    #   SEE_pig direct = 1,337.6756 / 1,000 = 1.3376756; indirect 100 MWh × 0.6 / 1,000 = 0.06
    # Steel (complex good): own gas 500 × 0.0561 = 28.05 t; pig iron 950 t × 1.3376756 = 1,270.79182 t;
    #   ferro-manganese 10 t × 1.5 = 15 t  →  SEE direct = 1,313.84182 / 1,000 = 1.31384182
    #   indirect: (50 × 0.6 + 950 × 0.06 + 10 × 0.3) / 1,000 = (30 + 57 + 3) / 1,000 = 0.09
    # Iron and steel count direct emissions only: 200 t × 1.31384182 = 262.768364 t
    procs = result.processes.set_index("process_id")
    assert procs.loc["bf", "see_direct"] == pytest.approx(1.3376756, rel=1e-9)
    assert procs.loc["bof", "level"] == 1
    line = result.goods.iloc[0]
    assert line["see_direct"] == pytest.approx(1.31384182, rel=1e-9)
    assert line["see_indirect"] == pytest.approx(0.09, rel=1e-9)
    assert not line["indirect_counted"]
    assert line["embedded_t"] == pytest.approx(262.768364, rel=1e-9)
    assert line["embedded_indirect_t"] == pytest.approx(18.0, rel=1e-9)  # reported separately, not counted
    supplier = result.precursors[result.precursors["source"] == "supplier"].iloc[0]
    assert supplier["supplier_footprint_id"] == "urn:pact:femn-2023"


def test_precursor_default_share_with_2026_markup(ref, library):
    result = embedded_emissions(
        [{"cn": "72071111", "country": "CN", "mass_t": 200, "process_id": "bof"}],
        installation=steelworks(precursor_from_supplier=False),
        conventions=CbamConventions(electricity_factor="documented"),
        reference=ref,
        library=library,
    )
    # Ferro-manganese from China: Annex I row 7202 11 (longest prefix of 72021120), direct 1.69 × 1.10 = 1.859
    # SEE direct = (28.05 + 1,270.79182 + 10 × 1.859) / 1,000 = 1.31743182; default part 0.01859 → share 1.411 %
    see = (28.05 + 1_270.79182 + 10 * 1.859) / 1_000
    default = 1.859
    line = result.goods.iloc[0]
    assert line["see_direct"] == pytest.approx(see, rel=1e-9)
    assert line["default_share"] == pytest.approx(10 * default / 1_000 / see, rel=1e-9)


def test_electricity_indirect_grid_documented_and_produced(ref, library):
    inst = kiln(electricity_mwh=12_345.6, electricity_produced_mwh=1_000, electricity_produced_factor=0.8)
    national = Installation.from_mapping(
        {**as_mapping(inst), "region": "", "period": {"start": "2022-01-01", "end": "2022-12-31"}}
    )
    result = embedded_emissions(
        [{"cn": "25231000", "country": "CN", "mass_t": 100, "process_id": "kiln"}],
        installation=national,
        reference=ref,
        library=library,
    )
    # Indirect: 12,345.6 MWh × 0.5366 t/MWh (national grid 2022, MEE) = 6,624.64896 t
    # Electricity produced and exported deducted from direct: 1,000 MWh × 0.8 t/MWh = 800 t
    p = result.processes.iloc[0]
    assert p["attributed_indirect_t"] == pytest.approx(6_624.64896, rel=1e-9)
    assert p["attributed_direct_t"] == pytest.approx(84_903.06055 - 800, rel=1e-9)
    assert result.electricity.iloc[0]["factor_t_per_mwh"] == pytest.approx(0.5366)
    documented = kiln(electricity_mwh=12_345.6, electricity_factor=0.25, electricity_evidence="own PV, meter 7")
    conv = CbamConventions(electricity_factor="documented")
    result = embedded_emissions(
        [{"cn": "25231000", "country": "CN", "mass_t": 100, "process_id": "kiln"}],
        installation=documented,
        conventions=conv,
        reference=ref,
        library=library,
    )
    # 12,345.6 MWh × 0.25 t/MWh = 3,086.4 t → SEE indirect 0.030864
    assert result.goods.iloc[0]["see_indirect"] == pytest.approx(0.030864, rel=1e-9)


def test_heat_and_waste_gas_corrections(ref, library):
    inst = kiln(heat_imported_tj=100, heat_exported_tj=20, heat_exported_factor=50.0, waste_gas_exported_tj=10)
    result = embedded_emissions(
        [{"cn": "25231000", "country": "CN", "mass_t": 1, "process_id": "kiln"}],
        installation=inst,
        reference=ref,
        library=library,
    )
    # + heat imported 100 TJ × 56.1 / 0.9 t/TJ = 6,233.333… ; − heat exported 20 TJ × 50 = 1,000
    # − waste gas exported 10 TJ × 56.1 × 0.667 = 374.187
    expected = 84_903.06055 + 100 * 56.1 / 0.9 - 1_000 - 10 * 56.1 * 0.667
    assert result.processes.iloc[0]["attributed_direct_t"] == pytest.approx(expected, rel=1e-12)


def test_default_fallback_with_2026_markup(ref):
    result = embedded_emissions(
        [
            {"cn": "25231000", "country": "CN", "mass_t": 500, "route": "A"},
            {"cn": "72071111", "country": "CN", "mass_t": 100, "route": "C"},
            {"cn": "25232900", "country": "AO", "mass_t": 10},
        ],
        reference=ref,
    )
    g = result.goods
    # Grey clinker, China: (1.35 + 0.04) × 1.10 = 1.529 t/t; 500 t → 764.5 t, all from default values
    assert g.loc[0, "see_counted"] == pytest.approx(1.529, rel=1e-12)
    assert g.loc[0, "embedded_t"] == pytest.approx(764.5, rel=1e-12)
    assert g.loc[0, "default_share"] == 1.0 and g.loc[0, "values"] == "default"
    # Semi-finished steel, China, route C: direct 3.169 × 1.10 = 3.4859 (indirect "NA", direct only)
    assert g.loc[1, "embedded_t"] == pytest.approx(348.59, rel=1e-12)
    # Angola grey Portland cement: the transcription's mark-ups compound (1.27 × 1.1 = 1.397 but 2027 1.537 ≠ 1.524),
    # so the row is not used; "Other Countries and Territories" applies and the result says so
    assert g.loc[2, "default_country"] == "ZZ"
    assert {m.reason for m in result.missing} == {"missing.cbam.dash_or_inconsistent"}
    assert result.default_share == 1.0
    assert "Conventions" in result.summary() and "默认值" in result.summary("zh")


def test_solver_levels_and_cycles():
    attr = np.array([[10.0, 0], [0, 0], [0, 0]])
    al = np.ones(3)
    zero = np.zeros((3, 2))
    solved = solve(attr, al, zero, zero, (np.array([0, 1]), np.array([1, 2]), np.array([2.0, 3.0])))
    # chain 0 → 1 → 2: SEE = 10, 2 × 10 = 20, 3 × 20 = 60
    assert solved.direct.tolist() == [10.0, 20.0, 60.0] and solved.level.tolist() == [0, 1, 2]
    with pytest.raises(CycleError):
        solve(attr, al, zero, zero, (np.array([1, 2]), np.array([2, 1]), np.array([1.0, 1.0])))
