"""PublishedEvents to the hosts of the companies a footprint is shared with (PACT v3.0, Action Events,
``org.wbcsd.pact.ProductFootprint.PublishedEvent.3`` with ``data.pfIds``), between real HTTPS servers on loopback:
the data owner's exchange A (SQLite and PostgreSQL), the recipient's exchange B, and a host F that answers 500.
Events are queued with the change and sent by A's delivery worker (short retry pauses and window here).
"""

from __future__ import annotations

import json
import ssl
import time
import uuid
from datetime import datetime, timedelta

import httpx
import pytest

from coreduce.exchange.chain.outbound import published_event
from coreduce.exchange.pact.events import PUBLISHED, parse_event
from coreduce.exchange.server import ServerThread
from coreduce.exchange.settings import OutboundHost, Settings, outbound_from_file
from helpers.event_host import EventHost
from helpers.exchange_samples import footprint
from helpers.waiting import wait_for

ACME, BETA, GAMMA, DELTA = "urn:company:acme", "urn:company:beta", "urn:company:gamma", "urn:company:delta"


class FailingHost(EventHost):
    """An HTTPS PACT host whose Action Events always answers 500 InternalError; it keeps every event it got and,
    at arrival, whether each announced footprint was already readable in the owner's database."""

    def __init__(self, tls, owner_visible):
        self.visible_on_arrival: list[bool] = []

        def refuse(body: dict) -> int:
            self.visible_on_arrival.extend(owner_visible(pf_id) for pf_id in body["data"]["pfIds"])
            return 500

        super().__init__(tls, refuse)


@pytest.fixture(scope="module")
def hosts(database_url, tmp_path_factory, tls_files):
    """A (owner's exchange on each backend) with outbound hosts B (serving Beta) and F (serving Gamma); Delta
    is a company with no configured host."""
    root = tmp_path_factory.mktemp("published")
    cafile = str(tls_files.certfile)
    owner_side: dict = {}

    def owner_visible(pf_id: str) -> bool:
        try:
            owner_side["exchange"].get_footprint(owner_side["acme"], pf_id)
        except Exception:
            return False
        return True

    with (
        ServerThread(Settings(database_url=f"sqlite:///{root / 'b.sqlite3'}"), tls_files) as b,
        FailingHost(tls_files, owner_visible) as f,
    ):
        acme_at_b = b.app.state.exchange.add_client(ACME, "Acme Steel")
        settings_a = Settings(
            database_url=database_url,
            outbound=(
                OutboundHost(b.url, acme_at_b.client_id, acme_at_b.client_secret, companies=(BETA,)),
                OutboundHost(f.url, "acme-at-f", "secret", companies=(GAMMA,)),
            ),
            outbound_verify=cafile,
            retry_first=0.2,
            give_up_after=timedelta(seconds=2),
            delivery_poll=0.1,
        )
        with ServerThread(settings_a, tls_files) as a:
            ex = a.app.state.exchange
            acme = ex.add_client(ACME, "Acme Steel")
            for urn, name in ((BETA, "Beta Motors"), (GAMMA, "Gamma Batteries"), (DELTA, "Delta Cables")):
                ex.add_company(name, urn)
            owner_side.update(exchange=ex, acme=ex.company_id(ACME))
            verify = ssl.create_default_context(cafile=cafile)
            with httpx.Client(base_url=a.url, verify=verify, timeout=30) as client:
                r = client.post(
                    "/auth/token", data={"grant_type": "client_credentials"}, auth=(acme.client_id, acme.client_secret)
                )
                client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
                yield a, b, f, client


def _publish(client, n: int, share_with: list[str]) -> list[str]:
    docs = [footprint(productIds=[f"urn:gtin:{uuid.uuid4().int % 10**13}"]) for _ in range(n)]
    r = client.post("/platform/footprints", json={"footprints": docs, "shareWith": share_with})
    assert r.status_code == 201, r.text
    assert r.json()["ids"] == [d["id"] for d in docs]
    return r.json()["ids"]


def _arrived_at_b(b, pf_ids: list[str]) -> list[dict]:
    ex = b.app.state.exchange
    return [e for e in ex.events(ex.company_id(ACME)) if e["type"] == PUBLISHED and e["data"]["pfIds"] == pf_ids]


def _publish_audits(a, urn: str) -> list[dict]:
    return [e for e in a.app.state.exchange.audit_log() if e["action"] == "event.publish" and e["target"] == urn]


