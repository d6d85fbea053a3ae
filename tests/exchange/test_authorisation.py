"""Object-level authorisation, attacked over real TLS on SQLite and PostgreSQL: a client publishes, shares,
deprecates, rolls up and uploads only for its own company or for companies that delegated to it; the answers never
tell another tenant's footprint ids or registered companies apart from absent ones."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from coreduce.exchange.server import ServerThread
from coreduce.exchange.settings import Settings
from coreduce.exchange.store.db import AuditEntry
from helpers.exchange_api import Api
from helpers.exchange_samples import footprint

A, B, C = "urn:company:a", "urn:company:b", "urn:company:c"


@pytest.fixture(scope="module")
def api(database_url, tls_files):
    with ServerThread(Settings(database_url=database_url), tls_files) as server:
        exchange = server.app.state.exchange
        creds = {}
        for who, urn in (("a", A), ("b", B), ("c", C)):
            made = exchange.add_client(urn, f"Company {who.upper()}")
            creds[who] = (made.client_id, made.client_secret)
        yield Api(server, str(tls_files.certfile), creds)


def _listed(api, who: str, company: str) -> set[str]:
    r = api.request("GET", "/3/footprints", who=who, params={"companyId": company})
    assert r.status_code == 200, r.text
    return {pf["id"] for pf in r.json()["data"]}


def test_publishing_in_another_companys_name_is_refused_and_stores_nothing(api):
    before = api.stored()
    forged = footprint(companyName="Company B", companyIds=[B])
    r = api.request("POST", "/platform/footprints", who="a", json={"footprints": [forged], "shareWith": [C]})
    assert r.status_code == 403 and r.json()["code"] == "AccessDenied"
    assert api.stored() == before
    assert forged["id"] not in _listed(api, "c", B)
    # one forged footprint among good ones: the whole batch is refused
    good = footprint(companyName="Company A", companyIds=[A])
    mixed = footprint(companyName="Company A", companyIds=[A, B])
    r = api.request("POST", "/platform/footprints", who="a", json={"footprints": [good, mixed]})
    assert r.status_code == 403 and api.stored() == before


def test_a_recorded_delegation_lets_a_client_publish_for_the_delegator_until_revoked(api):
    exchange = api.exchange
    assert exchange.delegate(B, A) is True
    for_b = footprint(companyName="Company B", companyIds=[B])
    r = api.request("POST", "/platform/footprints", who="a", json={"footprints": [for_b], "shareWith": [C]})
    assert r.status_code == 201, r.text
    assert for_b["id"] in _listed(api, "c", B)
    assert exchange.delegate(B, A, granted=False) is True
    again = footprint(companyName="Company B", companyIds=[B])
    r = api.request("POST", "/platform/footprints", who="a", json={"footprints": [again]})
    assert r.status_code == 403
    with exchange.session() as s:
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("delegation.%"))))
    assert actions == ["delegation.grant", "delegation.revoke"]


def test_share_deprecate_and_get_answer_the_same_for_absent_and_not_yours(api):
    owned_by_b = footprint(companyName="Company B", companyIds=[B])
    assert api.request("POST", "/platform/footprints", who="b", json={"footprints": [owned_by_b]}).status_code == 201
    absent = str(uuid.uuid4())
    for path, body in (("/share", {"shareWith": [C]}), ("/deprecate", None)):
        theirs = api.request("POST", f"/platform/footprints/{owned_by_b['id']}{path}", who="a", json=body)
        nobodys = api.request("POST", f"/platform/footprints/{absent}{path}", who="a", json=body)
        assert theirs.status_code == nobodys.status_code == 404
        assert theirs.json()["message"].replace(owned_by_b["id"], "X") == nobodys.json()["message"].replace(absent, "X")
    theirs = api.request("GET", f"/3/footprints/{owned_by_b['id']}", who="a")
    nobodys = api.request("GET", f"/3/footprints/{absent}", who="a")
    assert theirs.status_code == nobodys.status_code == 404
    # roll-up: another tenant's product and an absent one give the same answer
    rollup = {"products": [owned_by_b["id"]], "inputs": []}
    theirs = api.request("POST", "/platform/rollup", who="a", json=rollup)
    nobodys = api.request("POST", "/platform/rollup", who="a", json={**rollup, "products": [absent]})
    assert theirs.status_code == nobodys.status_code == 404
    # B's footprint was not changed by A's attempts
    assert api.request("GET", f"/3/footprints/{owned_by_b['id']}", who="b").json()["data"]["status"] == "Active"


def test_publishing_another_tenants_id_answers_as_a_new_id_and_changes_nothing_of_theirs(api):
    theirs = footprint(companyName="Company B", companyIds=[B], productIds=["urn:gtin:b-original"])
    assert api.request("POST", "/platform/footprints", who="b", json={"footprints": [theirs]}).status_code == 201
    copy = footprint(id=theirs["id"], companyName="Company A", companyIds=[A], productIds=["urn:gtin:a-copy"])
    fresh = footprint(companyName="Company A", companyIds=[A])
    r_copy = api.request("POST", "/platform/footprints", who="a", json={"footprints": [copy], "shareWith": [C]})
    r_fresh = api.request("POST", "/platform/footprints", who="a", json={"footprints": [fresh], "shareWith": [C]})
    assert r_copy.status_code == r_fresh.status_code == 201  # no 409: the answer does not tell the id exists
    assert r_copy.json() == {"ids": [theirs["id"]]} and r_fresh.json() == {"ids": [fresh["id"]]}

    # each company reads its own; B's footprint is untouched; sharing and deprecating act on the caller's own
    def read(who: str) -> dict:
        r = api.request("GET", f"/3/footprints/{theirs['id']}", who=who)
        assert r.status_code == 200, r.text
        return r.json()["data"]

    assert read("b")["productIds"] == ["urn:gtin:b-original"]
    assert read("a")["productIds"] == ["urn:gtin:a-copy"]
    assert api.request("POST", f"/platform/footprints/{theirs['id']}/deprecate", who="a").status_code == 204
    assert read("b")["status"] == "Active" and read("a")["status"] == "Deprecated"
    # the caller's own id again is a conflict with its own data only
    r = api.request("POST", "/platform/footprints", who="a", json={"footprints": [copy]})
    assert r.status_code == 409 and r.json()["code"] == "Conflict"


def test_an_unknown_company_in_share_with_is_not_named(api):
    secret = "urn:company:probe-" + uuid.uuid4().hex[:8]
    before = api.stored()
    r = api.request(
        "POST",
        "/platform/footprints",
        who="a",
        json={"footprints": [footprint(companyIds=[A])], "shareWith": [C, secret]},
    )
    assert r.status_code == 400 and secret not in r.text and api.stored() == before
