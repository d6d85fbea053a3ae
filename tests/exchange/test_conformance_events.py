"""PACT v3 conformance of Action Events (cases 12-16) and of the ListFootprints filters (cases 20-39), run against
a real server (uvicorn, TLS, httpx) on SQLite and on PostgreSQL (the ``running`` fixture of conftest.py).

Cases follow the PACT Tech Specs V3 test-case list (wbcsd/pact-conformance-test-service,
``docs/v3-test-cases-expected-results.md``) and the v3.0 specification's ListFootprints filter rules.
"""

from __future__ import annotations

import uuid

import pytest

from coreduce.exchange.pact.events import PUBLISHED, REQUEST_CREATED, REQUEST_FULFILLED, REQUEST_REJECTED
from helpers.exchange_samples import footprint

ACME = "urn:company:acme"


def _event(type_: str, data: dict, **envelope) -> dict:
    body = {
        "type": type_,
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "//client.example/3/events",
        "time": "2025-03-05T17:31:00Z",
        "data": data,
    }
    body.update(envelope)
    return body


def _post_event(running, body, creds=None, content_type="application/cloudevents+json; charset=UTF-8", raw=None):
    token = running.token(creds or running.acme)
    import json

    with running.client() as c:
        return c.post(
            "/3/events",
            content=raw if raw is not None else json.dumps(body),
            headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
        )


def _events_count(running) -> int:
    return len(running.server.app.state.exchange.events(running.server.app.state.exchange.company_id(ACME)))


def test_case_12_request_created_event(running):
    before = _events_count(running)
    body = _event(REQUEST_CREATED, {"productId": ["urn:gtin:4712345060507"], "comment": "Please send PCF data."})
    r = _post_event(running, body)
    assert r.status_code == 200 and r.content == b""
    assert _events_count(running) == before + 1
    again = _post_event(running, body)  # a redelivered event (same source and id) is acknowledged once
    assert again.status_code == 200 and _events_count(running) == before + 1


def test_case_15_published_event(running):
    r = _post_event(running, _event(PUBLISHED, {"pfIds": [running.acme_ids[0]]}))
    assert r.status_code == 200 and r.content == b""


def test_fulfilled_and_rejected_events(running):
    fulfilled = _event(REQUEST_FULFILLED, {"requestEventId": "req-1", "pfs": [footprint()]})
    rejected = _event(
        REQUEST_REJECTED, {"requestEventId": "req-2", "error": {"code": "NotFound", "message": "no such PCF"}}
    )
    assert _post_event(running, fulfilled).status_code == 200
    assert _post_event(running, rejected).status_code == 200


def test_case_16_events_with_invalid_token(running):
    with running.client() as c:
        r = c.post(
            "/3/events",
            json=_event(PUBLISHED, {"pfIds": [running.acme_ids[0]]}),
            headers={
                "Authorization": "Bearer very-invalid-access-token",
                "Content-Type": "application/cloudevents+json",
            },
        )
    assert r.status_code == 400 and r.json()["code"] == "BadRequest"


MALFORMED_EVENTS = {
    "not-json": (None, "{not json", "JSON"),
    "array": ([1, 2], None, "JSON object"),
    "wrong-specversion": (_event(PUBLISHED, {"pfIds": [str(uuid.uuid4())]}, specversion="0.3"), None, "specversion"),
    "missing-id": ({k: v for k, v in _event(PUBLISHED, {"pfIds": []}).items() if k != "id"}, None, "id"),
    "empty-source": (_event(PUBLISHED, {"pfIds": [str(uuid.uuid4())]}, source=""), None, "source"),
    "unknown-type": (_event("org.wbcsd.pact.Something.9", {}), None, "unknown event type"),
    "v2-type": (_event("org.wbcsd.pathfinder.ProductFootprint.Published.v1", {"pfIds": []}), None, "type"),
    "bad-time": (_event(PUBLISHED, {"pfIds": [str(uuid.uuid4())]}, time="yesterday"), None, "time"),
    "published-empty": (_event(PUBLISHED, {"pfIds": []}), None, "data.pfIds"),
    "published-gtin-not-uuid": (_event(PUBLISHED, {"pfIds": ["urn:gtin:4712345060507"]}), None, "data.pfIds.0"),
    "fulfilled-no-pfs": (_event(REQUEST_FULFILLED, {"requestEventId": "r", "pfs": []}), None, "data.pfs"),
    "fulfilled-bad-pf": (
        _event(REQUEST_FULFILLED, {"requestEventId": "r", "pfs": [{"id": "x"}]}),
        None,
        "data.pfs.0",
    ),
    "rejected-no-error": (_event(REQUEST_REJECTED, {"requestEventId": "r"}), None, "data.error"),
    "created-unknown-criterion": (_event(REQUEST_CREATED, {"colour": ["red"]}), None, "colour"),
    "created-bad-date": (_event(REQUEST_CREATED, {"validOn": "soon"}), None, "data.validOn"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED_EVENTS))
