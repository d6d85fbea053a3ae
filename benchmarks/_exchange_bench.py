"""Shared by the exchange API benchmark: the stored footprints and the activity upload it measures."""

from __future__ import annotations

import time
import uuid

import httpx

ACME, BETA = "urn:company:acme", "urn:company:beta"
GEOGRAPHIES = [("geographyCountry", "CN"), ("geographyCountrySubdivision", "CN-SD"), ("geographyCountry", "DE"),
               ("geographyRegionOrSubregion", "Eastern Asia")]  # fmt: skip


def footprint(i: int) -> dict:
    """The ``i``-th benchmark footprint: five reference years, four geographies, every tenth Deprecated."""
    kind, geo = GEOGRAPHIES[i % len(GEOGRAPHIES)]
    year = 2020 + i % 5
    return {
        "id": str(uuid.UUID(int=i + 1)),
        "specVersion": "3.0.0",
        "created": f"{year}-03-01T00:00:00Z",
        "status": "Deprecated" if i % 10 == 0 else "Active",
        "companyName": "Acme Steel",
        "companyIds": [ACME],
        "productDescription": "benchmark product",
        "productIds": [f"urn:gtin:{4700000000000 + i}"],
        "productClassifications": [f"urn:pact:productclassification:un-cpc:{4100 + i % 50}"],
        "productNameCompany": f"product {i}",
        "pcf": {
            "declaredUnitOfMeasurement": "kilogram",
            "declaredUnitAmount": "1",
            "productMassPerDeclaredUnit": "1",
            "referencePeriodStart": f"{year - 1}-01-01T00:00:00Z",
            "referencePeriodEnd": f"{year}-01-01T00:00:00Z",
            kind: geo,
            "pcfExcludingBiogenicUptake": f"{1 + (i % 1000) / 100:.2f}",
            "pcfIncludingBiogenicUptake": f"{1 + (i % 1000) / 100:.2f}",
            "fossilCarbonContent": "0",
            "fossilGhgEmissions": f"{1 + (i % 1000) / 100:.2f}",
            "ipccCharacterizationFactors": ["AR6"],
            "crossSectoralStandards": ["ISO14067"],
            "exemptedEmissionsPercent": "0",
        },
    }


def seed(database_url: str, n: int) -> tuple[dict[str, tuple[str, str]], float]:
    """Store ``n`` footprints owned by Acme, every other batch of 1,000 shared with Beta; (client credentials by
    company, seconds taken)."""
    from coreduce.exchange.pact.models import ProductFootprint
    from coreduce.exchange.service import open_exchange

    exchange = open_exchange(database_url)
    acme = exchange.add_client(ACME, "Acme Steel")
    beta = exchange.add_client(BETA, "Beta Motors")
    owner = exchange.acting_as(ACME)
    start = time.perf_counter()
    for lo in range(0, n, 1000):
        batch = [ProductFootprint.model_validate(footprint(i)) for i in range(lo, min(n, lo + 1000))]
        exchange.add_footprints(owner, batch, share_with=[BETA] if lo % 2000 == 0 else [])
    seconds = time.perf_counter() - start
    exchange.engine.dispose()
    creds = {"acme": (acme.client_id, acme.client_secret), "beta": (beta.client_id, beta.client_secret)}
    return creds, seconds


def activity_csv(rows: int) -> str:
    lines = ["activity_type,fuel,sector,technology,region,year,mode,material,quantity,unit"]
    kinds = [
        "fuel,hard_coal,power,old,,2015,,,{q},GJ",
        "electricity,,,,east,2022,,,{q},MWh",
        "freight,,,,,2015,hgv_all_diesel/all_hgvs,,{q},t*km",
        "material,,,,,,,aggregates,{q},t",
        "fuel,natural_gas,industry,,,2015,,,{q},GJ",
    ]
    lines += [kinds[i % len(kinds)].format(q=10 + i) for i in range(rows)]
    return "\n".join(lines) + "\n"


def activity_import(url: str, cafile: str, token: str, rows: int) -> None:
    """One ``POST /platform/activity`` of ``rows`` CSV rows; prints its rate."""
    product = {
        "productIds": ["urn:gtin:1"],
        "productNameCompany": "bench",
        "declaredUnitOfMeasurement": "kilogram",
        "producedAmount": "1000000",
        "productMassPerDeclaredUnit": "1",
        "referencePeriodStart": "2024-01-01T00:00:00Z",
        "referencePeriodEnd": "2025-01-01T00:00:00Z",
    }
    body = {"products": [product], "activities": activity_csv(rows)}
    t0 = time.perf_counter()
    r = httpx.post(url + "/platform/activity", json=body, verify=cafile, timeout=600,
                   headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    secs = time.perf_counter() - t0
    status = "" if r.status_code == 201 else f" (status {r.status_code}: {r.text[:200]})"
    print(f"activity import: {rows:,} CSV rows ({len(body['activities']) / 1024:.0f} KiB) "
          f"co-accounted and stored in {secs:.2f} s = {rows / secs:,.0f} rows/s{status}")  # fmt: skip
