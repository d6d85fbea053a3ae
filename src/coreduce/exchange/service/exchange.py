"""The exchange's service: every operation and every validation, for the HTTP API, the CLI and Python users.

:class:`Exchange` joins the operations of each area (tenants and credentials, footprints, activity / roll-up /
measures, received events and audit) over one database. Each write runs in one transaction and adds an audit-log
row in the same transaction, so a rejected write stores nothing. Refusals are domain errors
(:mod:`coreduce.exchange.errors`), never HTTP responses.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from coreduce.exchange.service.footprints import Footprints
from coreduce.exchange.service.records import Records
from coreduce.exchange.service.supply import Supply
from coreduce.exchange.service.tenants import Tenants
from coreduce.exchange.store.db import default_database_url, make_engine, migrate


class Exchange(Tenants, Footprints, Supply, Records):
    """Operations on one exchange database (see the module docstring)."""

    def __init__(self, engine: Engine, token_ttl: timedelta = timedelta(hours=1)):
        self.engine = engine
        self.token_ttl = token_ttl
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._library = None

    def session(self) -> Session:
        return self._sessions()


def open_exchange(database_url: str | None = None, token_ttl: timedelta = timedelta(hours=1)) -> Exchange:
    """An :class:`Exchange` on ``database_url`` (default: SQLite under the user directory), migrated to head."""
    engine = make_engine(database_url or default_database_url())
    migrate(engine)
    return Exchange(engine, token_ttl=token_ttl)
