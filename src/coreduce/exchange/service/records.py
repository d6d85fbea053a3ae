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

    def receive_event(self, receiver: Principal, body: Any) -> tuple[bool, CloudEvent, BaseModel]:
        """Validate a PACT v3 CloudEvent and store it; (whether it is new, the event, its parsed data).

        A RequestCreatedEvent may carry only the ListFootprints criteria and ``x-`` extension criteria.
        """
        event, data = parse_event(body)
        if event.type == REQUEST_CREATED:
            assert isinstance(data, RequestCreatedData)
            extras = [k for k in (data.model_extra or {}) if not k.startswith("x-")]
            if extras:
                raise InvalidInput(f"data: unknown criteria {extras}")
        return self.record_event(receiver, event.id, event.source, event.type, body), event, data

    def record_event(self, receiver: Principal, event_id: str, source: str, type_: str, body: dict) -> bool:
        """Store an accepted event; a repeated (source, id) is acknowledged without a second row."""
        with self.session() as s, s.begin():
            if events.seen(s, receiver.company_id, source, event_id):
                return False
            events.add(s, receiver.company_id, event_id, source, type_, body)
            audit.record(s, receiver.company_id, receiver.client_id, "event.receive", event_id, type_)
        return True

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
