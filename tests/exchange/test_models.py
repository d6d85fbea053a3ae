"""The PACT v3 data model: field types and the consistency rules the specification states.

Rules from the Technical Specifications for PCF Data Exchange 3.0 (``components.schemas``): decimals as strings
matching ``^[+-]?\\d+(\\.\\d+)?$``; ``declaredUnitAmount`` > 0; ``biogenicCO2Uptake`` <= 0; URNs (RFC 8141);
at most one of the three geography properties ("MUST be undefined" for the others); DQRs between 1 and 5;
``crossSectoralStandards`` values of later revisions MUST be accepted.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from coreduce.exchange.errors import describe
from coreduce.exchange.pact import copollutant
from coreduce.exchange.pact.models import ProductFootprint
from helpers.exchange_samples import footprint


def _error(doc: dict) -> str:
    with pytest.raises(ValidationError) as info:
        ProductFootprint.model_validate(doc)
    return describe(info.value)


def test_sample_is_valid_and_round_trips():
    doc = footprint()
    pf = ProductFootprint.model_validate(doc)
    assert pf.to_json() == doc


def test_timestamps_are_normalised_to_utc():
    pf = ProductFootprint.model_validate(footprint(created="2025-03-01T08:00:00+08:00"))
    assert pf.to_json()["created"] == "2025-03-01T00:00:00Z"


def test_default_validity_is_three_years_from_reference_period_end():
    start, end = ProductFootprint.model_validate(footprint()).validity()
    assert (start.isoformat(), end.isoformat()) == ("2025-01-01T00:00:00+00:00", "2028-01-01T00:00:00+00:00")


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"validityPeriodStart": "2026-01-01T00:00:00Z", "validityPeriodEnd": "2025-01-01T00:00:00Z"},
            "validityPeriod",
        ),
        ({"pcf__referencePeriodEnd": "2023-01-01T00:00:00Z"}, "referencePeriodStart must be before"),
        ({"pcf__geographyRegionOrSubregion": "Eastern Asia"}, "at most one geography"),
        ({"pcf__geographyCountry": "China"}, "pcf.geographyCountry"),
        ({"pcf__geographyCountrySubdivision": "CN_SD", "pcf__geographyCountry": None}, "geographyCountrySubdivision"),
        ({"pcf__pcfExcludingBiogenicUptake": 2.1}, "pcf.pcfExcludingBiogenicUptake"),
        ({"pcf__pcfExcludingBiogenicUptake": "2,1"}, "decimal string"),
        ({"pcf__declaredUnitAmount": "0"}, "greater than 0"),
        ({"pcf__biogenicCO2Uptake": "1.5"}, "0 or less"),
        ({"pcf__fossilGhgEmissions": "-1"}, "0 or greater"),
        ({"pcf__declaredUnitOfMeasurement": "tonne"}, "pcf.declaredUnitOfMeasurement"),
        ({"pcf__ipccCharacterizationFactors": ["GWP100"]}, "ipccCharacterizationFactors"),
        ({"pcf__ipccCharacterizationFactors": []}, "ipccCharacterizationFactors"),
        ({"pcf__exemptedEmissionsPercent": "120"}, "between 0 and 100"),
        ({"pcf__dqi": {"technologicalDQR": "0.5", "geographicalDQR": "2", "temporalDQR": "2"}}, "technologicalDQR"),
        ({"pcf__packagingGhgEmissions": "0.1"}, "packagingGhgEmissions must be undefined"),
        ({"pcf__productOrSectorSpecificRules": [{"operator": "Other", "ruleNames": ["x"]}]}, "otherOperatorName"),
        ({"pcf__fossilGhgEmissions": None}, "pcf.fossilGhgEmissions: required"),
        ({"productIds": ["4712345060507"]}, "productIds.0"),
        ({"productIds": []}, "productIds"),
        ({"companyIds": ["urn:company:a", "URN:COMPANY:A"]}, "companyIds: items must be unique"),
        ({"id": "not-a-uuid"}, "id"),
        ({"specVersion": "2.3.0"}, "specVersion"),
        ({"status": "Retired"}, "status"),
        ({"created": "2025-03-01T00:00:00"}, "time zone"),
        ({"productCategoryCpc": "3342"}, "productCategoryCpc"),
        ({"companyName": ""}, "companyName"),
    ],
)
def test_invalid_footprints_name_the_field(overrides, expected):
    assert expected in _error(footprint(**overrides))


def test_precedingPfIds_must_not_contain_own_id():
    doc = footprint()
    doc["precedingPfIds"] = [doc["id"]]
    assert "own id" in _error(doc)


def test_cross_sectoral_standards_of_later_revisions_are_accepted():
    pf = ProductFootprint.model_validate(footprint(pcf__crossSectoralStandards=["ISO14067", "PACT-4.0"]))
    assert pf.pcf.crossSectoralStandards == ["ISO14067", "PACT-4.0"]


def test_copollutant_extension_schema_is_generated_from_the_model():
    import jsonschema

    schema = copollutant.json_schema()
    assert set(schema["required"]) == {"so2", "nox", "pm25"}
    assert schema["additionalProperties"] is False
    valid = {"so2": "0.0012", "nox": "0.0020", "pm25": "0.0003", "bc": "0.00002"}
    jsonschema.validate(valid, schema)
    copollutant.CoPollutantData.model_validate(valid)
    for bad in ({"so2": "0.1", "nox": "0.1"}, {"so2": 0.1, "nox": "0.1", "pm25": "0"}, {**valid, "co2": "1"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
        with pytest.raises(ValidationError):
            copollutant.CoPollutantData.model_validate(bad)


def test_copollutant_extension_in_a_footprint():
    data = copollutant.CoPollutantData(so2="0.0012", nox="0.002", pm25="0.0003")
    extension = copollutant.make_extension(data, "https://exchange.example.org/")
    assert extension.dataSchema == "https://exchange.example.org/extensions/co-pollutants/1.0.0/data-model.json"
    doc = footprint(extensions=[extension.model_dump(mode="json", exclude_none=True)])
    pf = ProductFootprint.model_validate(doc)
    assert copollutant.is_copollutant(pf.extensions[0])
    assert pf.to_json()["extensions"][0]["data"] == {
        "unit": "kg/declared unit",
        "so2": "0.0012",
        "nox": "0.002",
        "pm25": "0.0003",
    }
