"""The transactional outbox on SQLite and PostgreSQL: events are queued in the transaction of the change that
causes them, claimed by one worker at a time, retried with exponential pauses (with bounded jitter) within their
window, kept or dropped by an operator, and deleted after their retention time. The delivery worker's HTTP side
is tested between real servers in test_published_events, test_callbacks and test_delivery_crash."""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
import uuid
from datetime import timedelta

import pytest

from coreduce.exchange import errors
from coreduce.exchange.chain.outbound import Outcome, backoff
from coreduce.exchange.delivery import DeliveryWorker
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
    settings = Settings(retry_first=10, retry_longest=60, give_up_after=timedelta(seconds=100), retry_jitter=0)
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


def _pauses(exchange, settings: Settings, rng: random.Random, tries: int) -> list[float]:
    """The pauses after ``tries`` failed tries of a new event (each pause let pass by moving the queue's times)."""
    _publish(exchange)
    (due,) = exchange.claim_events("w", LEASE)
    pauses = []
    for _ in range(tries):
        assert exchange.record_try(due, "w", Outcome(503, "busy"), settings, rng) == "retry"
        row = _row(exchange, due.event_id)
        pauses.append((row["next_try_at"] - row["last_try_at"]).total_seconds())
        with exchange.session() as s, s.begin():
            outbox.by_event_id(s, due.event_id).next_try_at = utcnow()
        (due,) = exchange.claim_events("w", LEASE)
    exchange.drop_event(due.event_id)
    return pauses


def test_pauses_carry_bounded_jitter_drawn_from_the_workers_generator(exchange):
    """Equal jitter (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015): each pause lies in
    (p/2, p] for p = 10 · 2^(n−1) s; the same seed gives the same pauses, events failing together spread apart."""
    settings = Settings(retry_first=10, retry_longest=3600, retry_jitter=0.5)
    first = _pauses(exchange, settings, random.Random(12), 5)
    again = _pauses(exchange, settings, random.Random(12), 5)
    other = _pauses(exchange, settings, random.Random(13), 5)
    for pauses in (first, other):
        assert all(p / 2 < pause <= p + 1e-3 for pause, p in zip(pauses, [10, 20, 40, 80, 160], strict=True))
    expected = [p * (1 - 0.5 * u) for p, u in zip([10, 20, 40, 80, 160], _draws(12, 5), strict=True)]
    assert first == again and first == pytest.approx(expected, abs=1e-3)  # stored to the microsecond
    assert all(abs(a - b) > 1e-3 for a, b in zip(first, other, strict=True))
    full = random.Random(5)
    assert all(0 < backoff(n, 10, 3600, 1.0, full) <= 10 * 2 ** (n - 1) for n in range(1, 9))


def _draws(seed: int, n: int) -> list[float]:
    rng = random.Random(seed)
    return [rng.random() for _ in range(n)]


def _finish(exchange, state: str, days_ago: float) -> str:
    """A new event left ``state`` (delivered, dead, dropped or pending) ``days_ago`` days ago."""
    _publish(exchange)
    (due,) = exchange.claim_events("w", LEASE)
    if state == "dropped":
        exchange.drop_event(due.event_id)
    elif state != "pending":
        exchange.record_try(due, "w", Outcome(200) if state == "delivered" else Outcome(400, "bad event"), Settings())
    with exchange.session() as s, s.begin():
        row = outbox.by_event_id(s, due.event_id)
        assert row.status == state
        row.queued_at -= timedelta(days=days_ago)
        if row.last_try_at is not None:
            row.last_try_at -= timedelta(days=days_ago)
    return due.event_id


def test_finished_events_are_purged_after_their_retention_by_the_worker_and_the_operator(exchange):
    old_delivered = _finish(exchange, "delivered", 8)
    new_delivered = _finish(exchange, "delivered", 6)
    old_dead = _finish(exchange, "dead", 31)
    young_dead = _finish(exchange, "dead", 8)
    old_dropped = _finish(exchange, "dropped", 31)
    old_pending = _finish(exchange, "pending", 40)  # never purged
    clock = [0.0]
    settings = Settings(purge_every=3600)
    worker = DeliveryWorker(exchange, settings, clock=lambda: clock[0])
    deleted = worker.purge_if_due()
    assert deleted["delivered"] >= 1 and deleted["dead or dropped"] >= 2
    left = {e["event_id"] for e in exchange.outbox_events(limit=100_000)}
    assert {new_delivered, young_dead, old_pending} <= left and not {old_delivered, old_dead, old_dropped} & left
    assert [e["detail"] for e in exchange.audit_log() if e["action"] == "event.purge"][-1] == json.dumps(deleted)
    assert [e["action"] for e in exchange.audit_log() if e["target"] == old_delivered][-1] == "event.deliver"

    young_delivered = _finish(exchange, "delivered", 8)
    clock[0] = 3599.0
    assert worker.purge_if_due() is None  # not due yet
    assert young_delivered in {e["event_id"] for e in exchange.outbox_events(limit=100_000)}
    clock[0] = 3600.0
    assert worker.purge_if_due() == {"delivered": 1, "dead or dropped": 0}
    assert exchange.purge_events(timedelta(days=7), timedelta(0))["dead or dropped"] >= 1  # young_dead
    with pytest.raises(errors.InvalidInput):
        exchange.purge_events(timedelta(days=-1), timedelta(0))
