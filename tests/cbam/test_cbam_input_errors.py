"""Bad input gives an error that names the field and what was expected."""

import pytest

from coreduce.cbam.conventions import CbamConventions
from coreduce.cbam.embedded import embedded_emissions
from coreduce.cbam.model import CbamInputError, Installation
from coreduce.conventions import ConventionError
from helpers.cbam_samples import kiln, steelworks


def installation(**process):
    data = {
        "installation_id": "x",
        "name": "x",
        "country": "CN",
        "period": {"start": "2023-01-01", "end": "2023-12-31"},
        "processes": [{"process_id": "p", "cn": "25231000", "activity_level_t": 10, **process}],
    }
    return Installation.from_mapping(data)


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ({"cn": "2523", "country": "CN", "mass_t": 1}, "imports[0].cn", "8-digit"),
        ({"cn": "84713000", "country": "CN", "mass_t": 1}, "imports[0].cn", "CBAM good"),
        ({"cn": "25231000", "country": "CN", "mass_t": -5, "route": "A"}, "imports[0].mass_t", "≥ 0"),
        ({"cn": "25231000", "country": "China", "mass_t": 1}, "imports[0].country", "alpha-2"),
        ({"cn": "25231000", "country": "CN", "mass_t": 1, "colour": "grey"}, "imports[0].colour", "one of the"),
        ({"cn": "25231000", "country": "CN", "mass_t": 1}, "route", "production routes"),
    ],
)
def test_import_line_errors_name_the_field(line, field, expected):
    with pytest.raises(CbamInputError, match=expected) as err:
        embedded_emissions([line])
    assert err.value.field == field


@pytest.mark.parametrize(
    ("process", "field"),
    [
        ({"activity_level_t": -1}, "processes[0].activity_level_t"),
        (
            {"source_streams": [{"name": "c", "kind": "fuel", "quantity": 5, "unit": "MWh/t", "fuel": "hard_coal"}]},
            "processes[0].source_streams[0].unit",
        ),
        (
            {
                "source_streams": [
                    {
                        "name": "c",
                        "kind": "process",
                        "quantity": 5,
                        "unit": "GJ",
                        "emission_factor": 0.4,
                        "factor_source": "x",
                    }
                ]
            },
            "processes[0].source_streams[0].unit",
        ),
        (
            {"source_streams": [{"name": "c", "kind": "process", "quantity": 5, "unit": "t"}]},
            "processes[0].source_streams[0].emission_factor",
        ),
        ({"electricity_mwh": 5, "electricity_factor": 0.3}, "processes[0].electricity_evidence"),
        (
            {"precursors": [{"cn": "72011011", "mass_t": 5, "from_process": "nowhere"}]},
            "processes[0].precursors[0].from_process",
        ),
        ({"precursors": [{"cn": "720110", "mass_t": -2}]}, "processes[0].precursors[0].mass_t"),
    ],
)
def test_installation_errors_name_the_field(process, field):
    with pytest.raises(CbamInputError) as err:
        installation(**process)
    assert err.value.field == field
    assert field in str(err.value)


def test_missing_precursor_data_under_actual_values():
    conv = CbamConventions(values="actual", electricity_factor="documented")
    with pytest.raises(CbamInputError) as err:
        embedded_emissions(
            [{"cn": "72071111", "country": "CN", "mass_t": 1, "process_id": "bof"}],
            installation=steelworks(precursor_from_supplier=False),
            conventions=conv,
        )
    assert err.value.field == "processes[1].precursors[1].see_direct"


def test_unknown_fuel_and_good_outside_cbam_in_an_installation():
    bad_fuel = kiln(source_streams=[{"name": "x", "kind": "fuel", "quantity": 1, "unit": "t", "fuel": "moonrock"}])
    with pytest.raises(CbamInputError) as err:
        embedded_emissions(
            [{"cn": "25231000", "country": "CN", "mass_t": 1, "process_id": "kiln"}], installation=bad_fuel
        )
    assert err.value.field == "processes[0].source_streams[0].fuel"
    with pytest.raises(CbamInputError) as err:
        embedded_emissions(
            [{"cn": "25231000", "country": "CN", "mass_t": 1, "route": "A"}], installation=kiln(cn="84713000")
        )
    assert err.value.field == "processes[0].cn"


def test_actual_line_must_match_its_process_and_conventions_are_checked():
    with pytest.raises(CbamInputError) as err:
        embedded_emissions(
            [{"cn": "25232900", "country": "CN", "mass_t": 1, "process_id": "kiln"}], installation=kiln()
        )
    assert err.value.field == "imports[0].cn"
    with pytest.raises(ConventionError, match="cbam_year"):
        CbamConventions(year=2025)
    with pytest.raises(ConventionError, match="cbam_electricity_factor"):
        CbamConventions(values="default", electricity_factor="documented")
