"""The hot reads of the API (ListFootprints, GetFootprint, the bearer token's holder) on the DBAPI connection.

Each statement is built once with SQLAlchemy Core for its *shape* (which filters a query has and how many values
each one lists), compiled once for the engine's dialect and kept (at most 256 shapes, least recently used
dropped), then executed with the driver's own cursor on a pooled connection: no ORM, no statement construction,
no result objects per request. Stored documents come back as the JSON text they were stored as.

ListFootprints reads the owned and the shared footprints by two ordered index scans (``owner_id, seq`` and
``company_id, footprint_seq``) merged by sequence, so a page costs about ``limit`` rows whatever the table size and
the filters' selectivity; keyset pagination: rows with ``seq > after``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Integer, and_, bindparam, create_engine, exists, or_, select, union_all
from sqlalchemy.engine import Dialect, Engine

from coreduce.exchange.store.db import AccessToken, Client, Company, Footprint, FootprintKey, Share
from coreduce.exchange.store.versions import VERSION_SQL, PgVersion

# filter → (key kind in footprint_keys, or None for the geography column); values are compared lower-cased
_LISTS = {"product_id": "p", "company_id": "c", "classification": "k", "geography": None}
_TIMES = ("valid_on", "valid_after", "valid_before")
_STATUS = {"active": "Active", "deprecated": "Deprecated"}


class Criteria(Protocol):
    """The ListFootprints criteria a page needs (see :class:`coreduce.exchange.service.queries.FootprintQuery`)."""

    product_id: list[str]
    company_id: list[str]
    geography: list[str]
    classification: list[str]
    valid_on: datetime | None
    valid_after: datetime | None
    valid_before: datetime | None
    status: str | None


class Shape(NamedTuple):
    """What a page statement depends on: the number of values of each list filter, the time filters present,
    and whether the status is filtered."""

    lists: tuple[int, ...]
    times: tuple[bool, ...]
    status: bool


class TokenHolder(NamedTuple):
    expires_at: datetime
    client_id: str
    company_id: int
    urn: str


@dataclass(frozen=True)
class Compiled:
    """A statement's SQL text for one dialect, the order of its parameters (None: the driver takes names) and the
    values of the parameters the compiler added itself (e.g. SQLite's ``OFFSET 0``)."""

    sql: str
    order: tuple[str, ...] | None
    fixed: dict[str, Any]

    @classmethod
    def of(cls, statement, dialect: Dialect) -> Compiled:
        compiled = statement.compile(dialect=dialect)
        fixed = {name: value for name, value in compiled.params.items() if value is not None}
        return cls(str(compiled), tuple(compiled.positiontup) if dialect.positional else None, fixed)

    def params(self, values: dict[str, Any]) -> Any:
        values = {**self.fixed, **values} if self.fixed else values
        return [values[name] for name in self.order] if self.order is not None else values


def _conditions(shape: Shape) -> list:
    """The WHERE conditions of a page of ``shape``, with bind parameters named ``<filter><i>``, ``valid_*``,
    ``status``."""
    conditions = []
    for (name, kind), n in zip(_LISTS.items(), shape.lists, strict=True):
        if not n:
            continue
        values = [bindparam(f"{name}{i}") for i in range(n)]
        if kind is None:
            conditions.append(Footprint.geography.in_(values))
        else:  # driven by the (kind, value, seq) index
            matching = select(FootprintKey.footprint_seq).where(
                FootprintKey.kind == kind, FootprintKey.value.in_(values)
            )
            conditions.append(Footprint.seq.in_(matching))
    valid_on, valid_after, valid_before = (bindparam(t, type_=Footprint.valid_from.type) for t in _TIMES)
    on, after, before = shape.times
    if on:
        conditions += [Footprint.valid_from <= valid_on, Footprint.valid_to >= valid_on]
    if after:
        conditions.append(Footprint.valid_from > valid_after)
    if before:
        conditions.append(Footprint.valid_to < valid_before)
    if shape.status:
        # stored values are exactly "Active" / "Deprecated" (the model's Literal): compare the column itself so
        # the planner uses its statistics
        conditions.append(Footprint.status == bindparam("status"))
    return conditions


def page_statement(shape: Shape):
    """Up to ``:limit`` rows (seq, document) visible to ``:company``, matching ``shape``'s filters, after
    ``:after``, in sequence order. The two scans and their merge carry only sequence numbers; the documents are
    read for the page's rows alone."""
    company, after, limit = bindparam("company", type_=Integer), bindparam("after", type_=Integer), bindparam("limit")
    conditions = _conditions(shape)
    owned = (
        select(Footprint.seq)
        .where(Footprint.owner_id == company, Footprint.seq > after, *conditions)
        .order_by(Footprint.seq)
        .limit(limit)
        .subquery()
    )
    shared = (  # ordered by the share's own column so that SQLite walks ix_shares_company without sorting
        select(Share.footprint_seq.label("seq"))
        .select_from(Share)
        .join(Footprint, Footprint.seq == Share.footprint_seq)
        .where(Share.company_id == company, Share.footprint_seq > after, Footprint.seq > after)
        .where(Footprint.owner_id != company)
        .where(*conditions)
        .order_by(Share.footprint_seq)
        .limit(limit)
        .subquery()
    )
    both = union_all(select(owned.c.seq), select(shared.c.seq)).subquery()
    page = select(both.c.seq).order_by(both.c.seq).limit(limit).subquery()
    return select(Footprint.seq, Footprint.document).join(page, page.c.seq == Footprint.seq).order_by(Footprint.seq)


def page_arguments(company_id: int, query: Criteria, limit: int, after: int) -> tuple[Shape, dict] | None:
    """The shape of ``query``'s page statement and its parameter values (None when it can match nothing)."""
    values: dict[str, Any] = {"company": company_id, "after": after, "limit": limit}
    if query.status is not None:
        values["status"] = _STATUS.get(query.status.lower())
        if values["status"] is None:
            return None  # any other value matches nothing
    lists = []
    for name in _LISTS:
        given = getattr(query, name)
        lists.append(len(given))
        values.update({f"{name}{i}": v.lower() for i, v in enumerate(given)})
    times = []
    for name in _TIMES:
        value = getattr(query, name)
        times.append(value is not None)
        if value is not None:
            values[name] = value
    return Shape(tuple(lists), tuple(times), query.status is not None), values


def visible(company):
    """SQL condition: the footprint is owned by or shared with ``company`` (a value or a bind parameter)."""
    return or_(
        Footprint.owner_id == company,
        exists().where(and_(Share.footprint_seq == Footprint.seq, Share.company_id == company)),
    )


def document_statement():
    """The stored documents of footprint ``:id`` that ``:company`` may see (none otherwise): its own first, then in
    storage order (ids are unique per owner, so several companies may have stored one id)."""
    company = bindparam("company", type_=Integer)
    return (
        select(Footprint.document)
        .where(Footprint.id == bindparam("id"), visible(company))
        .order_by(Footprint.owner_id != company, Footprint.seq)
    )


def token_statement():
    """(expires_at, client_id, company_id, urn) of the token with digest ``:digest`` of a client not revoked."""
    return (
        select(AccessToken.expires_at, AccessToken.client_id, AccessToken.company_id, Company.urn)
        .join(Company, Company.id == AccessToken.company_id)
        .join(Client, Client.client_id == AccessToken.client_id)
        .where(AccessToken.token_hash == bindparam("digest"), Client.revoked.is_(False))
    )


def read_engine(engine: Engine) -> Engine:
    """The engine the hot reads use: ``engine`` itself for SQLite; for PostgreSQL a pool of its own in autocommit,
    without a ping at checkout or a rollback at return, so that a read is one round trip (a connection found
    broken is dropped and the read retried once on a new one)."""
    if engine.dialect.name != "postgresql":
        return engine
    return create_engine(
        engine.url,
        isolation_level="AUTOCOMMIT",
        pool_size=10,
        max_overflow=20,
        pool_reset_on_return=None,
        connect_args={"options": "-c jit=off"},
    )


class Reads:
    """The compiled hot reads of one engine (thread-safe: each call checks a connection out of the pool)."""

    def __init__(self, engine: Engine):
        self.engine = read_engine(engine)
        dialect = engine.dialect
        self._page = lru_cache(maxsize=256)(lambda shape: Compiled.of(page_statement(shape), dialect))
        self._document = Compiled.of(document_statement(), dialect)
        self._token = Compiled.of(token_statement(), dialect)
        self._version = Compiled(VERSION_SQL, () if dialect.positional else None, {})
        postgresql = dialect.name == "postgresql"
        self._pg = PgVersion(engine.url.set(drivername="postgresql").render_as_string(False)) if postgresql else None
        self._held = threading.local()
        # psycopg prepares a statement run 5 times on a connection, and PostgreSQL then may keep one generic plan
        # for all values; the page statement's best plan depends on them (a generic plan of a filtered shared
        # page was seen scanning the whole table, 35 ms instead of 0.5 ms): it is planned for each execution
        self._one_shot = {"prepare": False} if postgresql else {}
        time_type = Footprint.valid_from.type.dialect_impl(dialect)
        self._bind_time: Callable = time_type.bind_processor(dialect) or (lambda v: v)
        self._result_time: Callable = time_type.result_processor(dialect, None) or (lambda v: v)

    def _rows(
        self, compiled: Compiled, values: dict[str, Any], retry: bool = True, held: bool = False, planned: bool = False
    ) -> list:
        """The rows of ``compiled`` on a pooled connection (``held``: on the one this thread keeps checked out;
        ``planned``: planned for these values on each execution, see :meth:`page`)."""
        params = compiled.params(values)
        connection = getattr(self._held, "connection", None) if held else None
        if connection is None:
            connection = self.engine.raw_connection()
            if held:
                self._held.connection = connection
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(compiled.sql, params, **(self._one_shot if planned else {}))
                return cursor.fetchall()
            finally:
                cursor.close()
        except self.engine.dialect.loaded_dbapi.Error as exc:
            if not (retry and self.engine.dialect.is_disconnect(exc, connection.dbapi_connection, None)):
                raise
            connection.invalidate()
            self._held.connection = None
        finally:
            if not held:
                connection.close()
        return self._rows(compiled, values, retry=False, held=held, planned=planned)

    def version(self) -> int:
        """The data version now (one primary-key read on a connection the calling thread keeps, so that the event
        loop can ask without a pool checkout or a thread hand-off)."""
        return self._rows(self._version, {}, held=True)[0][0]

    async def version_on_loop(self) -> int:
        """The data version, read from the event loop without stalling it (:mod:`coreduce.exchange.store.versions`:
        directly on SQLite, on an asyncio connection shared by concurrent requests on PostgreSQL)."""
        return self.version() if self._pg is None else await self._pg.rounds.get()

    async def close_loop_reads(self) -> None:
        """Close the event loop's connection (PostgreSQL), e.g. when the application stops."""
        if self._pg is not None:
            await self._pg.close()

    def page(self, company_id: int, query: Criteria, limit: int, after: int) -> list[tuple[int, str]]:
        """Up to ``limit`` rows (seq, stored document) visible to ``company_id``, matching ``query``, after
        sequence ``after`` (on PostgreSQL planned for these values each time: never a generic plan)."""
        found = page_arguments(company_id, query, limit, after)
        if found is None:
            return []
        shape, values = found
        for name in _TIMES:
            if name in values:
                values[name] = self._bind_time(values[name])
        return self._rows(self._page(shape), values, planned=True)

    def document(self, footprint_id: str, company_id: int) -> str | None:
        """The stored JSON text of footprint ``footprint_id`` if ``company_id`` owns it or it is shared with it."""
        rows = self._rows(self._document, {"id": footprint_id, "company": company_id})
        return rows[0][0] if rows else None

    def token_holder(self, digest: str) -> TokenHolder | None:
        """Who holds the token with SHA-256 ``digest`` (None: unknown, or its client was revoked)."""
        rows = self._rows(self._token, {"digest": digest})
        if not rows:
            return None
        expires_at, client_id, company_id, urn = rows[0]
        return TokenHolder(self._result_time(expires_at), client_id, company_id, urn)