def test_malformed_events_are_rejected_and_not_stored(running, case):
    body, raw, expected = MALFORMED_EVENTS[case]
    before = _events_count(running)
    r = _post_event(running, body, raw=raw)
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "BadRequest"
    assert expected in r.json()["message"]
    assert _events_count(running) == before


def test_event_with_wrong_content_type(running):
    r = _post_event(running, None, content_type="text/plain", raw="hello")
    assert r.status_code == 400 and "content-type" in r.json()["message"]


# ------------------------------------------------------------------------ filters (cases 20-39)
def test_cases_20_to_27_every_filter_alone(running):
    a = running.acme_ids
    cases = {
        "productId": ("urn:gtin:2222", {a[2]}),
        "companyId": ("urn:company:acme-subsidiary", {a[4]}),
        "geography": ("CN-SD", {a[1]}),
        "classification": ("urn:pact:productclassification:un-cpc:4122", {a[2]}),
        "validOn": ("2025-03-01T00:00:00Z", {a[0], a[1], a[3], running.shared_id}),
        "validAfter": ("2025-02-01T00:00:00Z", {a[2]}),
        "validBefore": ("2022-01-01T00:00:00Z", {a[4]}),
        "status": ("Deprecated", {a[3]}),
    }
    for name, (value, expected) in cases.items():
        assert running.ids(running.get("/3/footprints", params={name: value})) == expected, name


def test_filters_are_case_insensitive(running):
    a = running.acme_ids
    assert running.ids(running.get("/3/footprints", params={"productId": "URN:GTIN:2222"})) == {a[2]}
    assert running.ids(running.get("/3/footprints", params={"geography": "eastern asia"})) == {a[4]}
    assert running.ids(running.get("/3/footprints", params={"status": "deprecated"})) == {a[3]}


def test_geography_matches_region_country_and_subdivision(running):
    a = running.acme_ids
    ids = running.ids(running.get("/3/footprints", params=[("geography", "DE"), ("geography", "Eastern Asia")]))
    assert ids == {a[3], a[4]}


def test_case_28_and_of_different_filters(running):
    a = running.acme_ids
    params = {"status": "Active", "productId": "urn:gtin:4712345060507"}
    assert running.ids(running.get("/3/footprints", params=params)) == {a[0]}
    assert (
        running.ids(running.get("/3/footprints", params={"status": "Deprecated", "productId": "urn:gtin:2222"}))
        == set()
    )


def test_case_29_or_of_repeated_filter(running):
    a = running.acme_ids
    params = [("productId", "urn:gtin:1111"), ("productId", "urn:gtin:3333"), ("productId", "urn:bogus:x")]
    assert running.ids(running.get("/3/footprints", params=params)) == {a[1], a[3]}
    params = [("companyId", ACME), ("companyId", "urn:bogus:company:abc")]
    assert running.ids(running.get("/3/footprints", params=params)) == set(a)


@pytest.mark.parametrize(
    "params",
    [
        {"productId": "urn:bogus:product:0123456789abcdef"},
        {"companyId": "urn:bogus:company:0123456789abcdef"},
        {"geography": "XX"},
        {"classification": "urn:bogus:classification:0123456789abcdef"},
        {"validOn": "1900-01-01T00:00:00Z"},
        {"validAfter": "2099-12-31T23:59:59Z"},
        {"validBefore": "1900-01-01T00:00:00Z"},
        {"status": "BogusStatusabcdefgh"},
        {"companyId": "urn:bogus:company:a", "productId": "urn:bogus:product:b"},
        [("companyId", "urn:bogus:company:a"), ("companyId", "urn:bogus:company:b"), ("companyId", "urn:bogus:c:c")],
    ],
    ids=lambda p: "&".join(f"{k}" for k, _ in (p.items() if isinstance(p, dict) else p)),
)
def test_cases_30_to_39_bogus_filters_give_empty_lists(running, params):
    r = running.get("/3/footprints", params=params)
    assert r.status_code == 200
    assert r.json() == {"data": []}


@pytest.mark.parametrize(
    ("params", "status", "code", "needle"),
    [
        ({"validOn": "not-a-date"}, 400, "BadRequest", "validOn"),
        ({"validAfter": "2025-01-01T00:00:00"}, 400, "BadRequest", "time zone"),
        ({"colour": "red"}, 400, "BadRequest", "colour"),
        ({"x-atq-invoice-id": "12345"}, 501, "NotImplemented", "x-atq-invoice-id"),
        ([("status", "Active"), ("status", "Deprecated")], 400, "BadRequest", "only once"),
    ],
)
def test_malformed_filters(running, params, status, code, needle):
    r = running.get("/3/footprints", params=params)
    assert r.status_code == status and r.json()["code"] == code and needle in r.json()["message"]
