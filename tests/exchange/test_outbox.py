"""The transactional outbox on SQLite and PostgreSQL: events are queued in the transaction of the change that
causes them, claimed by one worker at a time, retried with exponential pauses within their window, and kept or
dropped by an operator. The delivery worker's HTTP side is tested between real servers in test_published_events,
test_callbacks and test_delivery_crash."""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from datetime import timedelta

import pytest

from coreduce.exchange import errors
from coreduce.exchange.chain.outbound import Outcome, backoff
from coreduce.exchange.pact.events import PUBLISHED
from coreduce.exchange.service import open_exchange
from coreduce.exchange.settings import OutboundHost, Settings
from coreduce.exchange.store import outbox
from coreduce.exchange.store.db import utcnow
from helpers.exchange_samples import footprint

ACME, BETA = "urn:company:acme", "urn:company:beta"
HOST = OutboundHost("https://beta.example", "acme-at-beta", "secret", companies=(BETA,))
SOURCE = "https://acme.example/3/events"
LEASE = timedelta(minutes=5)


@pytest.fixture
def exchange(database_url):
    ex = open_exchange(database_url, outbound=(HOST,))
    for urn in (ACME, BETA):
        with contextlib.suppress(errors.Conflict):  # the module-scoped database keeps companies between tests
            ex.add_company(urn, urn)
    for due in ex.claim_events("cleaner", LEASE, limit=10_000):  # earlier tests' events: out of the way
        ex.drop_event(due.event_id)
    return ex


def _publish(ex, n: int = 1) -> list[str]:
    return ex.add_footprints(ex.acting_as(ACME), [footprint() for _ in range(n)], [BETA], source=SOURCE)


def _row(ex, event_id: str) -> dict:
    (row,) = [r for r in ex.outbox_events(limit=10_000) if r["event_id"] == event_id]
    return row


def test_an_event_is_queued_with_the_change_or_not_at_all(exchange):
    ids = _publish(exchange)
    (due,) = exchange.claim_events("w1", LEASE)
    assert due.type == PUBLISHED and due.url == "https://beta.example/3/events"
    row = _row(exchange, due.event_id)
    assert row["pfIds"] == ids and row["recipients"] == [BETA] and row["status"] == "pending" and row["tries"] == 0
    # a publish refused in its transaction (one id already stored) stores no footprint and queues no event
    before = len(exchange.outbox_events(limit=10_000))
    with pytest.raises(errors.Conflict):
        exchange.add_footprints(exchange.acting_as(ACME), [footprint(), footprint(id=ids[0])], [BETA], source=SOURCE)
    assert len(exchange.outbox_events(limit=10_000)) == before
    # deprecating a shared footprint queues its update for the same recipient
    assert exchange.deprecate(exchange.acting_as(ACME), ids[0], source=SOURCE) == [BETA]
    (update,) = exchange.claim_events("w1", LEASE)
    assert _row(exchange, update.event_id)["pfIds"] == ids and update.event_id != due.event_id


def test_two_workers_never_hold_the_same_event(exchange):
    _publish(exchange, 1)
    for _ in range(11):
        _publish(exchange, 1)
    got: dict[str, list[str]] = {}
    start = threading.Barrier(4)

    def worker(name: str) -> None:
        start.wait()
        mine = []
        for _ in range(6):
            mine += [d.event_id for d in exchange.claim_events(name, LEASE, limit=2)]
        got[name] = mine

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [e for ids in got.values() for e in ids]
    assert len(claimed) == len(set(claimed)) == 12  # every event claimed, none twice
    assert exchange.claim_events("late", LEASE) == []  # held claims are respected


def test_an_expired_claim_is_taken_over_and_the_old_worker_cannot_finish_it(exchange):
    _publish(exchange)
    (due,) = exchange.claim_events("crashed", timedelta(milliseconds=1))
    time.sleep(0.05)
    (again,) = exchange.claim_events("alive", LEASE)
    assert again.event_id == due.event_id
    settings = Settings()
    assert exchange.record_try(due, "crashed", Outcome(200), settings) == "superseded"
    assert _row(exchange, due.event_id)["status"] == "pending"
    assert exchange.record_try(again, "alive", Outcome(200), settings) == "delivered"
    tries = exchange.delivery_tries(due.event_id)
    assert [(t["try"], t["result"]) for t in tries] == [(1, "superseded"), (2, "delivered")]


def test_failed_tries_back_off_exponentially_until_the_window_ends(exchange):
    settings = Settings(retry_first=10, retry_longest=60, give_up_after=timedelta(seconds=100))
    _publish(exchange)
    (due,) = exchange.claim_events("w", LEASE)
    pauses = []
    while exchange.record_try(due, "w", Outcome(503, "busy"), settings) == "retry":
        row = _row(exchange, due.event_id)
        pauses.append(round((row["next_try_at"] - row["last_try_at"]).total_seconds()))
        assert exchange.claim_events("w", LEASE) == []  # not due before its pause ends
        with exchange.session() as s, s.begin():  # let the pause pass: the queue's times move back by it
            queued = outbox.by_event_id(s, due.event_id)
            queued.queued_at -= row["next_try_at"] - row["last_try_at"]
            queued.next_try_at = utcnow()
        (due,) = exchange.claim_events("w", LEASE)
    assert pauses == [10, 20, 40]  # the next pause (60 s) would end after the 100 s window: dead after try 4
    row = _row(exchange, due.event_id)
    assert row["status"] == "dead" and row["tries"] == 4 and row["last_status"] == 503 and row["next_try_at"] is None
    tries = exchange.delivery_tries(due.event_id)
    assert [(t["http"], t["error"], t["result"]) for t in tries] == [(503, "busy", "retry")] * 3 + [
        (503, "busy", "dead")
    ]
    assert [backoff(n, 10, 60) for n in range(1, 6)] == [10, 20, 40, 60, 60]


def test_a_refusal_is_final_but_a_throttle_or_a_network_error_is_retried(exchange):
    settings = Settings()
    for outcome, result in [
        (Outcome(400, "bad event"), "dead"),
        (Outcome(429, "slow down"), "retry"),
        (Outcome(None, "ConnectError: refused"), "retry"),
        (Outcome(503, "busy"), "retry"),
    ]:
        _publish(exchange)
        (due,) = exchange.claim_events("w", LEASE)
        assert exchange.record_try(due, "w", outcome, settings) == result
        if result == "retry":
            exchange.drop_event(due.event_id)


def test_an_operator_retries_a_dead_event_and_drops_a_pending_one(exchange):
    settings = Settings()
    _publish(exchange)
    (due,) = exchange.claim_events("w", LEASE)
    exchange.record_try(due, "w", Outcome(404, "no such endpoint"), settings)
    assert _row(exchange, due.event_id)["status"] == "dead"
    exchange.retry_event(due.event_id)
    (again,) = exchange.claim_events("w", LEASE)
    assert again.event_id == due.event_id and again.body == due.body  # the same event, same id
    exchange.drop_event(due.event_id)  # dropped while a try is under way: the try is recorded, the drop stands
    assert exchange.record_try(again, "w", Outcome(200), settings) == "dropped"
    assert _row(exchange, due.event_id)["status"] == "dropped"
    assert exchange.claim_events("w", LEASE) == []
    with pytest.raises(errors.NotFound):
        exchange.retry_event(str(uuid.uuid4()))
    with pytest.raises(errors.InvalidInput):
        exchange.outbox_events("lost")
    actions = [e["action"] for e in exchange.audit_log() if e["target"] == due.event_id]
    assert actions == ["event.queue", "event.deliver", "event.retry", "event.drop", "event.deliver"]
