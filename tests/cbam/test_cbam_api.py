"""CBAM endpoints of the exchange over real HTTPS: goods, embedded emissions with a supplier's footprint, tenancy."""

from __future__ import annotations

import ssl

import httpx
import jsonschema
import pytest

from coreduce.cbam import pact
from coreduce.cbam.conventions import CbamConventions
from coreduce.cbam.embedded import embedded_emissions
from coreduce.exchange.server import ServerThread, TlsFiles
from coreduce.exchange.settings import Settings
from coreduce.exchange.tls import self_signed
from helpers.cbam_samples import steelworks
from helpers.exchange_samples import footprint

ACME, BETA, GAMMA = "urn:company:acme", "urn:company:beta", "urn:company:gamma"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    cert, key = self_signed(tmp_path_factory.mktemp("tls"))
    db = f"sqlite:///{tmp_path_factory.mktemp('cbam') / 'x.sqlite3'}"
    with ServerThread(Settings(database_url=db), TlsFiles(cert, key)) as running:
        running.cafile = str(cert)
        yield running


def client(server, urn: str) -> httpx.Client:
    creds = server.app.state.exchange.add_client(urn, urn.rsplit(":", 1)[-1])
    verify = ssl.create_default_context(cafile=server.cafile)
    c = httpx.Client(base_url=server.url, verify=verify, timeout=120)
    r = c.post("/auth/token", data={"grant_type": "client_credentials"}, auth=(creds.client_id, creds.client_secret))
    c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return c


@pytest.fixture(scope="module")
def clients(server):
    made = {urn: client(server, urn) for urn in (ACME, BETA, GAMMA)}
    yield made
    for c in made.values():
        c.close()


def test_goods_and_schema(clients):
    acme = clients[ACME]
    r = acme.get("/platform/cbam/goods/25231000", params={"country": "CN"})
    assert r.status_code == 200, r.text
    grey = next(row for row in r.json()["tables"]["defaults"] if row["description"] == "Grey clinker")
    assert (grey["direct"], grey["indirect"], grey["total_with_markup"]) == (1.35, 0.04, 1.529)
    bad = acme.get("/platform/cbam/goods/84713000")
    assert bad.status_code == 400 and "field 'cn'" in bad.json()["message"]
    schema = acme.get(pact.SCHEMA_PATH).json()
    assert schema["title"] == "CbamEmbeddedEmissions"
    # served under the exchange's extensions path beside the co-pollutant extension; the old /cbam/ path is gone
    assert pact.SCHEMA_PATH == "/extensions/cbam-embedded-emissions/1.0.0/data-model.json"
    assert acme.get("/cbam" + pact.SCHEMA_PATH).status_code == 404
    assert httpx.get(acme.base_url.join("/platform/cbam/goods/25231000"), verify=False).status_code in (401, 403)


def test_embedded_with_a_suppliers_footprint_and_tenancy(server, clients):
    # BETA publishes its steel's CBAM extension on a footprint shared with ACME only
    conv = CbamConventions(electricity_factor="documented")
    inst = steelworks()
    line = [{"cn": "72071111", "country": "CN", "mass_t": 200, "process_id": "bof"}]
    ext = pact.extensions_from_result(embedded_emissions(line, installation=inst, conventions=conv), inst, server.url)
    steel_ext = next(e for e in ext if e["data"]["cnCode"] == "72071111")
    jsonschema.validate(steel_ext["data"], clients[BETA].get(pact.SCHEMA_PATH).json())
    doc = footprint(companyIds=[BETA], extensions=[steel_ext])
    stored = clients[BETA].post("/platform/footprints", json={"footprints": [doc], "shareWith": [ACME]})
    assert stored.status_code == 201, stored.text
    body = {
        "imports": [{"cn": "72083900", "country": "CN", "mass_t": 10, "process_id": "roll"}],
        "installation": {
            "installation_id": "acme-mill",
            "name": "Acme rolling mill",
            "country": "CN",
            "period": {"start": "2023-01-01", "end": "2023-12-31"},
            "processes": [
                {
                    "process_id": "roll",
                    "cn": "72083900",
                    "activity_level_t": 1000,
                    "electricity_mwh": 10,
                    "electricity_factor": 0.5,
                    "electricity_evidence": "PPA 7",
                }
            ],
        },
        "conventions": {"cbam_electricity_factor": "documented"},
        "supplierFootprints": [{"footprintId": doc["id"], "processId": "roll", "massT": 1050}],
    }
    r = clients[ACME].post("/platform/cbam/embedded", json=body)
    assert r.status_code == 200, r.text
    goods = r.json()["tables"]["goods"][0]
    # SEE direct = 1,050 t × 1.313842 / 1,000 t = 1.3795341 (the supplier's steel, hand-worked in test_cbam_embedded)
    assert goods["see_direct"] == pytest.approx(1.3795341, rel=1e-9)
    denied = clients[GAMMA].post("/platform/cbam/embedded", json=body)
    assert denied.status_code in (403, 404)
    assert "1.313842" not in denied.text


def test_bad_input_is_a_400_naming_the_field(clients):
    r = clients[ACME].post(
        "/platform/cbam/certificates",
        json={"imports": [{"cn": "25231000", "country": "CN", "mass_t": -1, "route": "A"}]},
    )
    assert r.status_code == 400 and "imports[0].mass_t" in r.json()["message"]
    r = clients[ACME].post("/platform/cbam/embedded", json={"imports": [], "conventions": {"cbam_year": 2020}})
    assert r.status_code == 400 and "cbam_year" in r.json()["message"]
