"""The audit log: one row per write or outcome, added in the same transaction as the change it records."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from coreduce.exchange.store.db import AuditEntry


def record(
    s: Session, company_id: int, client_id: str | None, action: str, target: str, detail: str | None = None
) -> None:
    """Add one audit row (``target`` cut to the column's 255 characters)."""
    s.add(AuditEntry(company_id=company_id, client_id=client_id, action=action, target=target[:255], detail=detail))


def entries(s: Session, company_id: int | None = None, target: str | None = None) -> list[dict]:
    """The audit log in order (of one company, about one target, when given)."""
    statement = select(AuditEntry).order_by(AuditEntry.seq)
    if company_id is not None:
        statement = statement.where(AuditEntry.company_id == company_id)
    if target is not None:
        statement = statement.where(AuditEntry.target == target)
    return [
        {
            "at": e.at,
            "company_id": e.company_id,
            "client_id": e.client_id,
            "action": e.action,
            "target": e.target,
            "detail": e.detail,
        }
        for e in s.scalars(statement)
    ]
