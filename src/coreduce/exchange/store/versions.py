"""Reading the data version (:class:`~coreduce.exchange.store.db.DataVersion`) from the event loop.

SQLite answers the one primary-key read in microseconds, in process: it is read on the loop directly. PostgreSQL
answers over a socket: a blocking read would stall the loop for the round trip (half of its time under load, as
measured with ``benchmarks/bench_exchange_api.py --postgres``), so it is read on an asyncio connection of psycopg
instead, and requests asking while a read is under way share the next one (:class:`Rounds`): a request is never
answered with a version read before it asked, so a cached answer is never older than a change committed before the
request arrived.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

VERSION_SQL = "SELECT n FROM data_version WHERE id = 1"


class Rounds:
    """Calls of :meth:`get` share rounds of ``read``: a call waits for the first round that starts after it (the
    running one started before it was made), so one read serves all the calls made while the previous ran."""

    def __init__(self, read: Callable[[], Awaitable[int]]):
        self._read = read
        self._running = False
        self._next: asyncio.Future | None = None
        self._task: asyncio.Future | None = None

    async def get(self) -> int:
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
        waiting = self._next
        if not self._running:
            self._start()
        return await asyncio.shield(waiting)  # a cancelled caller leaves the round to the others

    def _start(self) -> None:
        self._running = True
        waiting, self._next = self._next, None
        self._task = asyncio.ensure_future(self._round(waiting))  # kept: the loop holds tasks weakly

    async def _round(self, waiting: asyncio.Future) -> None:
        try:
            waiting.set_result(await self._read())
        except Exception as exc:  # every caller of this round gets the error
            waiting.set_exception(exc)
            waiting.exception()  # marked retrieved: callers may all have been cancelled
        finally:
            self._running = False
            if self._next is not None:
                self._start()


class PgVersion:
    """The data version read on one psycopg ``AsyncConnection`` (autocommit, the statement prepared on the server),
    opened on first use in the running loop, and opened again (once per read) when the server dropped it."""

    def __init__(self, conninfo: str):
        self.conninfo = conninfo
        self._connection = None
        self._loop = None
        self.rounds = Rounds(self._read)

    async def _read(self) -> int:
        import psycopg

        try:
            return await self._query()
        except psycopg.OperationalError:  # e.g. the server dropped the connection: once more on a new one
            await self.close()
            return await self._query()

    async def _query(self) -> int:
        import psycopg

        loop = asyncio.get_running_loop()
        if self._connection is None or self._connection.closed or self._loop is not loop:
            self._connection = await psycopg.AsyncConnection.connect(
                self.conninfo, autocommit=True, prepare_threshold=0
            )
            self._loop = loop
        cursor = await self._connection.execute(VERSION_SQL)
        return (await cursor.fetchone())[0]

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.closed:
            await connection.close()
