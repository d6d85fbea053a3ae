"""Events this exchange sends: answers to PACT v3 asynchronous requests, and notices of published footprints.

PACT v3.0 (``RequestCreatedEvent``, ``RequestFulfilledEvent``, ``RequestRejectedEvent``): after accepting a request
with 200, the data owner MUST send back exactly one follow-up event to the data recipient — ``RequestFulfilled``
with the non-empty list of footprints matching the request's criteria (the ListFootprints filters), else
``RequestRejected`` with an error (here ``NotFound``). The event goes to the request's ``source`` ("the domain and
endpoint of the application from which the event originates", e.g. ``//api.example.com/3/events``), through
Action Events authenticated with the client credentials this exchange holds at that host (token endpoint found by
OpenID Connect discovery, else ``/auth/token``).

Only the footprints visible to the requesting company (owned or shared with it) can fulfil a request. Delivery
is tried ``ATTEMPTS`` times with exponential back-off (1 s, 2 s, …); the spec's SHOULD of retrying for up to 72
hours needs a persistent queue and is not implemented. Every outcome is written to the audit log
(``event.respond``). Hosts not listed in ``Settings.outbound`` are never contacted (no request can make the
exchange call an arbitrary URL).

PACT v3.0 ``PublishedEvent`` (``data.pfIds``: the non-empty list of ids of footprints published or updated): when
footprints are stored and shared (published, uploaded as activity, rolled up), shared with more companies, or
deprecated, each recipient company's host is told which footprints to retrieve. The host of a company is the
``Settings.outbound`` entry whose ``companies`` list its URN; a recipient with no such entry is not notified.
:func:`announce` runs only after the storing transaction has committed, and its outcome (delivered, refused, or not
sent) never undoes that transaction; every recipient's outcome is written to the audit log (``event.publish``,
target = the recipient's URN).
"""

from __future__ import annotations

import json
import ssl
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from coreduce.exchange.pact.events import PUBLISHED, REQUEST_FULFILLED, REQUEST_REJECTED, RequestCreatedData
from coreduce.exchange.pact.models import format_utc
from coreduce.exchange.service.queries import FootprintQuery
from coreduce.exchange.settings import OutboundHost, Settings

ATTEMPTS = 3
MAX_PARALLEL_HOSTS = 8


def events_url(source: str) -> str:
    """The Action Events URL of an event's ``source``: ``//host/3/events`` → ``https://host/3/events``."""
    url = "https:" + source if source.startswith("//") else source
    if "://" not in url:
        url = "https://" + url
    return url if url.rstrip("/").endswith("/3/events") else url.rstrip("/") + "/3/events"


def outbound_host(url: str, settings: Settings) -> OutboundHost | None:
    """The configured host serving ``url`` (same scheme, host and port), if any."""
    target = urlsplit(url)
    for host in settings.outbound:
        base = urlsplit(host.base_url)
        if (base.scheme, base.netloc.lower()) == (target.scheme, target.netloc.lower()):
            return host
    return None


def follow_up(exchange, company_id: int, request_id: str, data: RequestCreatedData, source: str) -> dict:
    """The RequestFulfilled (footprints visible to ``company_id`` that match) or RequestRejected event."""
    query = FootprintQuery(
        product_id=list(data.productId or []),
        company_id=list(data.companyId or []),
        geography=list(data.geography or []),
        classification=list(data.classification or []),
        valid_on=data.validOn,
        valid_after=data.validAfter,
        valid_before=data.validBefore,
        status=data.status,
    )
    page = exchange.list_footprints(company_id, query, limit=1000)
    event = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": source, "time": format_utc(datetime.now(UTC))}
    if page.documents:
        return {**event, "type": REQUEST_FULFILLED, "data": {"requestEventId": request_id, "pfs": page.footprints}}
    error = {"code": "NotFound", "message": "no footprint shared with you matches the request's criteria"}
    return {**event, "type": REQUEST_REJECTED, "data": {"requestEventId": request_id, "error": error}}


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


