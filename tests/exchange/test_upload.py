"""Activity upload → co-accounting → footprints with the co-pollutant extension, through a real TLS server on
SQLite and PostgreSQL.

Expected numbers are arithmetic on values printed in the factor sources under shared/data/factors (named beside
each), the same ones tests/exchange/test_accounting.py checks row by row. Every bad upload gets a 400 naming the
row or product and field, and stores nothing.
"""

from __future__ import annotations

import json
import ssl
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select

from coreduce.exchange.chain.upload import decimal_string
from coreduce.exchange.pact import copollutant
from coreduce.exchange.pact.models import ProductFootprint
from coreduce.exchange.server import ServerThread
from coreduce.exchange.settings import Settings
from coreduce.exchange.store.db import AuditEntry

ACME, BETA = "urn:company:acme", "urn:company:beta"
MAX_BODY = 60_000

ACTIVITY = """activity_type,fuel,sector,technology,region,year,mode,material,quantity,unit,product
fuel,hard_coal,power,old,,2015,,,1000,GJ,coil
electricity,,,,east,2022,,,100,MWh,coil
freight,,,,,2015,hgv_all_diesel/all_hgvs,,10000,t*km,coil
material,,,,,,,aggregates,5,t,coil
"""
# The library stores factors to 8 significant digits, hence rel=1e-7 below.
# CEDS CO2_base_EF: hard coal 93.87517970731849 kg/GJ × China fraction oxidised 0.96 (ceds_co2_base_ef_*.csv).
COAL_CO2 = 1000 * 93.87517970731849 * 0.96
# MEE & NBS announcement of the 2022 grid factors: East China 0.5617 kg CO2/kWh (china_grid_emission_factors.csv).
GRID_CO2 = 100_000 * 0.5617
# BEIS 2020 flat file, Freighting goods / HGV (all diesel) / All HGVs, average laden: 0.10487 kg CO2/t·km.
FREIGHT_CO2 = 10_000 * 0.10487
# BEIS 2020 flat file, Material use / Construction / Aggregates / Primary material production: 7.7726 kg CO2e/t.
AGGREGATES_CO2E = 5 * 7.7726
# NOx: GAINS ECLIPSE V6b CHIN_PLUS Power_Gen_Coal_Old 2015 761.313 kt / 4,994.936 PJ; MEIC power 2017 NOx/CO2
# 4.18657/3619.19 Tg (Zheng et al. 2018 Fig. 3); freight: BEIS CO2 per t·km ÷ BEIS diesel 0.26536 kg CO2/kWh ×
# 0.0036 GJ/kWh × GAINS End_Use_Transport_HDT_HLF 2015 NOx 6066.92906627536 kt / 4396.141 PJ.
NOX = (
    1000 * 761.313 / 4994.936
    + GRID_CO2 * 4.18657 / 3619.19
    + 10_000 * 0.10487 / 0.26536 * 0.0036 * 6066.92906627536 / 4396.141
)

PRODUCT = {
    "key": "coil",
    "productIds": ["urn:gtin:4712345060507"],
    "productNameCompany": "HR coil",
    "productDescription": "Hot-rolled coil",
    "declaredUnitOfMeasurement": "kilogram",
    "declaredUnitAmount": "1",
    "producedAmount": "100000",
    "productMassPerDeclaredUnit": "1",
    "referencePeriodStart": "2024-01-01T00:00:00Z",
    "referencePeriodEnd": "2025-01-01T00:00:00Z",
    "geographyCountry": "CN",
}


class Api:
    def __init__(self, server: ServerThread, cafile: str, creds):
        self.server, self.cafile, self.creds, self.tokens = server, cafile, creds, {}

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.server.url, verify=ssl.create_default_context(cafile=self.cafile), timeout=60)

    def request(self, method: str, path: str, who: str = "acme", **kw) -> httpx.Response:
        if who not in self.tokens:
            with self.client() as c:
                r = c.post("/auth/token", data={"grant_type": "client_credentials"}, auth=self.creds[who])
            self.tokens[who] = r.json()["access_token"]
        with self.client() as c:
            return c.request(method, path, headers={"Authorization": f"Bearer {self.tokens[who]}"}, **kw)

    @property
    def exchange(self):
        return self.server.app.state.exchange


@pytest.fixture(scope="module")
def api(database_url, tls_files):
    with ServerThread(Settings(database_url=database_url, max_body_bytes=MAX_BODY), tls_files) as server:
        exchange = server.app.state.exchange
        acme = exchange.add_client(ACME, "Acme Steel")
        beta = exchange.add_client(BETA, "Beta Motors")
        creds = {"acme": (acme.client_id, acme.client_secret), "beta": (beta.client_id, beta.client_secret)}
        yield Api(server, str(tls_files.certfile), creds)


