"""A short-lived, per-process cache of who holds a bearer token, so that a request does not query the database for
its token every time.

Entries are keyed by the token's SHA-256 digest (the token itself is never kept) and live ``ttl`` seconds on a
monotonic clock; the token's own expiry is still checked on every request. Revoking a client or rotating its
secret in this process forgets its entries at once; a revocation made by another process (another
``--workers`` process, the command line) is honoured here within ``ttl`` seconds. ``ttl`` 0 turns the cache off.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Generic, TypeVar

P = TypeVar("P")


class TokenCache(Generic[P]):
    """digest → (principal, token expiry), each entry kept ``ttl`` seconds; at most ``max_entries`` (the oldest
    entry goes first)."""

    def __init__(self, ttl: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.max_entries, self.clock = ttl, max_entries, clock
        self._entries: dict[str, tuple[float, P, datetime]] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> tuple[P, datetime] | None:
        """The cached (principal, expiry) of ``digest``, None when absent or older than ``ttl``."""
        entry = self._entries.get(digest)
        if entry is None:
            return None
        if self.clock() - entry[0] >= self.ttl:
            self._entries.pop(digest, None)
            return None
        return entry[1], entry[2]

    def put(self, digest: str, principal: P, expires_at: datetime) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            while len(self._entries) >= self.max_entries:
                self._entries.pop(next(iter(self._entries)))
            self._entries[digest] = (self.clock(), principal, expires_at)

    def forget(self, keep: Callable[[P], bool]) -> None:
        """Drop every entry whose principal ``keep`` refuses (e.g. those of a revoked client)."""
        with self._lock:
            for digest, (_, principal, _) in list(self._entries.items()):
                if not keep(principal):
                    self._entries.pop(digest, None)
