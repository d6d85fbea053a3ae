"""The outbox table: events queued in the transaction of the change that causes them, claimed by one delivery
worker at a time, and their delivery state.

A worker claims a due row by a conditional UPDATE (``… WHERE seq = ? AND status = 'pending' AND (unclaimed or
claim expired)``): on PostgreSQL the second of two concurrent updates re-reads the row after the first commits and
matches nothing; SQLite runs one writer at a time. So at most one live claim exists per row; a claim that a dead
worker left expires after its lease, and the row is claimed again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from coreduce.exchange.store.db import OutboxEvent

STATUSES = ("pending", "delivered", "dead", "dropped")


@dataclass(frozen=True)
class Due:
    """A claimed event, as the worker needs it."""

    seq: int
    event_id: str
    type: str
    url: str
    body: str
    tries: int
    company_id: int
    client_id: str | None


def enqueue(
    s: Session,
    event: dict,
    company_id: int,
    client_id: str | None,
    url: str,
    now: datetime,
    recipients: list[str] = (),
    answers_seq: int | None = None,
) -> None:
    """Queue ``event`` (a CloudEvent) for ``url``, due now, in the caller's transaction."""
    s.add(
        OutboxEvent(
            event_id=event["id"],
            type=event["type"],
            company_id=company_id,
            client_id=client_id,
            url=url,
            recipients=json.dumps(list(recipients)),
            answers_seq=answers_seq,
            body=json.dumps(event, separators=(",", ":")),
            status="pending",
            tries=0,
            queued_at=now,
            next_try_at=now,
        )
    )


def answer_of(s: Session, received_seq: int) -> OutboxEvent | None:
    """The queued answer to the received event ``received_seq``, if any."""
    return s.scalar(select(OutboxEvent).where(OutboxEvent.answers_seq == received_seq))


def by_event_id(s: Session, event_id: str) -> OutboxEvent | None:
    return s.scalar(select(OutboxEvent).where(OutboxEvent.event_id == event_id))


def rearm(row: OutboxEvent, now: datetime) -> None:
    """Make ``row`` pending and due now, with a fresh retry window (its event id and body unchanged)."""
    row.status, row.queued_at, row.next_try_at = "pending", now, now
    row.claimed_by = row.claimed_until = None


def claim(s: Session, worker: str, now: datetime, lease: timedelta, limit: int) -> list[Due]:
    """Claim up to ``limit`` due rows for ``worker`` until ``now + lease`` (see the module docstring)."""
    free = or_(OutboxEvent.claimed_until.is_(None), OutboxEvent.claimed_until < now)
    candidates = s.scalars(
        select(OutboxEvent.seq)
        .where(OutboxEvent.status == "pending", OutboxEvent.next_try_at <= now, free)
        .order_by(OutboxEvent.next_try_at, OutboxEvent.seq)
        .limit(limit)
    ).all()
    claimed = []
    for seq in candidates:
        done = s.execute(
            update(OutboxEvent)
            .where(OutboxEvent.seq == seq, OutboxEvent.status == "pending", free)
            .values(claimed_by=worker, claimed_until=now + lease)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount == 1:
            claimed.append(seq)
    if not claimed:
        return []
    rows = s.scalars(select(OutboxEvent).where(OutboxEvent.seq.in_(claimed)).order_by(OutboxEvent.seq))
    return [Due(r.seq, r.event_id, r.type, r.url, r.body, r.tries, r.company_id, r.client_id) for r in rows]


def rows(s: Session, status: str | None = None, limit: int = 100) -> list[OutboxEvent]:
    """Queued events, newest first (of one status when given)."""
    statement = select(OutboxEvent).order_by(OutboxEvent.seq.desc()).limit(limit)
    if status is not None:
        statement = statement.where(OutboxEvent.status == status)
    return list(s.scalars(statement))


def counts(s: Session) -> dict[str, int]:
    """Number of queued events per status."""
    found = dict(s.execute(select(OutboxEvent.status, func.count()).group_by(OutboxEvent.status)).all())
    return {status: found.get(status, 0) for status in STATUSES}


def purge(s: Session, delivered_before: datetime, ended_before: datetime) -> dict[str, int]:
    """Delete delivered rows whose last try (or queuing, if never tried) is before ``delivered_before``, and dead or
    dropped rows before ``ended_before``; the number deleted of each."""
    finished = func.coalesce(OutboxEvent.last_try_at, OutboxEvent.queued_at)
    deleted = {}
    for statuses, before in ((("delivered",), delivered_before), (("dead", "dropped"), ended_before)):
        done = s.execute(
            delete(OutboxEvent)
            .where(OutboxEvent.status.in_(statuses), finished < before)
            .execution_options(synchronize_session=False)
        )
        deleted[statuses[0] if len(statuses) == 1 else "dead or dropped"] = done.rowcount
    return deleted
