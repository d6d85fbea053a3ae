"""What every router needs from a request: the service, the settings, the caller, this host's base URL and the
``source`` of the events it sends."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

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


def events_source(request: Request) -> str:
    """This host's Action Events URL: the CloudEvents ``source`` of the events it sends."""
    return f"{base_url(request)}/3/events"
