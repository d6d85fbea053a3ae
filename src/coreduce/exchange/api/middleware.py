"""The ASGI middleware of the exchange, :class:`Guard`: HTTPS only, allowed ``Host`` names, rate limits, request
body size and JSON depth limits, checked in that order in one pass (one middleware frame per request rather than
one per check)."""

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


class Guard:
    """ASGI middleware checking every HTTP request before the application sees it:

    1. HTTPS only (``settings.require_https``; PACT: actions are offered over HTTPS only): 400 otherwise.
    2. The ``Host`` header names one of ``settings.allowed_hosts`` (only when no ``public_base_url`` is set, so
       that a client cannot make the service write its own host name into links): 400 otherwise.
    3. Rate limits (``/auth/token`` per client id and per source address; every other path per source address
       and per bearer token): 429 with ``Retry-After`` beyond them.
    4. A request body larger than ``settings.max_body_bytes`` (declared or sent) gets 413 PayloadTooLarge before
       anything is parsed or stored; a JSON body nested deeper than ``settings.max_json_depth`` gets 400 (the
       parser would otherwise exhaust the recursion limit). The body is read (up to the limit) before the
       application runs; a GET or HEAD that declares no body (no ``Content-Length``, no ``Transfer-Encoding``)
       goes on without that read.
    """

    def __init__(self, app, settings):
        self.app, self.max_bytes, self.max_depth = app, settings.max_body_bytes, settings.max_json_depth
        self.https = settings.require_https
        self.hosts = {h.lower() for h in settings.allowed_hosts} if settings.public_base_url is None else None
        self.auth_client = TokenBuckets(*settings.auth_rate_per_client)
        self.auth_address = TokenBuckets(*settings.auth_rate_per_address)
        self.api_address = TokenBuckets(*settings.api_rate_per_address)
        self.api_token = TokenBuckets(*settings.api_rate_per_token)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        # the first of repeated names, as Starlette's ``request.headers.get`` reads them (the links' host)
        headers = dict(reversed(scope["headers"]))
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            return await refusal(scope, receive, send)
        bodiless = b"content-length" not in headers and b"transfer-encoding" not in headers
        if bodiless and scope["method"] in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        await self._with_body(scope, receive, send, headers.get(b"content-length"))

    def _refusal(self, scope, headers: dict[bytes, bytes]):
        """The error answer of checks 1–3, None when the request passes them."""
        if self.https and scope.get("scheme") != "https":
            return error_response("BadRequest", "plain HTTP is refused: this service is offered over HTTPS only", 400)
        if self.hosts is not None:
            host = headers.get(b"host", b"").decode("latin-1")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.strip("[]").lower() not in self.hosts:
                return error_response("BadRequest", "Host header names a host this service does not serve", 400)
        wait = self._wait(scope, headers.get(b"authorization", b""))
        if wait:
            seconds = max(1, math.ceil(wait))
            message = f"rate limit exceeded: retry after {seconds} s"
            return error_response("TooManyRequests", message, 429, headers={"Retry-After": str(seconds)})
        return None

    def _wait(self, scope, authorization: bytes) -> float:
        now = time.monotonic()
        address = (scope.get("client") or ("?",))[0]
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

    async def _with_body(self, scope, receive, send, declared: bytes | None):
        """Check 4, then the application with the body read."""

        def too_large():
            return error_response(
                "PayloadTooLarge", f"request body larger than the limit of {self.max_bytes} bytes", 413
            )

        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                return await error_response("BadRequest", "Content-Length is not an integer", 400)(scope, receive, send)
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
