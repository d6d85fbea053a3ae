"""A per-process cache of ListFootprints answers, valid while the store's data version stays the same.

An answer is kept under (the caller's company, the request's query string) with the data version read *before*
the page was read: triggers add one to that version in the transaction of every change to the footprint tables
(migration 0006, :class:`~coreduce.exchange.store.db.DataVersion`), whichever process or command makes it. Each
lookup reads the version (one primary-key read, without stalling the event loop:
:meth:`~coreduce.exchange.store.reads.Reads.version_on_loop`); when it has moved, every kept answer is dropped,
so a cached answer is never older than the last change committed before the request, in any worker. The bearer
token is checked before the lookup as for any request, so a revoked client is refused as before; the key holds
the company the token acts for, so no answer crosses tenants.

What is kept is the body and the query string of the next page (the ``Link`` header's host part is added per
request). At most ``max_bytes`` of bodies are kept, the oldest dropped first; 0 turns the cache off. Lookups and
stores come from the event loop's thread only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import NamedTuple


class CachedPage(NamedTuple):
    body: bytes
    next_query: str | None


class PageCache:
    """(company, query string) → :class:`CachedPage`, for one data version (see the module docstring)."""

    def __init__(self, max_bytes: int, version: Callable[[], Awaitable[int]]):
        self.max_bytes, self._version = max_bytes, version
        self._entries: dict[Hashable, CachedPage] = {}
        self._size = 0
        self._seen: int | None = None

    def __len__(self) -> int:
        """The number of answers kept now."""
        return len(self._entries)

    async def lookup(self, key: Hashable) -> tuple[CachedPage | None, int | None]:
        """The kept answer under ``key`` if the data version has not moved since it was read (else None), and the
        version now (None when the cache is off)."""
        if self.max_bytes <= 0:
            return None, None
        version = await self._version()
        if version != self._seen:
            self._entries.clear()
            self._size, self._seen = 0, version
        return self._entries.get(key), version

    def store(self, key: Hashable, version: int | None, page: CachedPage) -> None:
        """Keep ``page``, read at data version ``version``, unless the version has moved since."""
        if version is None or version != self._seen or len(page.body) > self.max_bytes:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._size -= len(old.body)
        while self._size + len(page.body) > self.max_bytes:
            self._size -= len(self._entries.pop(next(iter(self._entries))).body)
        self._entries[key] = page
        self._size += len(page.body)
