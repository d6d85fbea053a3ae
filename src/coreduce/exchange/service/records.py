"""Events received through Action Events, and the audit log."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from coreduce.exchange.errors import InvalidInput
from coreduce.exchange.pact.events import REQUEST_CREATED, CloudEvent, RequestCreatedData, parse_event
from coreduce.exchange.service.tenants import Principal
from coreduce.exchange.store import audit, events, footprints


class Records:
    """Received events and the audit log (part of :class:`~coreduce.exchange.service.Exchange`)."""

    def receive_event(
        self, receiver: Principal, body: Any, own: str | None = None
    ) -> tuple[bool, CloudEvent, BaseModel]:
        """Validate a PACT v3 CloudEvent and store it; (whether it is new, the event, its parsed data).

        A repeated (source, id) is acknowledged without a second row. A RequestCreatedEvent may carry only the
        ListFootprints criteria and ``x-`` extension criteria; with ``own`` (this host's Action Events URL, the
        answer's CloudEvents ``source``) its answer is queued in the same transaction, and a repeated request
        queues the same answer (same event id) again.
        """
        event, data = parse_event(body)
        if event.type == REQUEST_CREATED:
            assert isinstance(data, RequestCreatedData)
            extras = [k for k in (data.model_extra or {}) if not k.startswith("x-")]
            if extras:
                raise InvalidInput(f"data: unknown criteria {extras}")
        with self.session() as s, s.begin():
            seq = events.seq_of(s, receiver.company_id, event.source, event.id)
            is_new = seq is None
            if is_new:
                seq = events.add(s, receiver.company_id, event.id, event.source, event.type, body)
                audit.record(s, receiver.company_id, receiver.client_id, "event.receive", event.id, event.type)
            queued = 0
            if event.type == REQUEST_CREATED and own is not None:
                queued = self.queue_answer(s, receiver, seq, event.id, data, event.source, own)
        if queued:
            self.queued.set()
        return is_new, event, data

    def audit(self, who: Principal, action: str, target: str, detail: str | None = None) -> None:
        """Add one audit-log row (for outcomes that are not themselves database writes, e.g. events sent)."""
        with self.session() as s, s.begin():
            audit.record(s, who.company_id, who.client_id, action, target, detail)

    def events(self, company_id: int) -> list[dict]:
        """The events the company has sent to this host, oldest first."""
        with self.session() as s:
            return events.bodies(s, company_id)

    def audit_log(self, company_id: int | None = None) -> list[dict]:
        with self.session() as s:
            return audit.entries(s, company_id)

    def count_footprints(self) -> int:
        with self.session() as s:
            return footprints.count(s)
