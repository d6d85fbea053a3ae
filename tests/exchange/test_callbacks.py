"""Asynchronous requests between two running exchanges (PACT v3 test cases 12-14): a data recipient's host B sends
a RequestCreatedEvent to the data owner's host A, which answers B's Action Events with RequestFulfilled (the
matching footprints shared with the requester) or RequestRejected (NotFound), authenticated at B.
"""

from __future__ import annotations

import json
import ssl
import uuid

import httpx
import pytest

from coreduce.exchange.chain.outbound import events_url
from coreduce.exchange.pact.events import REQUEST_CREATED, REQUEST_FULFILLED, REQUEST_REJECTED
from coreduce.exchange.pact.models import ProductFootprint
from coreduce.exchange.server import ServerThread
from coreduce.exchange.settings import OutboundHost, Settings
from helpers.exchange_samples import footprint
from helpers.waiting import wait_for

ACME, BETA = "urn:company:acme", "urn:company:beta"


@pytest.fixture(scope="module")
def hosts(tmp_path_factory, tls_files):
    root = tmp_path_factory.mktemp("callbacks")
    cafile = str(tls_files.certfile)
    with ServerThread(Settings(database_url=f"sqlite:///{root / 'b.sqlite3'}"), tls_files) as b:
        acme_at_b = b.app.state.exchange.add_client(ACME, "Acme Steel")  # Acme's credentials at Beta's host
        settings_a = Settings(
            database_url=f"sqlite:///{root / 'a.sqlite3'}",
            outbound=(OutboundHost(b.url, acme_at_b.client_id, acme_at_b.client_secret),),
            outbound_verify=cafile,
        )
        with ServerThread(settings_a, tls_files) as a:
            ex = a.app.state.exchange
            acme = ex.add_client(ACME, "Acme Steel")
            beta = ex.add_client(BETA, "Beta Motors")
            owner = ex.principal(ex.issue_token(acme.client_id, acme.client_secret)[0])
            shared = footprint(productIds=["urn:gtin:5555"])
            private = footprint(productIds=["urn:gtin:6666"])
            ex.add_footprints(owner, [ProductFootprint.model_validate(shared)], share_with=[BETA])
            ex.add_footprints(owner, [ProductFootprint.model_validate(private)])
            verify = ssl.create_default_context(cafile=cafile)
            with httpx.Client(base_url=a.url, verify=verify, timeout=30) as client:
                r = client.post(
                    "/auth/token", data={"grant_type": "client_credentials"}, auth=(beta.client_id, beta.client_secret)
                )
                client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
                yield a, b, client, shared["id"]


def _request(client, source, data, event_id: str | None = None) -> str:
    event_id = event_id or str(uuid.uuid4())
    body = {"specversion": "1.0", "id": event_id, "source": source, "time": "2025-05-19T10:30:00Z",
            "type": REQUEST_CREATED, "data": data}  # fmt: skip
    r = client.post("/3/events", content=json.dumps(body), headers={"Content-Type": "application/cloudevents+json"})
    assert r.status_code == 200, r.text
    return event_id


def _answer(b, request_id):
    received = {}

    def arrived():
        ex = b.app.state.exchange
        for event in ex.events(ex.company_id(ACME)):
            if event["data"].get("requestEventId") == request_id:
                received["event"] = event
                return True
        return False

    assert wait_for(arrived, timeout=20), "no follow-up event reached the requester's host"
    return received["event"]


def test_a_request_is_fulfilled_with_the_shared_footprints(hosts):
    a, b, client, shared_id = hosts
    request_id = _request(client, f"{b.url}/3/events", {"productId": ["urn:gtin:5555"], "comment": "2025 please"})
    event = _answer(b, request_id)
    assert event["type"] == REQUEST_FULFILLED
    assert [pf["id"] for pf in event["data"]["pfs"]] == [shared_id]
    assert event["source"] == f"{a.url}/3/events"


@pytest.mark.parametrize("product", ["urn:gtin:6666", "urn:pact:null"], ids=["not-shared", "unknown"])
def test_a_request_without_visible_matches_is_rejected(hosts, product):
    _, b, client, _ = hosts
    request_id = _request(client, "//" + b.url.split("://", 1)[1], {"productId": [product]})  # spec's "//host" form
    event = _answer(b, request_id)
    assert event["type"] == REQUEST_REJECTED and event["data"]["error"]["code"] == "NotFound"


def _answers(a, request_id: str) -> list[dict]:
    """A's queued answers to one request, with their recorded tries."""
    ex = a.app.state.exchange
    rows = [row for row in ex.outbox_events(limit=1000) if row["requestEventId"] == request_id]
    return [{**row, "tries_made": ex.delivery_tries(row["event_id"])} for row in rows]


def test_the_same_request_sent_again_is_answered_again_with_the_same_event(hosts):
    a, b, client, _ = hosts
    source = f"{b.url}/3/events"
    request_id = _request(client, source, {"productId": ["urn:gtin:5555"]})
    first = _answer(b, request_id)
    assert wait_for(lambda: [q["status"] for q in _answers(a, request_id)] == ["delivered"], timeout=20)
    # the requester did not get it (as far as it knows) and sends the same request again: 200, and answered again
    assert _request(client, source, {"productId": ["urn:gtin:5555"]}, event_id=request_id) == request_id

    def twice():
        (queued,) = _answers(a, request_id)
        return queued["status"] == "delivered" and len(queued["tries_made"]) == 2

    assert wait_for(twice, timeout=20), "the repeated request was not answered again"
    (queued,) = _answers(a, request_id)
    assert queued["event_id"] == first["id"]  # the same CloudEvent: the receiver deduplicates it
    assert [t["http"] for t in queued["tries_made"]] == [200, 200]
    ex = b.app.state.exchange
    assert [e["id"] for e in ex.events(ex.company_id(ACME))].count(first["id"]) == 1


def test_unconfigured_hosts_are_never_contacted(hosts):
    a, _, client, _ = hosts
    request_id = _request(client, "https://webhook.example.com", {"productId": ["urn:gtin:5555"]})
    ex = a.app.state.exchange

    def audited():
        return any(e["target"] == request_id and e["action"] == "event.respond" for e in ex.audit_log())

    assert wait_for(audited, timeout=10)
    (entry,) = [e for e in ex.audit_log() if e["target"] == request_id and e["action"] == "event.respond"]
    assert entry["detail"].startswith("not sent: https://webhook.example.com/3/events is not a configured")


def test_events_url_forms():
    assert events_url("//api.example.com/3/events") == "https://api.example.com/3/events"
    assert events_url("https://api.example.com") == "https://api.example.com/3/events"
    assert events_url("https://api.example.com/3/events/") == "https://api.example.com/3/events/"


def test_outbound_hosts_file_is_checked(tmp_path):
    from coreduce.exchange.settings import outbound_from_file

    path = tmp_path / "outbound.json"
    path.write_text(json.dumps([{"base_url": "https://b.example", "client_id": "x", "client_secret": "y"}]))
    assert outbound_from_file(path)[0].base_url == "https://b.example"
    for content, needle in [
        ("{", "not a JSON file"),
        ('{"base_url": 1}', "expected a JSON list"),
        ('[{"base_url": "https://b.example", "client_id": "x"}]', "entry 0, field 'client_secret'"),
        ('[{"base_url": "http://b.example", "client_id": "x", "client_secret": "y"}]', "HTTPS only"),
    ]:
        path.write_text(content)
        with pytest.raises(ValueError, match=needle):
            outbound_from_file(path)
