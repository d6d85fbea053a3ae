"""Settings of an exchange service instance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta


@dataclass(frozen=True)
class OutboundHost:
    """A PACT host this exchange sends events to, and the client credentials it holds there.

    ``companies``: URNs of the companies whose host this is; footprints shared with one of them are announced
    to this host by a PublishedEvent.
    """

    base_url: str
    client_id: str
    client_secret: str = field(repr=False)
    companies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """How one exchange service runs.

    ``database_url``: SQLAlchemy URL (``sqlite:///…`` or ``postgresql://…``); None = SQLite file under the
    user's coreduce directory. ``require_https``: refuse requests that did not arrive over TLS (PACT requires
    HTTPS). ``max_body_bytes``: larger request bodies get 413. ``public_base_url``: base of the URLs the service
    writes into data (extension ``dataSchema``); None = taken from each request. ``outbound``: the hosts that
    events may be sent to, with this exchange's credentials there: follow-up events (RequestFulfilled /
    RequestRejected) to the host named by a request's ``source``, PublishedEvents to the host of each company a
    footprint is shared with (an allow-list: an event whose ``source`` is another host is accepted but answered
    nowhere, and a company no host lists is never notified);
    ``outbound_verify``: CA bundle for their certificates (True = the system's). ``allowed_hosts``: the host
    names a request's ``Host`` header may give when ``public_base_url`` is None (others get 400; with a public
    base URL every link is built from it and the header is not used). ``max_json_depth``: deeper JSON bodies
    get 400. ``hash_threads``: threads checking client secrets (scrypt);
    ``read_threads``: threads running the API's short reads (ListFootprints pages, GetFootprint, token holders).
    Rate limits (token buckets per process,
    ``(requests per second, burst)``; rate 0 = no limit): ``auth_rate_per_client`` and ``auth_rate_per_address``
    on ``/auth/token``, ``api_rate_per_address`` and ``api_rate_per_token`` on every other path; beyond them
    429 with ``Retry-After``; the buckets are kept per process, so with ``coreduce serve --workers N`` a client may
    get up to N times each rate. ``token_cache_seconds``: how long a process keeps who holds a bearer token
    without asking the database (a revocation made by another process is honoured within this time; 0 = never
    kept). ``page_cache_bytes``: bytes of ListFootprints answers a process keeps while the data version is unchanged
    (:mod:`coreduce.exchange.service.pages`; 0 = none kept). ``routers``: further FastAPI routers served
    beside the API (``coreduce serve`` passes the web pages, :mod:`coreduce.web`).

    Delivery of queued events (:mod:`coreduce.exchange.delivery`): ``deliver`` runs the delivery worker inside the
    server process; after the n-th failed try the next comes up to ``retry_first · 2^(n−1)`` seconds later, at
    most ``retry_longest`` seconds, of which the fraction ``retry_jitter`` is drawn at random (0.5: "equal jitter",
    see :func:`coreduce.exchange.chain.outbound.backoff`), so that events failing together are not retried
    together; an event not delivered within ``give_up_after`` of being queued is dead (PACT:
    a host SHOULD keep retrying for up to 72 hours). ``delivery_poll``: seconds between looks at the queue when
    nothing woke the worker; ``delivery_lease``: how long a worker's claim on an event holds (a worker that died
    while sending loses it then); ``delivery_timeout``: seconds per HTTP request of a try. Retention of finished
    events (the audit log keeps every try regardless): the delivery worker deletes, every ``purge_every`` seconds,
    delivered events whose last try is older than ``keep_delivered`` and dead or dropped ones older than
    ``keep_ended`` (longer: an operator may still retry them); a RequestCreated repeated after its answer was
    deleted is answered anew, with a new event id.
    """

    database_url: str | None = None
    token_ttl: timedelta = timedelta(hours=1)
    max_body_bytes: int = 2_000_000
    default_page_size: int = 100
    max_page_size: int = 1000
    require_https: bool = True
    public_base_url: str | None = None
    outbound: tuple[OutboundHost, ...] = ()
    outbound_verify: str | bool = True
    allowed_hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
    max_json_depth: int = 64
    hash_threads: int = 2
    read_threads: int = 16
    auth_rate_per_client: tuple[float, int] = (1.0, 10)
    auth_rate_per_address: tuple[float, int] = (10.0, 30)
    api_rate_per_address: tuple[float, int] = (2000.0, 4000)
    api_rate_per_token: tuple[float, int] = (1000.0, 2000)
    token_cache_seconds: float = 5.0
    page_cache_bytes: int = 32 * 2**20
    routers: tuple = ()
    deliver: bool = True
    retry_first: float = 5.0
    retry_longest: float = 3600.0
    give_up_after: timedelta = timedelta(hours=72)
    delivery_poll: float = 1.0
    delivery_lease: float = 120.0
    delivery_timeout: float = 30.0
    retry_jitter: float = 0.5
    keep_delivered: timedelta = timedelta(days=7)
    keep_ended: timedelta = timedelta(days=30)
    purge_every: float = 3600.0


def outbound_from_file(path) -> tuple[OutboundHost, ...]:
    """Outbound hosts from a JSON file: ``[{"base_url": …, "client_id": …, "client_secret": …}, …]``.

    An entry may add ``"companies": ["urn:…", …]``, the companies served by that host (PublishedEvent recipients).

    Raises ValueError naming the file, the entry and the field on bad input.
    """
    from coreduce.exchange.jsonfile import read_json_file

    entries = read_json_file(path)
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a JSON list of outbound hosts")
    hosts = []
    for i, entry in enumerate(entries):
        for name in ("base_url", "client_id", "client_secret"):
            value = entry.get(name) if isinstance(entry, dict) else None
            if not isinstance(value, str) or not value:
                raise ValueError(f"{path}: entry {i}, field {name!r}: expected a non-empty string")
        if not entry["base_url"].startswith("https://"):
            raise ValueError(f"{path}: entry {i}, field 'base_url': events are sent over HTTPS only")
        companies = entry.get("companies", [])
        if not isinstance(companies, list) or not all(
            isinstance(c, str) and c.lower().startswith("urn:") for c in companies
        ):
            raise ValueError(f"{path}: entry {i}, field 'companies': expected a list of company URNs ('urn:…')")
        hosts.append(OutboundHost(entry["base_url"], entry["client_id"], entry["client_secret"], tuple(companies)))
    return tuple(hosts)
