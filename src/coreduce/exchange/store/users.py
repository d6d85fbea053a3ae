"""Reading and writing workspace users, their web sessions (stored only as digests) and a company's clients."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coreduce.exchange.store.db import Client, Company, Footprint, OutboxEvent, User, WebSession


def by_login(s: Session, login: str) -> User | None:
    return s.scalar(select(User).where(User.login == login))


def add(s: Session, company_id: int, login: str, password_hash: str, role: str) -> int:
    user = User(company_id=company_id, login=login, password_hash=password_hash, role=role)
    s.add(user)
    s.flush()
    return user.id


def remove(s: Session, user: User) -> None:
    """Delete a user and every session of theirs."""
    s.execute(delete(WebSession).where(WebSession.user_id == user.id))
    s.delete(user)


def add_session(s: Session, id_hash: str, user_id: int, csrf_token: str, now: datetime, expires: datetime) -> None:
    """Store a session digest, and drop every session already expired."""
    s.add(WebSession(id_hash=id_hash, user_id=user_id, csrf_token=csrf_token, created_at=now, expires_at=expires))
    s.execute(delete(WebSession).where(WebSession.expires_at < now))


def drop_session(s: Session, id_hash: str) -> None:
    s.execute(delete(WebSession).where(WebSession.id_hash == id_hash))


def session_holder(s: Session, id_hash: str):
    """(expires_at, csrf_token, user id, login, role, company id, urn, company name) of a session, or None."""
    return s.execute(
        select(
            WebSession.expires_at,
            WebSession.csrf_token,
            User.id,
            User.login,
            User.role,
            Company.id.label("company_id"),
            Company.urn,
            Company.name,
        )
        .join(User, User.id == WebSession.user_id)
        .join(Company, Company.id == User.company_id)
        .where(WebSession.id_hash == id_hash)
    ).first()


def clients_of(s: Session, company_id: int) -> list[Client]:
    """A company's API clients, oldest first."""
    return list(s.scalars(select(Client).where(Client.company_id == company_id).order_by(Client.created_at)))


def footprint_seq(s: Session, footprint_id: str) -> int | None:
    return s.scalar(select(Footprint.seq).where(Footprint.id == footprint_id))


def outbox_of(s: Session, company_id: int, limit: int) -> list[OutboxEvent]:
    """The events a company's changes queued for other hosts, newest first."""
    statement = select(OutboxEvent).where(OutboxEvent.company_id == company_id).order_by(OutboxEvent.seq.desc())
    return list(s.scalars(statement.limit(limit)))