def _extension(pf: dict) -> dict:
    (ext,) = [e for e in pf["extensions"] if e["dataSchema"].endswith(copollutant.SCHEMA_PATH)]
    return ext


def test_decimal_strings_have_no_exponent():
    assert decimal_string(1.47377736) == "1.47377736"
    assert decimal_string(1e-7) == "0.0000001"
    assert decimal_string(123456789012.5) == "123456789000"
    assert decimal_string(0.0) == "0"


def test_json_upload_gives_hand_checked_footprint(api):
    r = api.request("POST", "/platform/activity", json={"products": [PRODUCT], "activities": ACTIVITY})
    assert r.status_code == 201, r.text
    body = r.json()
    (pf,) = body["data"]
    ProductFootprint.model_validate(pf)  # a valid PACT v3 footprint
    carbon = COAL_CO2 + GRID_CO2 + FREIGHT_CO2 + AGGREGATES_CO2E  # CO2 where a CO2 factor serves, else CO2e
    assert float(pf["pcf"]["pcfExcludingBiogenicUptake"]) == pytest.approx(carbon / 100_000, rel=1e-7)
    assert pf["pcf"]["fossilGhgEmissions"] == pf["pcf"]["pcfExcludingBiogenicUptake"]
    assert "co2_else_co2e" in pf["comment"] and "CH4 and N2O" in pf["comment"]
    data = copollutant.CoPollutantData.model_validate(_extension(pf)["data"])
    assert float(data.nox) == pytest.approx(NOX / 100_000, rel=1e-7)
    assert data.notCovered == ["so2: 1 of 4 activity rows have no factor", "nox: 1 of 4 activity rows have no factor",
                               "pm25: 1 of 4 activity rows have no factor"]  # fmt: skip
    assert data.unverifiedFactors  # the derived PM2.5 and grid co-pollutant factors stay marked unverified
    assert _extension(pf)["dataSchema"] == api.server.url + copollutant.SCHEMA_PATH
    sources = {s["name"] for s in pf["pcf"]["secondaryEmissionFactorSources"]}
    assert any("CEDS" in s for s in sources) and any("BEIS" in s for s in sources)
    assert {a["publisher"] for a in body["attribution"]} >= {"UK BEIS and Defra (Ricardo Energy & Environment)"}
    assert body["totals"][0]["rows"] == 4
    assert body["conventions"]["carbon"] == "co2_else_co2e"
    # Stored, visible through the PACT API, and audited.
    got = api.request("GET", f"/3/footprints/{pf['id']}")
    assert got.status_code == 200 and got.json()["data"] == pf
    with api.exchange.session() as s:
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.target == pf["id"])) == "activity.upload"


def test_carbon_convention_is_an_option(api):
    upload = {"products": [PRODUCT], "activities": ACTIVITY, "carbon": "co2e_else_co2"}
    r = api.request("POST", "/platform/activity", json=upload)
    assert r.status_code == 201, r.text
    # The freight row now counts BEIS CO2e 0.10650 kg/t·km (all HGVs, average laden) instead of CO2 0.10487.
    carbon = COAL_CO2 + GRID_CO2 + 10_000 * 0.1065 + AGGREGATES_CO2E
    assert float(r.json()["data"][0]["pcf"]["pcfExcludingBiogenicUptake"]) == pytest.approx(carbon / 1e5, rel=1e-7)


def test_file_upload_with_two_products_shared(api):
    rows = ACTIVITY + "electricity,,,,north,2022,,,50,MWh,bracket\n"
    bracket = {**PRODUCT, "key": "bracket", "productIds": ["urn:gtin:99"], "productNameCompany": "Bracket",
               "declaredUnitOfMeasurement": "piece", "producedAmount": "2000", "declaredUnitAmount": "10"}  # fmt: skip
    r = api.request(
        "POST",
        "/platform/activity/file",
        files={"file": ("activity.csv", rows.encode())},
        data={"products": json.dumps([PRODUCT, bracket]), "shareWith": [BETA]},
    )
    assert r.status_code == 201, r.text
    coil, brk = r.json()["data"]
    assert coil["productIds"] == PRODUCT["productIds"] and brk["productIds"] == ["urn:gtin:99"]
    north = r.json()["totals"][1]["carbon_kg"]
    assert Decimal(brk["pcf"]["pcfExcludingBiogenicUptake"]) == Decimal(decimal_string(north * 10 / 2000))
    seen = api.request("GET", "/3/footprints", who="beta", params=[("productId", "urn:gtin:99")])
    assert [pf["id"] for pf in seen.json()["data"]] == [brk["id"]]


