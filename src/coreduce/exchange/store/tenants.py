"""Reading and writing companies, API clients and access tokens (tokens are stored only as digests)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from coreduce.exchange.store.db import AccessToken, Client, Company, Delegation


def company_id(s: Session, urn: str) -> int | None:
    return s.scalar(select(Company.id).where(Company.urn == urn))


def company_urn(s: Session, company_id_: int) -> str:
    return s.scalar(select(Company.urn).where(Company.id == company_id_))


def company_name(s: Session, company_id_: int) -> str:
    return s.scalar(select(Company.name).where(Company.id == company_id_))


def add_company(s: Session, name: str, urn: str) -> int:
    company = Company(name=name, urn=urn)
    s.add(company)
    s.flush()
    return company.id


def add_client(s: Session, client_id: str, company_id_: int, secret_hash: str) -> None:
    s.add(Client(client_id=client_id, company_id=company_id_, secret_hash=secret_hash))


def client(s: Session, client_id: str) -> Client | None:
    return s.get(Client, client_id)


def add_token(s: Session, token_hash: str, client: Client, now: datetime, ttl: timedelta) -> None:
    """Store a token digest valid for ``ttl``, and drop tokens that expired more than a day ago."""
    s.add(
        AccessToken(
            token_hash=token_hash,
            client_id=client.client_id,
            company_id=client.company_id,
            expires_at=now + ttl,
            created_at=now,
        )
    )
    s.execute(AccessToken.__table__.delete().where(AccessToken.expires_at < now - timedelta(days=1)))


def drop_tokens(s: Session, client_id: str) -> None:
    """Invalidate every token issued to a client."""
    s.execute(AccessToken.__table__.delete().where(AccessToken.client_id == client_id))


def delegators(s: Session, company_id_: int) -> list[str]:
    """URNs of the companies that delegated publishing to ``company_id_``."""
    return list(
        s.scalars(
            select(Company.urn)
            .join(Delegation, Delegation.delegator_id == Company.id)
            .where(Delegation.delegate_id == company_id_)
        )
    )


def set_delegation(s: Session, delegator_id: int, delegate_id: int, granted: bool) -> bool:
    """Grant or revoke a delegation; whether anything changed."""
    row = s.get(Delegation, (delegator_id, delegate_id))
    if granted and row is None:
        s.add(Delegation(delegator_id=delegator_id, delegate_id=delegate_id))
        return True
    if not granted and row is not None:
        s.delete(row)
        return True
    return False
