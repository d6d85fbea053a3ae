"""The exchange's database: SQLAlchemy 2 tables, engine creation and Alembic migrations run at start-up.

SQLite (embedded default, file under the user's coreduce directory) and PostgreSQL (by URL) are both supported;
the schema is created and upgraded only by the migrations shipped in ``coreduce/exchange/migrations``.
Timestamps are stored as naive UTC and returned as aware UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the database (portable across SQLite and PostgreSQL)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Company(Base):
    """A tenant: a company that owns footprints and receives those others share with it."""

    __tablename__ = "companies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    urn: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Client(Base):
    """OAuth2 client credentials of a company; only a scrypt hash of the secret is stored."""

    __tablename__ = "clients"
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class AccessToken(Base):
    """Issued bearer tokens, by SHA-256 of the token (the token itself is never stored)."""

    __tablename__ = "access_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.client_id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Delegation(Base):
    """A company (``delegator_id``) letting another company's clients (``delegate_id``) publish in its name."""

    __tablename__ = "delegations"
    delegator_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    __table_args__ = (Index("ix_delegations_delegate", "delegate_id", "delegator_id"),)


class User(Base):
    """A person who signs in to the workspace for one company; ``role`` is admin or member; scrypt password hash."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    login: Mapped[str] = mapped_column(String(255), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class WebSession(Base):
    """A signed-in browser session, by SHA-256 of its id (the id itself is only in the cookie), with its CSRF
    token and absolute expiry."""

    __tablename__ = "web_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Footprint(Base):
    """A stored ProductFootprint (immutable JSON document) with the columns its filters need.

    Ids are unique per owner: a company publishing an id another company stored gets the same answer as for a new
    id (nothing tells it that id exists); a lookup by id that finds several visible footprints gives the one
    stored first.
    """

    __tablename__ = "footprints"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    status: Mapped[str] = mapped_column(String(16))
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime)
    valid_to: Mapped[datetime] = mapped_column(UtcDateTime)
    geography: Mapped[str | None] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text)
    stored_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    __table_args__ = (
        Index("ix_footprints_owner_seq", "owner_id", "seq"),
        UniqueConstraint("owner_id", "id", name="uq_footprints_owner_id"),
    )


class FootprintKey(Base):
    """Lower-cased identifiers of a footprint for case-insensitive filters: kind p=product, c=company, k=class."""

    __tablename__ = "footprint_keys"
    footprint_seq: Mapped[int] = mapped_column(ForeignKey("footprints.seq", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    value: Mapped[str] = mapped_column(String(512), primary_key=True)
    __table_args__ = (Index("ix_footprint_keys_lookup", "kind", "value", "footprint_seq"),)


class Share(Base):
    """A footprint made visible by its owner to another company."""

    __tablename__ = "shares"
    footprint_seq: Mapped[int] = mapped_column(ForeignKey("footprints.seq", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    __table_args__ = (Index("ix_shares_company", "company_id", "footprint_seq"),)


class DataVersion(Base):
    """One row counting the changes to what ListFootprints and GetFootprint answer: database triggers (migration
    0006) add one in the transaction of every insert, update or delete of ``footprints``, ``footprint_keys`` and
    ``shares``, so any process can tell with one primary-key read whether an answer it keeps is still current."""

    __tablename__ = "data_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger, default=0)


class ReceivedEvent(Base):
    """CloudEvents accepted by Action Events, addressed to the receiving company."""

    __tablename__ = "events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(256))
    source: Mapped[str] = mapped_column(String(2048))
    type: Mapped[str] = mapped_column(String(128))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    body: Mapped[str] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("company_id", "source", "event_id", name="uq_events_source_id"),)


class OutboxEvent(Base):
    """An event to send (transactional outbox): written in the transaction of the change that causes it, sent by
    the delivery worker until the receiver accepts it or the retry window ends; the CloudEvents ``id`` never
    changes, so a receiver deduplicates retries.

    ``status``: pending, delivered, dead (refused for good, or out of time) or dropped (by an operator).
    ``claimed_by`` / ``claimed_until``: the worker sending it now and until when its claim holds.
    ``answers_seq``: the received RequestCreated event this answers (PACT follow-up events).
    """

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    type: Mapped[str] = mapped_column(String(128))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    client_id: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(2048))
    recipients: Mapped[str] = mapped_column(Text, default="[]")
    answers_seq: Mapped[int | None] = mapped_column(ForeignKey("events.seq"), unique=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    tries: Mapped[int] = mapped_column(Integer, default=0)
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    next_try_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_try_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (Index("ix_outbox_due", "status", "next_try_at"),)


class AuditEntry(Base):
    """One row per write: who (company, client), what (action, target) and when."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    client_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(255))
    detail: Mapped[str | None] = mapped_column(Text)


def default_database_url() -> str:
    from coreduce.paths import user_dir

    path = user_dir() / "exchange" / "exchange.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; ``postgresql://`` URLs use the psycopg 3 driver."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite"):
        # a file gets as many pooled connections as PostgreSQL: request threads then rarely open overflow ones
        memory = ":memory:" in url or url.rstrip("/") == "sqlite:"
        pool = {} if memory else {"pool_size": 10, "max_overflow": 20}
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **pool)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    # JIT compilation costs more than these short indexed queries take (hundreds of ms on a cold plan): off.
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, connect_args={"options": "-c jit=off"})


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` with the migrations shipped in the package."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:  # a table rebuilt by a migration must not cascade its drop into the rows that refer to it
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise RuntimeError("exchange migration left rows whose references are broken; nothing changed")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
