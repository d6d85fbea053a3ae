"""The transactional outbox: events queued in the transaction of the change that causes them, their delivery
tries recorded, and the operator's view of the queue.

A write that should notify another host (footprints published, shared or deprecated; a RequestCreated received)
adds its outbox rows in its own transaction, so the change and its events are stored together or not at all. The
delivery worker (:mod:`coreduce.exchange.delivery`) claims due rows, sends each once per try and records every try
here: one audit row ``event.deliver`` (target = the CloudEvents id; detail = try number, URL, HTTP status, error,
result) and the row's new state — delivered; pending with the next try after an exponential pause with jitter; or
dead when the receiver refused the event for good or the retry window ended. Finished events are deleted after a
retention time (:meth:`Outbox.purge_events`).
"""

from __future__ import annotations

import json
import random
import threading
from datetime import timedelta

from sqlalchemy.orm import Session

from coreduce.exchange.chain import outbound
from coreduce.exchange.chain.outbound import Outcome
from coreduce.exchange.errors import InvalidInput, NotFound
from coreduce.exchange.pact.events import RequestCreatedData
from coreduce.exchange.service.queries import FootprintQuery
from coreduce.exchange.service.tenants import Principal
from coreduce.exchange.settings import OutboundHost, Settings
from coreduce.exchange.store import audit, outbox
from coreduce.exchange.store import footprints as store
from coreduce.exchange.store.db import utcnow
from coreduce.exchange.store.outbox import Due

ANSWER_LIMIT = 1000  # footprints in one RequestFulfilled


def request_query(data: RequestCreatedData) -> FootprintQuery:
    """The ListFootprints criteria of a RequestCreatedEvent's ``data``."""
    return FootprintQuery(
        product_id=list(data.productId or []),
        company_id=list(data.companyId or []),
        geography=list(data.geography or []),
        classification=list(data.classification or []),
        valid_on=data.validOn,
        valid_after=data.validAfter,
        valid_before=data.validBefore,
        status=data.status,
    )


