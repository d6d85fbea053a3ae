"""What every router needs from a request: the service, the settings, the caller, this host's base URL, and a way
to announce published footprints after the response."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import BackgroundTasks, Depends, Request

from coreduce.exchange.chain import outbound
from coreduce.exchange.errors import AccessDenied, InvalidToken
from coreduce.exchange.service import Exchange, Principal
from coreduce.exchange.settings import Settings


def get_exchange(request: Request) -> Exchange:
    return request.app.state.exchange


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def principal(request: Request) -> Principal:
    """The caller named by the request's bearer token: 403 when missing, 400 when malformed or unknown."""
    header = request.headers.get("authorization")
    if not header:
        raise AccessDenied("missing Authorization header: send 'Bearer <access token>'")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("Authorization header must be 'Bearer <access token>'")
    return get_exchange(request).principal(token.strip())


Service = Annotated[Exchange, Depends(get_exchange)]
Config = Annotated[Settings, Depends(get_settings)]
Caller = Annotated[Principal, Depends(principal)]


def base_url(request: Request) -> str:
    """This host's base URL: the configured public one, else the request's."""
    return (get_settings(request).public_base_url or str(request.base_url)).rstrip("/")


def announce_later(
    background: BackgroundTasks, request: Request, caller: Principal, ids: Iterable[str], recipients: Iterable[str]
) -> None:
    """Queue the PublishedEvent of ``ids`` to ``recipients``' hosts; it runs after the response, i.e. after the
    storing transaction has committed, and its outcome cannot undo that transaction."""
    ids, recipients = list(ids), list(recipients)
    if ids and recipients:
        own = f"{base_url(request)}/3/events"
        exchange, settings = get_exchange(request), get_settings(request)
        background.add_task(outbound.announce, exchange, settings, caller, ids, recipients, own)