BAD_UPLOADS = [
    (
        {"activities": ACTIVITY.replace("1000,GJ,coil", "1000,GJ")},
        "line 2: malformed row: 10 fields, the header has 11",
    ),
    ({"activities": ACTIVITY.replace("100,MWh", "100,furlongs")}, "line 3, field 'unit'"),
    ({"activities": ACTIVITY.replace("100,MWh", "100,parsecs")}, "line 3, field 'unit': 'parsecs' is [length]"),
    ({"activities": ACTIVITY.replace("5,t", "-5,t")}, "line 5, field 'quantity': '-5' is negative"),
    ({"activities": ACTIVITY.replace("hard_coal", "kryptonite")}, "line 2, field 'fuel': no fuel factor"),
    ({"activities": ACTIVITY.replace("aggregates", "moon dust")}, "line 5, field 'material'"),
    ({"activities": [{"activity_type": "fuel", "quantity": 1, "unit": "GJ"}]}, "record 1, field 'fuel': required"),
    ({"activities": ACTIVITY.replace("coil\nelec", "plate\nelec")}, "row 2, field 'product': 'plate'"),
    ({"products": [{**PRODUCT, "referencePeriodEnd": "2023-01-01T00:00:00Z"}]}, "referencePeriodStart must be"),
    ({"products": [{**PRODUCT, "producedAmount": "0"}]}, "products.0.producedAmount"),
    ({"products": [{**PRODUCT, "productIds": ["gtin-123"]}]}, "products.0.productIds.0"),
    ({"products": [PRODUCT, {**PRODUCT, "key": "plate"}]}, "products.1.key: no activity row has product 'plate'"),
    ({"products": []}, "products"),
    ({"shareWith": ["urn:company:nobody"]}, "shareWith: not every company"),
    ({"carbon": "ch4"}, "carbon"),
    ({"extra": 1}, "extra"),
]


@pytest.mark.parametrize("change, needle", BAD_UPLOADS)
def test_bad_uploads_name_the_field_and_store_nothing(api, change, needle):
    before = api.exchange.count_footprints()
    upload = {"products": [PRODUCT], "activities": ACTIVITY, **change}
    r = api.request("POST", "/platform/activity", json=upload)
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "BadRequest"
    assert needle in r.json()["message"]
    assert api.exchange.count_footprints() == before


def test_bad_files_and_oversized_uploads_store_nothing(api):
    before = api.exchange.count_footprints()
    products = json.dumps([PRODUCT])
    r = api.request("POST", "/platform/activity/file", files={"file": ("a.csv", b"\xff\xfe\x00")},
                    data={"products": products})  # fmt: skip
    assert r.status_code == 400 and "not UTF-8" in r.json()["message"]
    r = api.request("POST", "/platform/activity/file", files={"file": ("a.csv", ACTIVITY.encode())},
                    data={"products": "[{"})  # fmt: skip
    assert r.status_code == 400 and r.json()["message"].startswith("products: not valid JSON")
    big = ACTIVITY + "fuel,hard_coal,power,old,,2015,,,1,GJ,coil\n" * 2000
    r = api.request("POST", "/platform/activity/file", files={"file": ("a.csv", big.encode())},
                    data={"products": products})  # fmt: skip
    assert r.status_code == 413 and r.json()["code"] == "PayloadTooLarge"
    r = api.request("POST", "/platform/activity", json={"products": [PRODUCT], "activities": big})
    assert r.status_code == 413
    assert api.exchange.count_footprints() == before


def test_uploads_need_a_token(api):
    with api.client() as c:
        r = c.post("/platform/activity", json={"products": [PRODUCT], "activities": ACTIVITY})
    assert r.status_code == 403 and r.json()["code"] == "AccessDenied"


def test_factor_attribution_and_licence_notice(api):
    r = api.request("GET", "/platform/factors/attribution")
    assert r.status_code == 200
    rows = r.json()["data"]
    gcam = [a for a in rows if "ECL-2.0" in a["licence"]]
    assert gcam and gcam[0]["notice"] == "GCAM-ECL-2.0-LICENSE.txt"
    assert any(a["unverified"] > 0 for a in rows)
    text = api.request("GET", f"/platform/factors/notices/{gcam[0]['notice']}")
    assert text.status_code == 200 and "Educational Community License" in text.text
    missing = api.request("GET", "/platform/factors/notices/nothing.txt")
    assert missing.status_code == 404 and missing.json()["code"] == "NotFound"
