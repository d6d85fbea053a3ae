"""``coreduce exchange events`` and ``coreduce exchange deliver``: the queue of events to send, and its worker."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated

import typer

from coreduce.cli.exchange import DatabaseUrl, _fail, exchange_app
from coreduce.cli.exchange_options import (
    GiveUpHours,
    KeepDeliveredDays,
    KeepEndedDays,
    Outbound,
    OutboundCa,
    RetryFirst,
    RetryLongest,
    delivery_settings,
)

ACTIONS = ("list", "show", "retry", "drop", "purge")


def events_command(
    action: Annotated[str, typer.Argument(help="list (default), show, retry, drop or purge.")] = "list",
    event_id: Annotated[str | None, typer.Argument(help="The event's id (show, retry, drop).")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="Only events in this state: pending, delivered, dead, dropped.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many events, newest first.")] = 50,
    keep_delivered_days: KeepDeliveredDays = 7.0,
    keep_ended_days: KeepEndedDays = 30.0,
    database_url: DatabaseUrl = None,
) -> None:
    """The queue of events to send: list it, show one event's tries, retry a dead event, drop one, or purge the
    finished events past their retention (the audit log keeps their tries)."""
    from rich.console import Console

    from coreduce.exchange.errors import ExchangeError
    from coreduce.exchange.service import open_exchange

    if action not in ACTIONS:
        _fail(f"action must be one of {', '.join(ACTIONS)}, got {action!r}")
    if (action in ("list", "purge")) != (event_id is None):
        _fail("give an event id to show, retry or drop, and none to list or purge" if event_id else "give an event id")
    try:
        exchange = open_exchange(database_url)
        if action == "list":
            return _print_queue(exchange, status, limit)
        if action == "purge":
            deleted = exchange.purge_events(timedelta(days=keep_delivered_days), timedelta(days=keep_ended_days))
            return Console().print("purged: " + ", ".join(f"{n} {kind}" for kind, n in deleted.items()))
        if action == "show":
            return _print_tries(exchange, event_id)
        (exchange.retry_event if action == "retry" else exchange.drop_event)(event_id)
    except ExchangeError as exc:
        _fail(exc.message)
    done = "queued again, due now" if action == "retry" else "dropped: it will not be sent"
    Console().print(f"event {event_id} {done}")


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else ""


def _print_queue(exchange, status: str | None, limit: int) -> None:
    from rich.console import Console
    from rich.table import Table

    counts = exchange.outbox_counts()
    table = Table(title="events to send: " + ", ".join(f"{n} {state}" for state, n in counts.items()))
    for column in ("event id", "type", "status", "tries", "next try (UTC)", "last HTTP", "to", "about"):
        table.add_column(column)
    for e in exchange.outbox_events(status, limit):
        about = f"request {e['requestEventId']}" if e["requestEventId"] else f"{len(e['pfIds'])} footprint(s)"
        recipients = f" ({', '.join(e['recipients'])})" if e["recipients"] else ""
        table.add_row(
            e["event_id"],
            e["type"].split(".")[-2],
            e["status"],
            str(e["tries"]),
            _when(e["next_try_at"]),
            str(e["last_status"] or e["last_error"] or ""),
            e["url"] + recipients,
            about,
        )
    Console().print(table)


def _print_tries(exchange, event_id: str) -> None:
    from rich.console import Console
    from rich.table import Table

    tries = exchange.delivery_tries(event_id)
    (event,) = [e for e in exchange.outbox_events(limit=1_000_000) if e["event_id"] == event_id]
    table = Table(title=f"{event['type']} {event_id}: {event['status']}, queued {_when(event['queued_at'])} UTC")
    for column in ("try", "at (UTC)", "HTTP", "error", "result"):
        table.add_column(column)
    for t in tries:
        table.add_row(str(t["try"]), _when(t["at"]), str(t["http"] or ""), t["error"] or "", t["result"])
    Console().print(table)
    if not tries:
        Console(stderr=True).print("not tried yet")


def deliver_command(
    outbound: Outbound = None,
    outbound_ca: OutboundCa = None,
    retry_first: RetryFirst = 5.0,
    retry_longest: RetryLongest = 3600.0,
    give_up_hours: GiveUpHours = 72.0,
    keep_delivered_days: KeepDeliveredDays = 7.0,
    keep_ended_days: KeepEndedDays = 30.0,
    once: Annotated[bool, typer.Option("--once", help="Try the events due now once each, then stop.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Send the queued events (the worker ``coreduce serve`` runs, alone; use with ``serve --no-deliver``)."""
    from rich.console import Console

    from coreduce.exchange.delivery import DeliveryWorker
    from coreduce.exchange.service import open_exchange
    from coreduce.exchange.settings import Settings

    try:
        fields = delivery_settings(
            outbound, outbound_ca, retry_first, retry_longest, give_up_hours, keep_delivered_days, keep_ended_days
        )
    except (ValueError, FileNotFoundError) as exc:
        _fail(str(exc))
    settings = Settings(database_url=database_url, **fields)
    worker = DeliveryWorker(open_exchange(database_url, outbound=settings.outbound), settings)
    if once:
        Console().print(json.dumps(worker.run_once()))
        return
    Console(stderr=True).print(f"delivering queued events as worker {worker.name} (Ctrl+C stops)")
    try:
        worker.run()
    except KeyboardInterrupt:
        worker.stop()


def register(app: typer.Typer) -> None:
    exchange_app.command("events")(events_command)
    exchange_app.command("deliver")(deliver_command)
