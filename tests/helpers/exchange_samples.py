"""Sample PACT v3 footprints for the exchange tests."""

from __future__ import annotations

import copy
import uuid

BASE_FOOTPRINT = {
    "specVersion": "3.0.0",
    "created": "2025-03-01T00:00:00Z",
    "status": "Active",
    "companyName": "Acme Steel",
    "companyIds": ["urn:company:acme"],
    "productDescription": "Hot-rolled steel coil",
    "productIds": ["urn:gtin:4712345060507"],
    "productClassifications": ["urn:pact:productclassification:un-cpc:4121"],
    "productNameCompany": "Acme HR coil",
    "comment": "",
    "pcf": {
        "declaredUnitOfMeasurement": "kilogram",
        "declaredUnitAmount": "1",
        "productMassPerDeclaredUnit": "1",
        "referencePeriodStart": "2024-01-01T00:00:00Z",
        "referencePeriodEnd": "2025-01-01T00:00:00Z",
        "geographyCountry": "CN",
        "pcfExcludingBiogenicUptake": "2.1",
        "pcfIncludingBiogenicUptake": "2.1",
        "fossilCarbonContent": "0",
        "fossilGhgEmissions": "2.1",
        "ipccCharacterizationFactors": ["AR6"],
        "crossSectoralStandards": ["ISO14067", "PACT-3.0"],
        "exemptedEmissionsPercent": "0.5",
        "packagingEmissionsIncluded": False,
    },
}


def footprint(**overrides) -> dict:
    """A valid PACT v3 ProductFootprint dict with a fresh id; ``pcf__x=…`` overrides pcf fields."""
    doc = copy.deepcopy(BASE_FOOTPRINT)
    doc["id"] = str(uuid.uuid4())
    for key, value in overrides.items():
        if key.startswith("pcf__"):
            name = key[5:]
            if value is None:
                doc["pcf"].pop(name, None)
            else:
                doc["pcf"][name] = value
        elif value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    return doc
