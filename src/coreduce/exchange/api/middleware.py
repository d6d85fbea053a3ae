"""ASGI middleware of the exchange: request body size and JSON depth limits, allowed ``Host`` names, HTTPS only."""

from __future__ import annotations

import base64
import binascii
import math
import re
import time
from urllib.parse import unquote

from coreduce.exchange.api.errors import error_response

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_depth_exceeds(body: bytes, max_depth: int) -> bool:
    """Whether the JSON text ``body`` nests arrays/objects deeper than ``max_depth`` (brackets inside strings are
    skipped; malformed text is left to the parser). Counting needs no recursion, so any depth is safe to check."""
    if body.count(b"[") + body.count(b"{") <= max_depth:
        return False
    depth = 0
    for b in _JSON_STRING.sub(b'""', body).translate(None, _NOT_BRACKETS):
        depth += 1 if b in b"[{" else -1
        if depth > max_depth:
            return True
    return False


class BodyLimit:
    """ASGI middleware: answer 413 PayloadTooLarge when a request body exceeds ``max_bytes`` (declared or sent).

    The body is read (up to the limit) before the application runs, so an oversized streamed body is refused
    before anything is parsed or stored.

    A JSON body nested deeper than ``max_depth`` gets 400 BadRequest (the parser would otherwise exhaust the
    recursion limit).
    """

    def __init__(self, app, max_bytes: int, max_depth: int = 64):
        self.app, self.max_bytes, self.max_depth = app, max_bytes, max_depth

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        def too_large():
            return error_response(
                "PayloadTooLarge", f"request body larger than the limit of {self.max_bytes} bytes", 413
            )

        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    bad = error_response("BadRequest", "Content-Length is not an integer", 400)
                    return await bad(scope, receive, send)
                if too_big:
                    return await too_large()(scope, receive, send)
        chunks, size = [], 0
        while True:
            event = await receive()
            if event["type"] != "http.request":
                return  # client disconnected
            chunk = event.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return await too_large()(scope, receive, send)
            chunks.append(chunk)
            if not event.get("more_body", False):
                break
        body = b"".join(chunks)
        if json_depth_exceeds(body, self.max_depth):
            message = f"request body: JSON nested deeper than {self.max_depth} levels"
            return await error_response("BadRequest", message, 400)(scope, receive, send)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class HttpsOnly:
    """ASGI middleware: refuse requests that did not arrive over TLS (PACT: actions are offered over HTTPS only)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope.get("scheme") != "https":
            message = "plain HTTP is refused: this service is offered over HTTPS only"
            return await error_response("BadRequest", message, 400)(scope, receive, send)
        return await self.app(scope, receive, send)


class AllowedHosts:
    """ASGI middleware: 400 BadRequest for a ``Host`` header not among ``hosts`` (names without port), so that a
    client cannot make the service write its own host name into links (used when no public base URL is set)."""

    def __init__(self, app, hosts: tuple[str, ...]):
        self.app, self.hosts = app, {h.lower() for h in hosts}

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.strip("[]").lower() not in self.hosts:
                message = "Host header names a host this service does not serve"
                return await error_response("BadRequest", message, 400)(scope, receive, send)
        return await self.app(scope, receive, send)


class TokenBuckets:
    """Token buckets by key: ``rate`` requests per second, at most ``burst`` at once (in memory, per process)."""

    def __init__(self, rate: float, burst: int, max_keys: int = 100_000):
        self.rate, self.burst, self.max_keys = rate, burst, max_keys
        self.buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str, now: float) -> float:
        """0 when a request under ``key`` may pass now, else the seconds until it may."""
        if self.rate <= 0:
            return 0.0
        tokens, last = self.buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self.buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate
        if len(self.buckets) >= self.max_keys and key not in self.buckets:
            self.buckets.clear()  # a flood of distinct keys: start afresh rather than grow without bound
        self.buckets[key] = (tokens - 1, now)
        return 0.0


def _basic_client_id(value: bytes) -> str | None:
    if value[:6].lower() != b"basic ":
        return None
    try:
        return unquote(base64.b64decode(value[6:].strip(), validate=True).decode().partition(":")[0])
    except (binascii.Error, UnicodeDecodeError):
        return None


class RateLimit:
    """ASGI middleware: 429 with ``Retry-After`` beyond the rate limits of :class:`~coreduce.exchange.settings.
    Settings` (``/auth/token`` per client id and per source address; every other path per source address and per
    bearer token)."""

    def __init__(self, app, settings):
        self.app = app
        self.auth_client = TokenBuckets(*settings.auth_rate_per_client)
        self.auth_address = TokenBuckets(*settings.auth_rate_per_address)
        self.api_address = TokenBuckets(*settings.api_rate_per_address)
        self.api_token = TokenBuckets(*settings.api_rate_per_token)

    def _wait(self, scope) -> float:
        now = time.monotonic()
        address = (scope.get("client") or ("?",))[0]
        authorization = next((v for k, v in scope.get("headers", []) if k == b"authorization"), b"")
        if scope["path"] == "/auth/token":
            wait = self.auth_address.take(address, now)
            client_id = _basic_client_id(authorization)
            if not wait and client_id:
                wait = self.auth_client.take(client_id, now)
            return wait
        wait = self.api_address.take(address, now)
        if not wait and authorization:
            wait = self.api_token.take(authorization[-24:].decode("latin-1"), now)
        return wait

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            wait = self._wait(scope)
            if wait:
                seconds = max(1, math.ceil(wait))
                answer = error_response(
                    "TooManyRequests",
                    f"rate limit exceeded: retry after {seconds} s",
                    429,
                    headers={"Retry-After": str(seconds)},
                )
                return await answer(scope, receive, send)
        return await self.app(scope, receive, send)
