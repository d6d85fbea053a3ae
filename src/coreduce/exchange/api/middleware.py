"""ASGI middleware of the exchange: request body size limit and HTTPS only."""

from __future__ import annotations

from coreduce.exchange.api.errors import error_response


class BodyLimit:
    """ASGI middleware: answer 413 PayloadTooLarge when a request body exceeds ``max_bytes`` (declared or sent).

    The body is read (up to the limit) before the application runs, so an oversized streamed body is refused
    before anything is parsed or stored.
    """

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_large = error_response(
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
                    return await too_large(scope, receive, send)
        chunks, size = [], 0
        while True:
            event = await receive()
            if event["type"] != "http.request":
                return  # client disconnected
            chunk = event.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return await too_large(scope, receive, send)
            chunks.append(chunk)
            if not event.get("more_body", False):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
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