class Outbox:
    """Queueing, delivery records and the queue (part of :class:`~coreduce.exchange.service.Exchange`)."""

    outbound: tuple[OutboundHost, ...] = ()
    queued: threading.Event

    def queue_published(self, s: Session, owner: Principal, ids: list[str], urns: list[str], source: str | None) -> int:
        """In ``s``'s transaction: queue one PublishedEvent of ``ids`` per host serving a company of ``urns`` (the
        owner excluded); companies no host serves are audited as not sent. ``source`` None (a local caller): none.
        """
        recipients = [urn for urn in dict.fromkeys(urns) if urn != owner.company_urn]
        if source is None or not ids or not recipients:
            return 0
        by_host: dict[OutboundHost, list[str]] = {}
        for urn in recipients:
            hosts = outbound.hosts_of(urn, self.outbound)
            if not hosts:
                audit.record(
                    s,
                    owner.company_id,
                    owner.client_id,
                    "event.publish",
                    urn,
                    f"not sent: no outbound host is configured for {urn}",
                )
            for host in hosts:
                by_host.setdefault(host, []).append(urn)
        for host, served in by_host.items():
            event = outbound.published_event(ids, source)
            self._enqueue(s, owner, event, outbound.events_url(host.base_url), served)
        return len(by_host)

    def queue_answer(
        self,
        s: Session,
        requester: Principal,
        received_seq: int,
        request_id: str,
        data: RequestCreatedData,
        request_source: str,
        own: str,
    ) -> int:
        """In ``s``'s transaction: queue the answer to a received RequestCreated, or queue the stored answer again
        (same event id) when the same request came before. Sources no host serves are audited as not sent."""
        url = outbound.events_url(request_source)
        earlier = outbox.answer_of(s, received_seq)
        if earlier is not None:
            outbox.rearm(earlier, utcnow())
            audit.record(
                s,
                requester.company_id,
                requester.client_id,
                "event.respond",
                request_id,
                f"requested again: {earlier.type} {earlier.event_id} queued again for {earlier.url}",
            )
            return 1
        if outbound.outbound_host(url, self.outbound) is None:
            audit.record(
                s,
                requester.company_id,
                requester.client_id,
                "event.respond",
                request_id,
                f"not sent: {url} is not a configured outbound host",
            )
            return 0
        rows = store.page(s, requester.company_id, request_query(data), ANSWER_LIMIT, 0)[:ANSWER_LIMIT]
        event = outbound.answer_event(request_id, [json.loads(r.document) for r in rows], own)
        self._enqueue(s, requester, event, url, [], answers_seq=received_seq)
        return 1

    def _enqueue(self, s: Session, who: Principal, event: dict, url: str, urns: list[str], answers_seq=None) -> None:
        outbox.enqueue(s, event, who.company_id, who.client_id, url, utcnow(), urns, answers_seq)
        detail = json.dumps({"type": event["type"], "url": url, "recipients": urns})
        audit.record(s, who.company_id, who.client_id, "event.queue", event["id"], detail)

    def claim_events(self, worker: str, lease: timedelta, limit: int = 32) -> list[Due]:
        """Claim up to ``limit`` due events for ``worker`` (:func:`coreduce.exchange.store.outbox.claim`)."""
        with self.session() as s, s.begin():
            return outbox.claim(s, worker, utcnow(), lease, limit)

    def record_try(
        self, due: Due, worker: str, outcome: Outcome, settings: Settings, rng: random.Random | None = None
    ) -> str:
        """Record one try of ``due`` by ``worker`` (audit row and new state, see the module docstring); returns the
        result: ``delivered``, ``retry`` or ``dead`` (``dropped`` when an operator dropped it meanwhile). ``rng``
        draws the pause's jitter (default: the ``random`` module's)."""
        now = utcnow()
        with self.session() as s, s.begin():
            row = outbox.by_event_id(s, due.event_id)
            tries = row.tries + 1
            if row.status != "pending" or row.claimed_by != worker:
                result = row.status if row.status != "pending" else "superseded"
            elif outcome.delivered:
                result, row.status = "delivered", "delivered"
            else:
                pause = outbound.backoff(
                    tries, settings.retry_first, settings.retry_longest, settings.retry_jitter, rng
                )
                row.next_try_at = now + timedelta(seconds=pause)
                result = (
                    "dead" if outcome.final or row.next_try_at > row.queued_at + settings.give_up_after else "retry"
                )
                row.status = "dead" if result == "dead" else "pending"
            row.tries, row.last_try_at, row.last_status, row.last_error = tries, now, outcome.status, outcome.error
            if row.claimed_by == worker:
                row.claimed_by = row.claimed_until = None
            detail = {"try": tries, "url": due.url, "http": outcome.status, "error": outcome.error, "result": result}
            if result == "retry":
                detail["next"] = row.next_try_at.isoformat(timespec="seconds")
            audit.record(s, due.company_id, due.client_id, "event.deliver", due.event_id, json.dumps(detail))
        return result

    def outbox_events(self, status: str | None = None, limit: int = 100) -> list[dict]:
        """Queued events, newest first: id, type, status, tries, next try, last HTTP status and error, URL,
        recipients, and what each is about (``pfIds``, ``requestEventId``)."""
        if status is not None and status not in outbox.STATUSES:
            raise InvalidInput(f"status must be one of {list(outbox.STATUSES)}, got {status!r}")
        with self.session() as s:
            return [
                {
                    "event_id": r.event_id,
                    "type": r.type,
                    "status": r.status,
                    "tries": r.tries,
                    "queued_at": r.queued_at,
                    "next_try_at": r.next_try_at if r.status == "pending" else None,
                    "last_try_at": r.last_try_at,
                    "last_status": r.last_status,
                    "last_error": r.last_error,
                    "url": r.url,
                    "recipients": json.loads(r.recipients),
                    **outbound.event_summary(r.body),
                }
                for r in outbox.rows(s, status, limit)
            ]

    def outbox_counts(self) -> dict[str, int]:
        with self.session() as s:
            return outbox.counts(s)

    def delivery_tries(self, event_id: str) -> list[dict]:
        """Every recorded try of one queued event, oldest first (from the audit log)."""
        with self.session() as s:
            if outbox.by_event_id(s, event_id) is None:
                raise NotFound(f"no queued event with id {event_id!r}")
            return [
                json.loads(e["detail"]) | {"at": e["at"]}
                for e in audit.entries(s, target=event_id)
                if e["action"] == "event.deliver"
            ]

    def retry_event(self, event_id: str) -> None:
        """Queue a dead, dropped or pending event again, due now, with a fresh retry window (audited)."""
        self._operate(event_id, "event.retry", lambda row: outbox.rearm(row, utcnow()))

    def drop_event(self, event_id: str) -> None:
        """Stop sending an event (audited); a try under way still completes and is recorded."""

        def drop(row):
            if row.status == "delivered":
                raise InvalidInput(f"event {event_id!r} is already delivered")
            row.status = "dropped"

        self._operate(event_id, "event.drop", drop)

    def purge_events(self, keep_delivered: timedelta, keep_ended: timedelta) -> dict[str, int]:
        """Delete delivered events finished more than ``keep_delivered`` ago and dead or dropped ones more than
        ``keep_ended`` ago (:func:`coreduce.exchange.store.outbox.purge`); audited as ``event.purge`` when any
        went. The audit log keeps their tries."""
        if keep_delivered < timedelta(0) or keep_ended < timedelta(0):
            raise InvalidInput("retention times must not be negative")
        now = utcnow()
        with self.session() as s, s.begin():
            deleted = outbox.purge(s, now - keep_delivered, now - keep_ended)
            if any(deleted.values()):
                audit.record(s, None, None, "event.purge", "outbox", json.dumps(deleted))
        return deleted

    def _operate(self, event_id: str, action: str, change) -> None:
        with self.session() as s, s.begin():
            row = outbox.by_event_id(s, event_id)
            if row is None:
                raise NotFound(f"no queued event with id {event_id!r}")
            before = row.status
            change(row)
            audit.record(s, row.company_id, None, action, event_id, f"{before} -> {row.status}")
        if action == "event.retry":
            self.queued.set()
