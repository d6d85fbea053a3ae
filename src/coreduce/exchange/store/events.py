"""Reading and writing the events companies send to this host (Action Events), deduplicated by (source, id)."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from coreduce.exchange.store.db import ReceivedEvent


def seq_of(s: Session, company_id: int, source: str, event_id: str) -> int | None:
    """The row of the event the company already sent with this ``source`` and ``id``, if any."""
    return s.scalar(
        select(ReceivedEvent.seq).where(
            ReceivedEvent.company_id == company_id,
            ReceivedEvent.source == source,
            ReceivedEvent.event_id == event_id,
        )
    )


def add(s: Session, company_id: int, event_id: str, source: str, type_: str, body: dict) -> int:
    """Store a received event; its row number."""
    row = ReceivedEvent(
        event_id=event_id,
        source=source,
        type=type_,
        company_id=company_id,
        body=json.dumps(body, separators=(",", ":")),
    )
    s.add(row)
    s.flush()
    return row.seq


def bodies(s: Session, company_id: int) -> list[dict]:
    """The events the company sent, oldest first."""
    rows = s.scalars(
        select(ReceivedEvent.body).where(ReceivedEvent.company_id == company_id).order_by(ReceivedEvent.seq)
    )
    return [json.loads(body) for body in rows]
