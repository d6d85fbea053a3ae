"""Workspace users and their browser sessions, and what the workspace asks of the exchange beyond the API's
operations (a company's clients, one footprint as its owner or a recipient sees it).

A user signs in for one company with a login and a password stored only as a scrypt hash (the same hasher as
client secrets, :mod:`coreduce.exchange.service.security`). A session id is a 256-bit random string kept only in
the browser's cookie; the database keeps its SHA-256, the user, a CSRF token and an absolute expiry
(:data:`SESSION_TTL`). Signing in always issues a new id and drops the session the browser presented (no
session fixation). Roles: ``admin`` (manages the company's API clients) and ``member``.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from coreduce.exchange.chain import outbound
from coreduce.exchange.errors import AccessDenied, Conflict, InvalidInput, NotFound
from coreduce.exchange.service import security
from coreduce.exchange.service.tenants import Credentials, Principal
from coreduce.exchange.store import audit
from coreduce.exchange.store import footprints as footprint_store
from coreduce.exchange.store import users as store
from coreduce.exchange.store.db import utcnow

ROLES = ("admin", "member")
SESSION_TTL = timedelta(hours=8)
MIN_PASSWORD = 12


@dataclass(frozen=True)
class WebUser:
    """The signed-in user of a session: who, for which company, with which role and CSRF token."""

    user_id: int
    login: str
    role: str
    company_id: int
    company_urn: str
    company_name: str
    csrf_token: str
    expires_at: datetime

    @property
    def principal(self) -> Principal:
        """The company acting, as the service's writes take it; audited as ``user:<login>``."""
        return Principal(company_id=self.company_id, client_id=f"user:{self.login}"[:64], company_urn=self.company_urn)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class FootprintView:
    """One footprint as a company sees it: the document, whether it owns it, and (owner only) its recipients."""

    document: dict
    owned: bool
    shared_with: tuple[str, ...]


class Users:
    """Users, sessions and workspace reads (part of :class:`~coreduce.exchange.service.Exchange`)."""

    def add_user(self, company_urn: str, login: str, password: str, role: str = "member") -> int:
        """A new user of an existing company; InvalidInput for a bad role, blank login or short password."""
        login = login.strip().lower()
        if role not in ROLES:
            raise InvalidInput(f"role: expected one of {', '.join(ROLES)}, got {role!r}")
        if not login or len(login) > 255:
            raise InvalidInput("login: expected 1 to 255 characters")
        if len(password) < MIN_PASSWORD:
            raise InvalidInput(f"password: at least {MIN_PASSWORD} characters are needed")
        company_id = self.company_id(company_urn)
        password_hash = security.hash_secret(password)
        with self.session() as s, s.begin():
            if store.by_login(s, login) is not None:
                raise Conflict(f"a user with login {login!r} already exists")
            user_id = store.add(s, company_id, login, password_hash, role)
            audit.record(s, company_id, None, "user.add", login, role)
        return user_id

    def remove_user(self, login: str) -> None:
        """Delete a user and end every session of theirs (audited)."""
        with self.session() as s, s.begin():
            user = store.by_login(s, login.strip().lower())
            if user is None:
                raise NotFound(f"no user with login {login!r}")
            audit.record(s, user.company_id, None, "user.remove", user.login)
            store.remove(s, user)

    def sign_in(self, login: str, password: str, replacing: str | None = None) -> tuple[str, WebUser]:
        """Check a login and password; (new session id, its user), or AccessDenied (the same for an unknown login,
        which costs the same scrypt work). The session ``replacing`` (the one the browser presented) is dropped."""
        login = login.strip().lower()
        with self.session() as s, s.begin():
            if replacing:
                store.drop_session(s, security.token_digest(replacing))
            user = store.by_login(s, login)
            matches = security.verify_secret(password, user.password_hash if user else security.dummy_hash())
            if user is None or not matches:
                company = user.company_id if user is not None else None
                audit.record(s, company, None, "user.login_failure", login[:255])
                failed = True
            else:
                failed = False
                session_id, now = secrets.token_urlsafe(32), utcnow()
                store.add_session(s, security.token_digest(session_id), user.id, secrets.token_urlsafe(32), now,
                                  now + SESSION_TTL)  # fmt: skip
                audit.record(s, user.company_id, f"user:{login}"[:64], "user.login", login)
        if failed:
            raise AccessDenied("wrong login or password")
        return session_id, self.web_user(session_id)

    def web_user(self, session_id: str | None) -> WebUser | None:
        """The user of a live session, or None (no id, unknown id, expired session)."""
        if not session_id:
            return None
        with self.session() as s:
            row = store.session_holder(s, security.token_digest(session_id))
        if row is None or row.expires_at <= utcnow():
            return None
        return WebUser(row.id, row.login, row.role, row.company_id, row.urn, row.name, row.csrf_token, row.expires_at)

    def sign_out(self, session_id: str) -> None:
        with self.session() as s, s.begin():
            store.drop_session(s, security.token_digest(session_id))

    @staticmethod
    def _admin(user: WebUser) -> None:
        if not user.is_admin:
            raise AccessDenied("only an admin of your company manages its API clients")

    def clients(self, user: WebUser) -> list[dict]:
        """The company's API clients (admin only): id, created, revoked."""
        self._admin(user)
        with self.session() as s:
            rows = store.clients_of(s, user.company_id)
        return [{"client_id": c.client_id, "created_at": c.created_at, "revoked": c.revoked} for c in rows]

    def new_client(self, user: WebUser) -> Credentials:
        """New client credentials for the user's company (admin only); the secret is shown only here."""
        self._admin(user)
        return self.add_client(user.company_urn)

    def change_client(self, user: WebUser, client_id: str, action: str) -> Credentials | None:
        """Revoke a client of the company or rotate its secret (admin only); the new credentials on rotate."""
        self._admin(user)
        if action == "rotate":
            return self.rotate_secret(client_id, by=user.principal)
        if action == "revoke":
            self.revoke_client(client_id, by=user.principal)
            return None
        raise InvalidInput(f"action: expected rotate or revoke, got {action!r}")

    def footprint_view(self, company_id: int, footprint_id: str) -> FootprintView:
        """A footprint the company owns or was shared; NotFound with the same message as an absent id."""
        self.get_footprint(company_id, footprint_id)  # the visibility rule and its NotFound message
        with self.session() as s:
            owned, _, document = footprint_store.documents(s, company_id, [footprint_id])[footprint_id]
            shared = tuple(sorted(footprint_store.recipients(s, store.footprint_seq(s, footprint_id)))) if owned else ()
        return FootprintView(document, owned, shared)

    def sent_events(self, company_id: int, limit: int = 100) -> list[dict]:
        """The events the company's changes queued for other hosts (the outbox), newest first: type, status,
        tries, queued and next try, last HTTP status and error, recipients, the footprints announced."""
        with self.session() as s:
            rows = store.outbox_of(s, company_id, limit)
        keys = ("event_id", "type", "status", "tries", "queued_at", "next_try_at", "last_status", "last_error")
        return [
            {k: getattr(r, k) for k in keys} | {"recipients": json.loads(r.recipients)} | outbound.event_summary(r.body)
            for r in rows
        ]
