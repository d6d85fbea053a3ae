"""The exchange's service: every operation and every validation, for the HTTP API, the CLI and Python users.

:class:`Exchange` joins the operations of each area (tenants and credentials, footprints, activity / roll-up /
measures, received events and audit, the outbox of events to send, CBAM precursors from footprints) over one
database. Each write runs in one transaction and adds an audit-log row, and the events it causes, in the same
transaction, so a rejected write stores nothing and a stored one is always announced. The API's hot reads
(ListFootprints, GetFootprint, the bearer token's holder) go through compiled statements
(:class:`~coreduce.exchange.store.reads.Reads`) and a short per-process cache of token holders
(``token_cache_seconds``, :mod:`coreduce.exchange.service.tokens`); ListFootprints answers are kept while the data
version stays the same (``page_cache_bytes``, :mod:`coreduce.exchange.service.pages`). Refusals are domain errors
(:mod:`coreduce.exchange.errors`), never HTTP responses.
"""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from coreduce.exchange.service.cbam import Cbam
from coreduce.exchange.service.footprints import Footprints
from coreduce.exchange.service.outbox import Outbox
from coreduce.exchange.service.pages import PageCache
from coreduce.exchange.service.records import Records
from coreduce.exchange.service.supply import Supply
from coreduce.exchange.service.tenants import Principal, Tenants
from coreduce.exchange.service.tokens import TokenCache
from coreduce.exchange.service.users import Users
from coreduce.exchange.settings import OutboundHost
from coreduce.exchange.store.db import default_database_url, make_engine, migrate
from coreduce.exchange.store.reads import Reads


class Exchange(Tenants, Footprints, Supply, Records, Outbox, Users, Cbam):
    """Operations on one exchange database (see the module docstring).

    ``outbound``: the hosts events may be queued for (``Settings.outbound``); ``queued`` is set after a
    transaction that queued events has committed (it wakes this process's delivery worker).
    """

    def __init__(
        self,
        engine: Engine,
        token_ttl: timedelta = timedelta(hours=1),
        outbound: tuple[OutboundHost, ...] = (),
        token_cache_seconds: float = 5.0,
        page_cache_bytes: int = 32 * 2**20,
    ):
        self.engine = engine
        self.token_ttl = token_ttl
        self.outbound = tuple(outbound)
        self.queued = threading.Event()
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.reads = Reads(engine)
        self.tokens: TokenCache[Principal] = TokenCache(token_cache_seconds)
        self.pages = PageCache(page_cache_bytes, self.reads.version_on_loop)
        self._library = None

    def session(self) -> Session:
        return self._sessions()


def open_exchange(
    database_url: str | None = None, token_ttl: timedelta = timedelta(hours=1), outbound: tuple = ()
) -> Exchange:
    """An :class:`Exchange` on ``database_url`` (default: SQLite under the user directory), migrated to head."""
    engine = make_engine(database_url or default_database_url())
    migrate(engine)
    return Exchange(engine, token_ttl=token_ttl, outbound=outbound)