def _queued(a, pf_ids: list[str], status: str | None = None) -> list[dict]:
    """A's queued PublishedEvents of exactly ``pf_ids`` (of one status when given), with their tries."""
    ex = a.app.state.exchange
    rows = [row for row in ex.outbox_events(status, limit=1000) if row["pfIds"] == pf_ids]
    return [{**row, "tries_made": ex.delivery_tries(row["event_id"])} for row in rows]


def test_the_recipients_host_gets_a_published_event_with_the_footprint_ids(hosts):
    a, b, f, client = hosts
    before_beta, before_delta = len(_publish_audits(a, BETA)), len(_publish_audits(a, DELTA))
    ids = _publish(client, 2, [BETA, DELTA])
    assert wait_for(lambda: _arrived_at_b(b, ids), timeout=20), "no PublishedEvent reached Beta's host"
    (event,) = _arrived_at_b(b, ids)
    parse_event(event)  # a valid CloudEvents 1.0 envelope with a valid PublishedEvent payload
    assert event["specversion"] == "1.0" and event["type"] == "org.wbcsd.pact.ProductFootprint.PublishedEvent.3"
    assert event["source"] == f"{a.url}/3/events"
    assert str(uuid.UUID(event["id"])) == event["id"]
    assert event["time"].endswith("Z") and datetime.fromisoformat(event["time"].replace("Z", "+00:00"))
    assert event["data"] == {"pfIds": ids}

    assert wait_for(lambda: _queued(a, ids, "delivered"), timeout=10)
    (queued,) = _queued(a, ids)
    assert queued["event_id"] == event["id"] and queued["recipients"] == [BETA] and queued["tries"] == 1
    assert [(t["try"], t["http"], t["result"]) for t in queued["tries_made"]] == [(1, 200, "delivered")]
    # Delta has no configured host: nothing is queued or sent for it, and the audit log says so
    assert len(_publish_audits(a, BETA)) == before_beta
    assert len(_publish_audits(a, DELTA)) == before_delta + 1
    assert _publish_audits(a, DELTA)[-1]["detail"] == f"not sent: no outbound host is configured for {DELTA}"
    assert not [e for e in f.received if e["data"]["pfIds"] == ids]


def test_sharing_an_existing_footprint_announces_it_to_the_new_recipient(hosts):
    a, b, _, client = hosts
    (pf_id,) = _publish(client, 1, [])
    assert _queued(a, [pf_id]) == []  # publishing without shareWith queued nothing
    r = client.post(f"/platform/footprints/{pf_id}/share", json={"shareWith": [BETA]})
    assert r.status_code == 204, r.text
    assert wait_for(lambda: _arrived_at_b(b, [pf_id]), timeout=20), "sharing sent no PublishedEvent"
    assert wait_for(lambda: _queued(a, [pf_id], "delivered"), timeout=10)
    assert len(_arrived_at_b(b, [pf_id])) == 1
    # sharing again with a company that already has access gives nobody new access
    ex = a.app.state.exchange
    assert ex.share(ex.acting_as(ACME), pf_id, [BETA]) == []
    assert ex.share(ex.acting_as(ACME), pf_id, [BETA, DELTA]) == [DELTA]


def test_a_host_answering_500_is_retried_until_the_window_ends_and_the_publish_stands(hosts):
    a, _, f, client = hosts
    ids = _publish(client, 1, [GAMMA])
    assert wait_for(lambda: _queued(a, ids, "dead"), timeout=60), "the event was not given up after its window"
    (queued,) = _queued(a, ids)
    tries = [e for e in f.received if e["data"]["pfIds"] == ids]
    assert len(tries) == queued["tries"] >= 2 and {e["id"] for e in tries} == {queued["event_id"]}  # same id
    made = queued["tries_made"]
    assert [t["try"] for t in made] == list(range(1, len(tries) + 1))
    assert all(t["http"] == 500 and "receiver is down" in t["error"] for t in made)
    assert [t["result"] for t in made] == ["retry"] * (len(made) - 1) + ["dead"]
    assert all(f.visible_on_arrival)  # sent only after the footprint was committed
    # the failed delivery does not undo the publish: the footprint is stored and shared with Gamma
    r = client.get(f"/3/footprints/{ids[0]}")
    assert r.status_code == 200 and r.json()["data"]["id"] == ids[0]
    ex = a.app.state.exchange
    assert ex.get_footprint(ex.company_id(GAMMA), ids[0])["id"] == ids[0]


