"""A PACT host on loopback that receives Action Events over HTTPS and answers each as the test decides."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from helpers.waiting import wait_for


class EventHost:
    """Serves ``/auth/token`` (any client) and ``/3/events``, answering each event with ``status_for(body)``; keeps
    every body received (``received``) and the status it answered (``answered``), in order."""

    def __init__(self, tls, status_for: Callable[[dict], int]):
        self.received: list[dict] = []
        self.answered: list[int] = []
        self._lock = threading.Lock()
        app = FastAPI()

        @app.post("/auth/token")
        def token():
            return {"access_token": "host-token", "token_type": "Bearer", "expires_in": 3600}

        @app.post("/3/events")
        async def events(request: Request):
            body = await request.json()
            status = status_for(body)
            with self._lock:
                self.received.append(body)
                self.answered.append(status)
            if status == 200:
                return Response(status_code=200)
            return JSONResponse({"code": "InternalError", "message": "receiver is down"}, status_code=status)

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"https://127.0.0.1:{self.socket.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", ssl_certfile=str(tls.certfile), ssl_keyfile=str(tls.keyfile))
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def posts(self, event_id: str) -> list[int]:
        """The statuses answered to the posts of one event, in order."""
        with self._lock:
            return [status for body, status in zip(self.received, self.answered, strict=True) if body["id"] == event_id]

    def __enter__(self):
        self._thread.start()
        assert wait_for(lambda: self.server.started, timeout=30), "event host did not start"
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self._thread.join(timeout=10)
        self.socket.close()