def deliver(settings: Settings, host: OutboundHost, url: str, event: dict, pause: float = 1.0) -> str:
    """POST ``event`` to ``url`` (Action Events of ``host``); the outcome as text ("200", or the last error)."""
    outcome = ""
    verify = settings.outbound_verify
    if isinstance(verify, str):
        verify = ssl.create_default_context(cafile=verify)
    with httpx.Client(verify=verify, timeout=30) as client:
        for attempt in range(ATTEMPTS):
            try:
                token = _token(client, host)
                r = client.post(
                    url,
                    content=json.dumps(event),
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "application/cloudevents+json"},
                )
                outcome = str(r.status_code)
                if r.status_code < 500:
                    return outcome if r.status_code == 200 else f"{outcome}: {r.text[:200]}"
            except (httpx.HTTPError, KeyError, ValueError) as exc:
                outcome = f"{type(exc).__name__}: {exc}"
            if attempt + 1 < ATTEMPTS:
                time.sleep(pause * 2**attempt)
    return outcome


def respond(exchange, settings: Settings, requester, request_id: str, data: RequestCreatedData, source: str, own: str):
    """Answer one accepted RequestCreatedEvent (see the module docstring) and audit the outcome."""
    url = events_url(source)
    host = outbound_host(url, settings)
    if host is None:
        exchange.audit(requester, "event.respond", request_id, f"not sent: {url} is not a configured outbound host")
        return
    event = follow_up(exchange, requester.company_id, request_id, data, own)
    outcome = deliver(settings, host, url, event)
    exchange.audit(requester, "event.respond", request_id, f"{event['type']} to {url}: {outcome}")


def hosts_of(company_urn: str, settings: Settings) -> list[OutboundHost]:
    """The configured outbound hosts that serve ``company_urn`` (its URN in their ``companies``)."""
    return [host for host in settings.outbound if company_urn in host.companies]


def published_event(pf_ids: list[str], source: str) -> dict:
    """A PACT v3 PublishedEvent (CloudEvents 1.0, structured mode) announcing the footprints ``pf_ids``."""
    if not pf_ids:
        raise ValueError("a PublishedEvent needs at least one footprint id (data.pfIds must be non-empty)")
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": source,
        "time": format_utc(datetime.now(UTC)),
        "type": PUBLISHED,
        "data": {"pfIds": list(pf_ids)},
    }


def announce(exchange, settings: Settings, owner, pf_ids: list[str], recipients: list[str], source: str) -> None:
    """Send one PublishedEvent for ``pf_ids`` to the host of each recipient company and audit every outcome.

    Call only after the footprints are committed. A host serving several recipients gets the event once; hosts are
    served in parallel (up to ``MAX_PARALLEL_HOSTS``); the owner itself is never a recipient. Recipients served by
    no configured host are audited as not sent.
    """
    recipients = [urn for urn in dict.fromkeys(recipients) if urn != owner.company_urn]
    if not pf_ids or not recipients:
        return
    by_host: dict[OutboundHost, list[str]] = {}
    for urn in recipients:
        hosts = hosts_of(urn, settings)
        if not hosts:
            exchange.audit(owner, "event.publish", urn, f"not sent: no outbound host is configured for {urn}")
        for host in hosts:
            by_host.setdefault(host, []).append(urn)

    def send(host: OutboundHost, urns: list[str]) -> None:
        event = published_event(pf_ids, source)
        url = events_url(host.base_url)
        outcome = deliver(settings, host, url, event)
        for urn in urns:
            detail = f"{PUBLISHED} {event['id']} ({len(pf_ids)} footprints) to {url}: {outcome}"
            exchange.audit(owner, "event.publish", urn, detail)

    if by_host:  # hosts in parallel: one that is down or slow does not hold back the others
        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_HOSTS, len(by_host))) as pool:
            for future in [pool.submit(send, host, urns) for host, urns in by_host.items()]:
                future.result()
