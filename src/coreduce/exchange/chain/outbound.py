"""Events this exchange sends: answers to PACT v3 asynchronous requests, notices of published footprints, and one
try at sending either.

PACT v3.0 (``RequestCreatedEvent``, ``RequestFulfilledEvent``, ``RequestRejectedEvent``): after accepting a request
with 200, the data owner MUST send back exactly one follow-up event to the data recipient — ``RequestFulfilled``
with the non-empty list of footprints matching the request's criteria (the ListFootprints filters), else
``RequestRejected`` with an error (here ``NotFound``). The event goes to the request's ``source`` ("the domain and
endpoint of the application from which the event originates", e.g. ``//api.example.com/3/events``), through
Action Events authenticated with the client credentials this exchange holds at that host (token endpoint found by
OpenID Connect discovery, else ``/auth/token``).

PACT v3.0 ``PublishedEvent`` (``data.pfIds``: the non-empty list of ids of footprints published or updated): when
footprints are stored and shared, shared with more companies, or deprecated, each recipient company's host is told
which footprints to retrieve. The host of a company is the ``Settings.outbound`` entry whose ``companies`` list its
URN. Hosts not listed in ``Settings.outbound`` are never contacted (no request can make the exchange call an
arbitrary URL).

Events are not sent here but queued (:mod:`coreduce.exchange.store.outbox`) and sent by the delivery worker
(:mod:`coreduce.exchange.delivery`), one :func:`send` per try, with the pauses of :func:`backoff`.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from coreduce.exchange.pact.events import PUBLISHED, REQUEST_FULFILLED, REQUEST_REJECTED
from coreduce.exchange.pact.models import format_utc
from coreduce.exchange.settings import OutboundHost

# Answers after which a later try cannot succeed: the receiver refused the event itself (RFC 9110 4xx), except
# 408 Request Timeout, 425 Too Early and 429 Too Many Requests, which ask to try again.
RETRYABLE_4XX = (408, 425, 429)


def events_url(source: str) -> str:
    """The Action Events URL of an event's ``source``: ``//host/3/events`` → ``https://host/3/events``."""
    url = "https:" + source if source.startswith("//") else source
    if "://" not in url:
        url = "https://" + url
    return url if url.rstrip("/").endswith("/3/events") else url.rstrip("/") + "/3/events"


def outbound_host(url: str, hosts: tuple[OutboundHost, ...]) -> OutboundHost | None:
    """The configured host serving ``url`` (same scheme, host and port), if any."""
    target = urlsplit(url)
    for host in hosts:
        base = urlsplit(host.base_url)
        if (base.scheme, base.netloc.lower()) == (target.scheme, target.netloc.lower()):
            return host
    return None


def hosts_of(company_urn: str, hosts: tuple[OutboundHost, ...]) -> list[OutboundHost]:
    """The configured outbound hosts that serve ``company_urn`` (its URN in their ``companies``)."""
    return [host for host in hosts if company_urn in host.companies]


def _event(type_: str, data: dict, source: str) -> dict:
    """A CloudEvents 1.0 envelope (structured mode) with a new id; the id stays the same on every retry."""
    now = format_utc(datetime.now(UTC))
    return {"specversion": "1.0", "id": str(uuid.uuid4()), "source": source, "time": now, "type": type_, "data": data}


def published_event(pf_ids: list[str], source: str) -> dict:
    """A PACT v3 PublishedEvent announcing the footprints ``pf_ids``."""
    if not pf_ids:
        raise ValueError("a PublishedEvent needs at least one footprint id (data.pfIds must be non-empty)")
    return _event(PUBLISHED, {"pfIds": list(pf_ids)}, source)


def answer_event(request_id: str, footprints: list[dict], source: str) -> dict:
    """RequestFulfilled with ``footprints`` (those visible to the requester that match), else RequestRejected."""
    if footprints:
        return _event(REQUEST_FULFILLED, {"requestEventId": request_id, "pfs": footprints}, source)
    error = {"code": "NotFound", "message": "no footprint shared with you matches the request's criteria"}
    return _event(REQUEST_REJECTED, {"requestEventId": request_id, "error": error}, source)


@dataclass(frozen=True)
class Outcome:
    """The result of one try: the HTTP status of the Action Events answer (None when none came) and the error."""

    status: int | None
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def final(self) -> bool:
        """Whether trying again cannot help (the receiver refused the event itself)."""
        return self.status is not None and 400 <= self.status < 500 and self.status not in RETRYABLE_4XX


def _token(client: httpx.Client, host: OutboundHost) -> str:
    base = host.base_url.rstrip("/")
    endpoint = f"{base}/auth/token"
    try:
        found = client.get(f"{base}/.well-known/openid-configuration")
        if found.status_code == 200 and isinstance(found.json().get("token_endpoint"), str):
            endpoint = found.json()["token_endpoint"]
    except (httpx.HTTPError, ValueError):
        pass
    r = client.post(endpoint, data={"grant_type": "client_credentials"}, auth=(host.client_id, host.client_secret))
    r.raise_for_status()
    return r.json()["access_token"]


def send(client: httpx.Client, host: OutboundHost, url: str, body: str) -> Outcome:
    """One try: authenticate at ``host`` and POST the event ``body`` (CloudEvents JSON) to ``url``."""
    try:
        token = _token(client, host)
        r = client.post(
            url,
            content=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/cloudevents+json"},
        )
    except httpx.HTTPStatusError as exc:
        return Outcome(None, f"token endpoint answered {exc.response.status_code}")
    except (httpx.HTTPError, KeyError, ValueError) as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}"[:500])
    return Outcome(r.status_code, None if 200 <= r.status_code < 300 else r.text[:500])


def backoff(tries: int, first: float, longest: float, jitter: float = 0.0, rng: random.Random | None = None) -> float:
    """Seconds to wait after the ``tries``-th failed try: ``p = min(first · 2^(tries−1), longest)``, of which the
    fraction ``jitter`` is drawn at random: ``p · (1 − jitter · U)`` with ``U`` uniform on [0, 1) from ``rng``, so
    the pause lies in ``(p · (1 − jitter), p]``.

    Jitter spreads the retries of events that failed together (a receiving host back after an outage) instead of
    sending them again in synchronised waves; ``jitter`` 0.5 is the "equal jitter" and 1 the "full jitter" of
    M. Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 4 March 2015
    (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
    """
    pause = min(first * 2 ** min(tries - 1, 60), longest)
    if jitter <= 0:
        return pause
    return pause * (1 - jitter * (rng or random).random())


def event_summary(body: str) -> dict:
    """What a queued event is about: the footprint ids it announces or carries, the request it answers."""
    data = json.loads(body).get("data", {})
    pf_ids = data.get("pfIds") or [pf.get("id") for pf in data.get("pfs", [])]
    return {"pfIds": pf_ids, "requestEventId": data.get("requestEventId")}
