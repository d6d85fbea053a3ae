"""Companies, their API clients and the bearer tokens those clients obtain."""

from __future__ import annotations

from dataclasses import dataclass

from coreduce.exchange.errors import Conflict, InvalidClient, InvalidInput, InvalidToken, NotFound, TokenExpired
from coreduce.exchange.service import security
from coreduce.exchange.store import audit
from coreduce.exchange.store import tenants as store
from coreduce.exchange.store.db import utcnow


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: a company acting through one of its clients."""

    company_id: int
    client_id: str | None
    company_urn: str


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str
    company_urn: str


class Tenants:
    """Operations on companies and credentials (part of :class:`~coreduce.exchange.service.Exchange`)."""

    def add_company(self, name: str, urn: str) -> int:
        """Register a company by name and URN; InvalidInput for a blank name or a non-URN, Conflict if known."""
        if not name.strip():
            raise InvalidInput("company name must not be empty")
        if not urn.lower().startswith("urn:"):
            raise InvalidInput(f"company identifier must be a URN such as 'urn:company:acme', got {urn!r}")
        with self.session() as s, s.begin():
            if store.company_id(s, urn) is not None:
                raise Conflict(f"a company with identifier {urn!r} already exists")
            company_id = store.add_company(s, name, urn)
            audit.record(s, company_id, None, "company.add", urn)
            return company_id

    def company_id(self, urn: str) -> int:
        with self.session() as s:
            found = store.company_id(s, urn)
        if found is None:
            raise NotFound(f"no company with identifier {urn!r}")
        return found

    def acting_as(self, urn: str) -> Principal:
        """The company named by ``urn`` acting locally (command line, Python), without a client credential."""
        return Principal(company_id=self.company_id(urn), client_id=None, company_urn=urn)

    def delegate(self, delegator_urn: str, delegate_urn: str, granted: bool = True) -> bool:
        """Let ``delegate_urn``'s clients publish footprints in ``delegator_urn``'s name (or stop it), audited as
        ``delegation.grant`` / ``delegation.revoke`` under the delegator; whether anything changed."""
        if delegator_urn == delegate_urn:
            raise InvalidInput("a company always acts for itself: delegator and delegate must differ")
        delegator_id, delegate_id = self.company_id(delegator_urn), self.company_id(delegate_urn)
        with self.session() as s, s.begin():
            changed = store.set_delegation(s, delegator_id, delegate_id, granted)
            if changed:
                action = "delegation.grant" if granted else "delegation.revoke"
                audit.record(s, delegator_id, None, action, delegate_urn)
        return changed

    def acts_for(self, s, caller: Principal) -> set[str]:
        """URNs ``caller`` may publish in the name of: its own company and those that delegated to it."""
        return {caller.company_urn, *store.delegators(s, caller.company_id)}

    def add_client(self, company_urn: str, name: str | None = None) -> Credentials:
        """Create a company (if new) and new client credentials for it; the secret is shown only here."""
        with self.session() as s:
            exists_ = store.company_id(s, company_urn)
        company_id = exists_ if exists_ is not None else self.add_company(name or company_urn, company_urn)
        client_id, secret = security.new_client_id(), security.new_secret()
        with self.session() as s, s.begin():
            store.add_client(s, client_id, company_id, security.hash_secret(secret))
            audit.record(s, company_id, client_id, "client.add", client_id)
        return Credentials(client_id, secret, company_urn)

    def issue_token(self, client_id: str, client_secret: str) -> tuple[str, int]:
        """Check client credentials; return (bearer token, lifetime in seconds) or raise InvalidClient.

        Unknown and revoked clients cost the same scrypt work as known ones (checked against a dummy hash), and
        every failure is audited as ``auth.failure`` (under the client's company when the id is known).
        """
        with self.session() as s, s.begin():
            client = store.client(s, client_id)
            stored = client.secret_hash if client is not None else security.dummy_hash()
            matches = security.verify_secret(client_secret, stored)
            if client is not None and not client.revoked and matches:
                token = security.new_token()
                store.add_token(s, security.token_digest(token), client, utcnow(), self.token_ttl)
                return token, int(self.token_ttl.total_seconds())
            reason = "unknown client" if client is None else "revoked client" if client.revoked else "wrong secret"
            company = client.company_id if client is not None else None
            audit.record(s, company, client_id[:64], "auth.failure", client_id, reason)
        raise InvalidClient("invalid client credentials")

    def revoke_client(self, client_id: str, by: Principal | None = None) -> None:
        """Revoke a client: its secret and every token issued to it are refused from now on (audited).

        ``by``: the company asking (through the API); a client of another company is NotFound, as an absent one.
        """
        with self.session() as s, s.begin():
            client = self._own_client(s, client_id, by)
            client.revoked = True
            store.drop_tokens(s, client_id)
            audit.record(s, client.company_id, by.client_id if by else None, "client.revoke", client_id)
        self.tokens.forget(lambda p: p.client_id != client_id)

    def rotate_secret(self, client_id: str, by: Principal | None = None) -> Credentials:
        """A new secret for a client (shown only here); the old secret and its tokens are refused (audited)."""
        secret = security.new_secret()
        with self.session() as s, s.begin():
            client = self._own_client(s, client_id, by)
            if client.revoked:
                raise InvalidInput(f"client {client_id!r} is revoked: create a new client instead")
            client.secret_hash = security.hash_secret(secret)
            store.drop_tokens(s, client_id)
            audit.record(s, client.company_id, by.client_id if by else None, "client.rotate", client_id)
            urn = store.company_urn(s, client.company_id)
        self.tokens.forget(lambda p: p.client_id != client_id)
        return Credentials(client_id, secret, urn)

    @staticmethod
    def _own_client(s, client_id: str, by: Principal | None):
        client = store.client(s, client_id)
        if client is None or (by is not None and client.company_id != by.company_id):
            raise NotFound(f"no client {client_id!r} of your company")
        return client

    def principal(self, token: str) -> Principal:
        """The caller a bearer token stands for; InvalidToken if unknown, TokenExpired if expired.

        The holder is looked up by the token's digest in the per-process cache, else in the database (then
        cached for ``token_cache_seconds``, see :mod:`coreduce.exchange.service.tokens`).
        """
        digest = security.token_digest(token)
        found = self.tokens.get(digest)
        if found is None:
            row = self.reads.token_holder(digest)
            if row is None:
                raise InvalidToken("invalid access token")
            found = Principal(company_id=row.company_id, client_id=row.client_id, company_urn=row.urn), row.expires_at
            self.tokens.put(digest, *found)
        return _unexpired(*found)

    def cached_principal(self, token: str) -> Principal | None:
        """:meth:`principal` when the token's holder is cached (no database access), else None."""
        found = self.tokens.get(security.token_digest(token))
        return None if found is None else _unexpired(*found)


def _unexpired(principal: Principal, expires_at) -> Principal:
    if expires_at <= utcnow():
        raise TokenExpired("the access token has expired; request a new one at /auth/token")
    return principal
