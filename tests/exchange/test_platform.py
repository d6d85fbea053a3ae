"""Platform endpoints beyond PACT, tenancy and security, against a real TLS server on SQLite and PostgreSQL.

Bad input gets a 4xx naming the field and stores nothing: uploads are one transaction.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect, select, text

from coreduce.exchange.pact import copollutant
from coreduce.exchange.server import ServerThread
from coreduce.exchange.settings import Settings
from coreduce.exchange.store.db import AuditEntry, Footprint
from helpers.exchange_api import Api
from helpers.exchange_samples import footprint

ACME, BETA = "urn:company:acme", "urn:company:beta"
MAX_BODY = 100_000


@pytest.fixture(scope="module")
def api(database_url, tls_files):
    settings = Settings(database_url=database_url, max_body_bytes=MAX_BODY)
    with ServerThread(settings, tls_files) as server:
        exchange = server.app.state.exchange
        acme = exchange.add_client(ACME, "Acme Steel")
        beta = exchange.add_client(BETA, "Beta Motors")
        yield Api(
            server,
            str(tls_files.certfile),
            {"acme": (acme.client_id, acme.client_secret), "beta": (beta.client_id, beta.client_secret)},
        )


def test_publish_and_share(api):
    own, shared = footprint(), footprint(productIds=["urn:gtin:777"])
    r = api.request("POST", "/platform/footprints", json={"footprints": [own]})
    assert r.status_code == 201 and r.json() == {"ids": [own["id"]]}
    r = api.request("POST", "/platform/footprints", json={"footprints": [shared], "shareWith": [BETA]})
    assert r.status_code == 201
    beta_sees = {pf["id"] for pf in api.request("GET", "/3/footprints", who="beta").json()["data"]}
    assert shared["id"] in beta_sees and own["id"] not in beta_sees
    # share later
    assert api.request("POST", f"/platform/footprints/{own['id']}/share", json={"shareWith": [BETA]}).status_code == 204
    assert api.request("GET", f"/3/footprints/{own['id']}", who="beta").status_code == 200
    # Beta cannot share or deprecate Acme's footprint
    r = api.request("POST", f"/platform/footprints/{own['id']}/share", who="beta", json={"shareWith": [BETA]})
    assert r.status_code == 404 and r.json()["code"] == "NotFound"
    assert api.request("POST", f"/platform/footprints/{own['id']}/deprecate", who="beta").status_code == 404


def test_deprecate(api):
    doc = footprint(productIds=["urn:gtin:555000"])
    api.request("POST", "/platform/footprints", json={"footprints": [doc]})
    assert api.request("POST", f"/platform/footprints/{doc['id']}/deprecate").status_code == 204
    r = api.request("GET", "/3/footprints", params={"productId": "urn:gtin:555000", "status": "Deprecated"})
    assert [pf["status"] for pf in r.json()["data"]] == ["Deprecated"]


def test_a_batch_with_one_bad_footprint_stores_nothing(api):
    before = api.stored()
    good, bad = footprint(), footprint(pcf__declaredUnitAmount="-1")
    r = api.request("POST", "/platform/footprints", json={"footprints": [good, bad]})
    assert r.status_code == 400
    assert r.json()["code"] == "BadRequest"
    assert "footprints.1.pcf.declaredUnitAmount" in r.json()["message"]
    assert api.stored() == before
    assert api.request("GET", f"/3/footprints/{good['id']}").status_code == 404


def test_duplicate_ids_store_nothing(api):
    first = footprint()
    assert api.request("POST", "/platform/footprints", json={"footprints": [first]}).status_code == 201
    before = api.stored()
    fresh = footprint()
    r = api.request("POST", "/platform/footprints", json={"footprints": [fresh, first]})
    assert r.status_code == 409 and r.json()["code"] == "Conflict"
    r = api.request("POST", "/platform/footprints", json={"footprints": [fresh, fresh]})
    assert r.status_code == 400 and "more than once" in r.json()["message"]
    assert api.stored() == before


def test_unknown_share_recipient_stores_nothing(api):
    before = api.stored()
    r = api.request("POST", "/platform/footprints", json={"footprints": [footprint()], "shareWith": ["urn:company:x"]})
    assert r.status_code == 400 and "urn:company:x" not in r.json()["message"]
    assert api.stored() == before


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"footprints": []}, "footprints"),
        ({"footprints": "abc"}, "footprints"),
        ({}, "footprints"),
        ({"footprints": [footprint()], "shareWith": "urn:company:beta"}, "shareWith"),
    ],
)
def test_malformed_upload_bodies(api, body, needle):
    before = api.stored()
    r = api.request("POST", "/platform/footprints", json=body)
    assert r.status_code == 400 and needle in r.json()["message"]
    assert api.stored() == before


def test_non_json_upload(api):
    r = api.request("POST", "/platform/footprints", content=b"\xff\xfe{", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["code"] == "BadRequest"


def test_oversized_bodies_get_413_and_store_nothing(api):
    before = api.stored()
    many = [footprint() for _ in range(150)]  # about 150 kB of JSON, above the 100 kB limit
    assert len(json.dumps({"footprints": many})) > MAX_BODY
    r = api.request("POST", "/platform/footprints", json={"footprints": many})
    assert r.status_code == 413 and r.json()["code"] == "PayloadTooLarge"

    def chunks():  # no Content-Length: the limit is enforced while the body streams in
        payload = json.dumps({"footprints": many}).encode()
        for i in range(0, len(payload), 8192):
            yield payload[i : i + 8192]

    r = api.request("POST", "/platform/footprints", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["code"] == "PayloadTooLarge"
    r = api.request("POST", "/3/events", content=b"x" * (MAX_BODY + 1), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert api.stored() == before


def test_copollutant_extension_round_trip_and_schema(api):
    import jsonschema

    with api.client() as c:
        schema = c.get(copollutant.SCHEMA_PATH).json()
    assert schema["title"] == "CoPollutantFootprint"
    extension = copollutant.make_extension(
        copollutant.CoPollutantData(so2="0.0011", nox="0.0023", pm25="0.00031", voc="0.0001"), api.server.url
    )
    doc = footprint(extensions=[extension.model_dump(mode="json", exclude_none=True)])
    assert api.request("POST", "/platform/footprints", json={"footprints": [doc]}).status_code == 201
    stored = api.request("GET", f"/3/footprints/{doc['id']}").json()["data"]
    ext = stored["extensions"][0]
    assert ext["dataSchema"] == api.server.url + copollutant.SCHEMA_PATH
    jsonschema.validate(ext["data"], schema)
    assert ext["data"]["nox"] == "0.0023"

    bad = footprint(extensions=[{**ext, "data": {"so2": "0.1", "nox": "-0.2", "pm25": "0"}}])
    r = api.request("POST", "/platform/footprints", json={"footprints": [bad]})
    assert r.status_code == 400 and "footprints.0.extensions.0.data.nox" in r.json()["message"]


def test_notice_and_openapi_name_the_pact_licensor(api):
    from coreduce.exchange.api.routers.about import notice_text

    with api.client() as c:
        notice = c.get("/notice")
        openapi = c.get("/openapi.json").json()
    assert notice.status_code == 200 and notice.text == notice_text()
    assert "World Business Council for Sustainable Development" in notice.text
    assert "Technical Specifications for PCF Data Exchange" in notice.text
    assert '"as is" and "as available" without any representations or warranties' in notice.text
    assert "5.3       The disclaimer of representations" in notice.text
    assert "WBCSD" in openapi["info"]["description"] and "/notice" in openapi["info"]["description"]


def test_secrets_are_stored_only_as_hashes(api):
    secret = api.creds["acme"][1]
    engine = api.exchange.engine
    with engine.connect() as conn:
        hashes = conn.execute(text("SELECT secret_hash FROM clients")).scalars().all()
        assert all(h.startswith("scrypt$16384$8$1$") for h in hashes)
        for table in inspect(engine).get_table_names():
            rows = conn.execute(text(f"SELECT * FROM {table}")).all()
            assert secret not in repr(rows), table
        tokens = conn.execute(text("SELECT token_hash FROM access_tokens")).scalars().all()
    assert all(len(t) == 64 for t in tokens)


def test_writes_are_audited(api):
    doc = footprint()
    api.request("POST", "/platform/footprints", json={"footprints": [doc], "shareWith": [BETA]})
    api.request("POST", f"/platform/footprints/{doc['id']}/share", json={"shareWith": [BETA]})
    api.request("POST", f"/platform/footprints/{doc['id']}/deprecate")
    with api.exchange.session() as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.target == doc["id"], AuditEntry.action == "footprint.add")
        ).one()
        owner = s.scalar(select(Footprint.owner_id).where(Footprint.id == doc["id"]))
    assert entry.action == "footprint.add" and entry.company_id == owner and entry.client_id == api.creds["acme"][0]
    assert json.loads(entry.detail)["shared_with"] == [BETA]
    actions = {e["action"] for e in api.exchange.audit_log()}
    assert {"company.add", "client.add", "footprint.add", "footprint.share", "footprint.deprecate"} <= actions


def test_events_sent_are_listed_for_their_sender(api):
    event = {
        "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
        "specversion": "1.0",
        "id": "req-platform-1",
        "source": "//beta.example/3/events",
        "time": "2025-03-05T17:31:00Z",
        "data": {"productId": ["urn:gtin:777"], "geography": ["CN"]},
    }
    r = api.request(
        "POST", "/3/events", who="beta", json=event, headers={"Content-Type": "application/cloudevents+json"}
    )
    assert r.status_code == 200
    assert api.request("GET", "/platform/events", who="beta").json()["data"] == [event]
    assert api.request("GET", "/platform/events", who="acme").json()["data"] == []
