"""Domain errors of the exchange: what the service refuses and why, independent of HTTP.

The service layer raises these; Python callers and the CLI catch them (each is also the matching built-in:
``InvalidInput`` is a ``ValueError``, ``NotFound`` a ``LookupError``, ``AccessDenied`` a ``PermissionError``).
The HTTP API maps each class to a PACT v3 error code and status in one place,
:mod:`coreduce.exchange.api.errors`. Messages name the field and what was expected.
"""

from __future__ import annotations

from pydantic import ValidationError


class ExchangeError(Exception):
    """A request the exchange refuses; ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(ExchangeError, ValueError):
    """Input that does not validate (a footprint, an activity row, a filter, an event); ``rows`` maps the number of
    each bad row of uploaded activity data to its problems (empty when the input has no rows)."""

    def __init__(self, message: str, rows: dict[int, list[str]] | None = None):
        super().__init__(message)
        self.rows = rows or {}


class InvalidToken(ExchangeError, ValueError):
    """A bearer token that is malformed or unknown."""


class TokenExpired(ExchangeError):
    """A bearer token past its lifetime."""


class InvalidClient(ExchangeError, PermissionError):
    """Client credentials that do not authenticate (unknown client, wrong secret, revoked)."""


class AccessDenied(ExchangeError, PermissionError):
    """The caller may not see or change this object."""


class NotFound(ExchangeError, LookupError):
    """No such object (footprint, company, notice)."""


class Conflict(ExchangeError):
    """The object already exists (a footprint id, a company identifier)."""


class Unsupported(ExchangeError):
    """A feature of the PACT specification this host does not implement (e.g. ``x-`` extension filters)."""


def describe(exc: ValidationError, prefix: str = "") -> str:
    """One line per problem: ``field.path: what was expected (got …)``; at most 10 problems."""
    parts = []
    for error in exc.errors(include_url=False)[:10]:
        loc = ".".join(str(p) for p in (*([prefix] if prefix else []), *error["loc"])) or "body"
        message = error["msg"]
        if error["type"] in ("missing",):
            parts.append(f"{loc}: required field is missing")
        else:
            parts.append(f"{loc}: {message}")
    more = len(exc.errors()) - 10
    if more > 0:
        parts.append(f"… and {more} more")
    return "; ".join(parts)
