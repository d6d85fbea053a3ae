"""``coreduce exchange events`` and ``coreduce exchange deliver`` through the real command line entry point."""

from __future__ import annotations

import json
import socket

from typer.testing import CliRunner

from coreduce.cli.main import app
from coreduce.exchange.service import open_exchange
from coreduce.exchange.settings import OutboundHost
from helpers.exchange_samples import footprint

runner = CliRunner(env={"COLUMNS": "300"})
ACME, BETA = "urn:company:acme", "urn:company:beta"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again: connecting to it is refused


def test_the_queue_is_listed_tried_alone_shown_dropped_and_retried(tmp_path):
    db = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    host = f"https://127.0.0.1:{_closed_port()}"
    outbound = tmp_path / "outbound.json"
    outbound.write_text(json.dumps([{"base_url": host, "client_id": "a", "client_secret": "s", "companies": [BETA]}]))
    ex = open_exchange(db, outbound=(OutboundHost(host, "a", "s", (BETA,)),))
    ex.add_company("Acme", ACME)
    ex.add_company("Beta", BETA)
    (pf_id,) = ex.add_footprints(ex.acting_as(ACME), [footprint()], [BETA], source="https://acme.example/3/events")
    (event,) = ex.outbox_events()

    r = runner.invoke(app, ["exchange", "events", "--database-url", db])
    assert r.exit_code == 0, r.output
    assert "1 pending, 0 delivered, 0 dead, 0 dropped" in r.output
    assert event["event_id"] in r.output and "PublishedEvent" in r.output and BETA in r.output

    # the worker alone, one round: the receiver is down, the try is recorded and the event stays queued
    r = runner.invoke(app, ["exchange", "deliver", "--once", "--outbound", str(outbound), "--database-url", db])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == {"retry": 1}
    r = runner.invoke(app, ["exchange", "events", "show", event["event_id"], "--database-url", db])
    assert r.exit_code == 0 and "ConnectError" in r.output and "retry" in r.output, r.output

    r = runner.invoke(app, ["exchange", "events", "drop", event["event_id"], "--database-url", db])
    assert r.exit_code == 0 and "dropped" in r.output
    r = runner.invoke(app, ["exchange", "events", "--status", "dropped", "--database-url", db])
    assert event["event_id"] in r.output
    r = runner.invoke(app, ["exchange", "events", "retry", event["event_id"], "--database-url", db])
    assert r.exit_code == 0 and "queued again" in r.output
    assert [e["status"] for e in ex.outbox_events()] == ["pending"] and ex.outbox_events()[0]["pfIds"] == [pf_id]
    actions = [e["action"] for e in ex.audit_log() if e["target"] == event["event_id"]]
    assert actions == ["event.queue", "event.deliver", "event.drop", "event.retry"]

    # purge: a pending event is never deleted; a dropped one is, once past the retention given
    r = runner.invoke(app, ["exchange", "events", "purge", "--keep-ended-days", "0", "--database-url", db])
    assert r.exit_code == 0 and "purged: 0 delivered, 0 dead or dropped" in r.output, r.output
    ex.drop_event(event["event_id"])
    r = runner.invoke(app, ["exchange", "events", "purge", "--keep-ended-days", "0", "--database-url", db])
    assert r.exit_code == 0 and "purged: 0 delivered, 1 dead or dropped" in r.output, r.output
    assert ex.outbox_events() == []


def test_events_errors_name_what_is_wrong(tmp_path):
    db = f"sqlite:///{tmp_path / 'e.sqlite3'}"
    for args, needle in [
        (["events", "resend", "x"], "action must be one of list, show, retry, drop"),
        (["events", "retry"], "give an event id"),
        (["events", "purge", "x"], "none to list or purge"),
        (["events", "drop", "00000000-0000-0000-0000-000000000000"], "no queued event with id"),
        (["events", "--status", "lost"], "status must be one of"),
        (["deliver", "--once", "--outbound", str(tmp_path / "none.json")], "none.json"),
    ]:
        r = runner.invoke(app, ["exchange", *args, "--database-url", db])
        assert r.exit_code == 2 and needle in r.output, (args, r.output)


def test_serve_options_set_retention_and_the_per_address_rate():
    from datetime import timedelta

    from coreduce.cli.serve import settings_from_options

    options = {"retry_first": 5.0, "retry_longest": 3600.0, "give_up_hours": 72.0, "host": "127.0.0.1"}
    default = settings_from_options(options)
    assert (default.keep_delivered, default.keep_ended) == (timedelta(days=7), timedelta(days=30))
    assert default.api_rate_per_address == (2000.0, 4000)
    chosen = settings_from_options(
        {**options, "keep_delivered_days": 1.5, "keep_ended_days": 0, "api_rate_per_address": 0.0}
    )
    assert (chosen.keep_delivered, chosen.keep_ended) == (timedelta(hours=36), timedelta(0))
    assert chosen.api_rate_per_address == (0.0, 0)
