"""Settings of an exchange service instance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Settings:
    """How one exchange service runs.

    ``database_url``: SQLAlchemy URL (``sqlite:///…`` or ``postgresql://…``); None = SQLite file under the
    user's coreduce directory. ``require_https``: refuse requests that did not arrive over TLS (PACT requires
    HTTPS). ``max_body_bytes``: larger request bodies get 413. ``public_base_url``: base of the URLs the service
    writes into data (extension ``dataSchema``); None = taken from each request.
    """

    database_url: str | None = None
    token_ttl: timedelta = timedelta(hours=1)
    max_body_bytes: int = 2_000_000
    default_page_size: int = 100
    max_page_size: int = 1000
    require_https: bool = True
    public_base_url: str | None = None
