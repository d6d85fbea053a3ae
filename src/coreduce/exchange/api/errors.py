"""The one place where refusals become HTTP answers: domain errors → PACT v3 error codes and statuses.

PACT v3 ``Error`` codes (Technical Specifications v3.0, component ``Error``): BadRequest 400, TokenExpired
401, AccessDenied 403, NotFound 404 (``NoSuchFootprint`` in v2), InternalError 500, NotImplemented 501. The
platform endpoints add PayloadTooLarge 413 and Conflict 409. Invalid bearer tokens get 400 BadRequest (the
PACT conformance test cases 6, 7 and 16), expired ones 401 TokenExpired, a missing one 403 AccessDenied.
Request bodies that do not match their model are 400 BadRequest (never FastAPI's 422).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from coreduce.exchange.errors import (
    AccessDenied,
    Conflict,
    ExchangeError,
    InvalidClient,
    InvalidInput,
    InvalidToken,
    NotFound,
    TokenExpired,
    Unsupported,
)
from coreduce.exchange.pact.models import Error

log = logging.getLogger("coreduce.exchange")

PACT_CODES: dict[type[ExchangeError], tuple[str, int]] = {
    InvalidInput: ("BadRequest", 400),
    InvalidToken: ("BadRequest", 400),
    TokenExpired: ("TokenExpired", 401),
    InvalidClient: ("AccessDenied", 403),
    AccessDenied: ("AccessDenied", 403),
    NotFound: ("NotFound", 404),
    Conflict: ("Conflict", 409),
    Unsupported: ("NotImplemented", 501),
}
_HTTP_CODES = {404: "NotFound", 403: "AccessDenied", 401: "TokenExpired"}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": Error, "description": "BadRequest"},
    401: {"model": Error, "description": "TokenExpired"},
    403: {"model": Error, "description": "AccessDenied"},
    413: {"model": Error, "description": "PayloadTooLarge"},
    500: {"model": Error, "description": "InternalError"},
}
OWNED_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    404: {"model": Error, "description": "NotFound: no footprint with this id owned by the caller"},
}


def error_response(code: str, message: str, status: int, headers: dict | None = None) -> JSONResponse:
    """A PACT ``{"code", "message"}`` body with its status."""
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


def pact_error(exc: ExchangeError) -> JSONResponse:
    """The PACT error answer of a domain error (the first class in its MRO that has a code)."""
    code, status = next(PACT_CODES[c] for c in type(exc).__mro__ if c in PACT_CODES)
    return error_response(code, exc.message, status)


def install(app: FastAPI) -> None:
    """Answer domain errors, invalid bodies, routing errors and crashes as PACT error bodies."""

    @app.exception_handler(ExchangeError)
    async def _domain(_request, exc: ExchangeError):
        return pact_error(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request, exc: RequestValidationError):
        parts = []
        for error in exc.errors()[:10]:
            loc = ".".join(str(p) for p in error["loc"] if p != "body") or "body"
            parts.append(f"{loc}: {error['msg']}")
        return error_response("BadRequest", "; ".join(parts), 400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request, exc: StarletteHTTPException):
        return error_response(_HTTP_CODES.get(exc.status_code, "BadRequest"), str(exc.detail), exc.status_code)

    @app.exception_handler(Exception)
    async def _internal(_request, exc: Exception):
        log.exception("internal error")
        return error_response("InternalError", "an internal or unexpected error has occurred", 500)