def test_a_rejected_publish_announces_nothing(hosts):
    a, _, _, client = hosts
    doc = footprint()
    before = [e for e in a.app.state.exchange.audit_log() if e["action"] == "event.publish"]
    r = client.post("/platform/footprints", json={"footprints": [doc], "shareWith": [BETA, "urn:company:nobody"]})
    assert r.status_code == 400 and "urn:company:nobody" not in r.json()["message"]
    time.sleep(0.5)
    assert [e for e in a.app.state.exchange.audit_log() if e["action"] == "event.publish"] == before


def test_the_owner_is_never_a_recipient_and_local_writes_queue_nothing(hosts):
    a, *_ = hosts
    ex = a.app.state.exchange
    owner = ex.acting_as(ACME)
    before = len(ex.outbox_events(limit=1000))
    ex.add_footprints(owner, [footprint()], [ACME, DELTA], source="https://a.example/3/events")
    assert len(ex.outbox_events(limit=1000)) == before  # Acme itself is skipped, Delta has no host
    assert _publish_audits(a, DELTA)[-1]["detail"].startswith("not sent")
    ex.add_footprints(owner, [footprint()], [BETA])  # no source: a local write (command line) announces nothing
    assert len(ex.outbox_events(limit=1000)) == before


def test_published_event_needs_footprint_ids():
    event = published_event(["5c7bd0a2-4d5b-4a4a-9d3e-0f6b0b1c2d3e"], "//a.example/3/events")
    assert [str(i) for i in parse_event(event)[1].pfIds] == ["5c7bd0a2-4d5b-4a4a-9d3e-0f6b0b1c2d3e"]
    with pytest.raises(ValueError, match="pfIds must be non-empty"):
        published_event([], "//a.example/3/events")


def test_outbound_file_names_the_companies_each_host_serves(tmp_path):
    path = tmp_path / "outbound.json"
    entry = {"base_url": "https://b.example", "client_id": "x", "client_secret": "y"}
    path.write_text(json.dumps([{**entry, "companies": [BETA, GAMMA]}, entry]))
    served, unnamed = outbound_from_file(path)
    assert served.companies == (BETA, GAMMA) and unnamed.companies == ()
    for companies in ("urn:company:beta", ["beta"], [1]):
        path.write_text(json.dumps([entry, {**entry, "companies": companies}]))
        with pytest.raises(ValueError, match=r"entry 1, field 'companies': expected a list of company URNs"):
            outbound_from_file(path)


def test_activity_uploads_roll_ups_and_deprecations_are_announced(hosts):
    a, b, _, client = hosts
    product = {
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
    activity = (
        "activity_type,fuel,sector,technology,region,year,mode,material,quantity,unit,product\n"
        "fuel,hard_coal,power,old,,2015,,,1000,GJ,coil\n"
    )
    r = client.post("/platform/activity", json={"products": [product], "activities": activity, "shareWith": [BETA]})
    assert r.status_code == 201, r.text
    uploaded = r.json()["ids"]
    assert wait_for(lambda: _arrived_at_b(b, uploaded), timeout=20), "an activity upload was not announced"

    (direct,) = _publish(client, 1, [])
    r = client.post("/platform/rollup", json={"products": [direct], "publish": True, "shareWith": [BETA]})
    assert r.status_code == 200, r.text
    rolled = r.json()["published"]
    assert len(rolled) == 1 and rolled != [direct]
    assert wait_for(lambda: _arrived_at_b(b, rolled), timeout=20), "a published roll-up was not announced"

    r = client.post(f"/platform/footprints/{uploaded[0]}/deprecate")
    assert r.status_code == 204, r.text
    assert wait_for(lambda: len(_arrived_at_b(b, uploaded)) == 2, timeout=20), "a deprecation was not announced"
    ex = a.app.state.exchange
    assert ex.deprecate(ex.acting_as(ACME), uploaded[0]) == []  # no change: nobody to notify
    assert ex.deprecate(ex.acting_as(ACME), rolled[0]) == [BETA]


def test_a_failing_host_does_not_hold_back_the_others(hosts):
    a, b, f, client = hosts
    ids = _publish(client, 1, [GAMMA, BETA])
    assert wait_for(lambda: _arrived_at_b(b, ids), timeout=20)
    assert wait_for(lambda: _queued(a, ids, "dead"), timeout=60)
    statuses = sorted((q["status"], q["recipients"]) for q in _queued(a, ids))
    assert statuses == [("dead", [GAMMA]), ("delivered", [BETA])]
    assert len([e for e in f.received if e["data"]["pfIds"] == ids]) == _queued(a, ids, "dead")[0]["tries"]
