"""Errors of the exchange service: the PACT v3 error codes with their HTTP status, and readable messages.

PACT v3 ``Error`` codes (Technical Specifications v3.0, component ``Error``): BadRequest 400, TokenExpired
401, AccessDenied 403, NotFound 404 (``NoSuchFootprint`` in v2), InternalError 500, NotImplemented 501. The
platform endpoints add PayloadTooLarge 413, Conflict 409 and UnsupportedMediaType 415.
"""

from __future__ import annotations

from pydantic import ValidationError

STATUS_OF_CODE = {
    "BadRequest": 400,
    "TokenExpired": 401,
    "AccessDenied": 403,
    "NotFound": 404,
    "Conflict": 409,
    "PayloadTooLarge": 413,
    "UnsupportedMediaType": 415,
    "InternalError": 500,
    "NotImplemented": 501,
}


class ApiError(Exception):
    """An error answered with ``{"code": code, "message": message}`` and the code's HTTP status."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = STATUS_OF_CODE[code]


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
