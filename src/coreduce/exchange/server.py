"""Running the exchange under uvicorn: TLS by default, plain HTTP only when explicitly allowed for development.

uvicorn runs on uvloop (libuv event loop) with the httptools HTTP parser (bindings to llhttp), both compiled, in
one process or in ``workers`` processes sharing the listening socket (one per core). Each worker keeps its own
rate-limit buckets and token cache: with N workers a client may get up to N times a per-process rate limit, and a
revocation made in one worker reaches the others within ``Settings.token_cache_seconds``.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from coreduce.exchange.settings import Settings


class InsecureHttpRefused(ValueError):
    """Raised when asked to serve without TLS and without the explicit development switch."""


@dataclass
class TlsFiles:
    certfile: Path
    keyfile: Path


def resolve_tls(
    cert: Path | None, key: Path | None, self_signed: bool, dev_insecure_http: bool, host: str
) -> TlsFiles | None:
    """The certificate and key to serve with, or None for plain HTTP (only with ``dev_insecure_http``)."""
    if (cert is None) != (key is None):
        raise ValueError("give both --cert and --key, or neither")
    if cert is not None:
        for label, path in (("certificate", cert), ("key", key)):
            if not Path(path).is_file():
                raise FileNotFoundError(f"TLS {label} file not found: {path}")
        return TlsFiles(Path(cert), Path(key))
    if self_signed:
        from coreduce.exchange.tls import self_signed as make_self_signed
        from coreduce.paths import user_dir

        hosts = () if host in ("127.0.0.1", "localhost", "0.0.0.0", "::") else (host,)
        c, k = make_self_signed(user_dir() / "exchange" / "tls", hosts)
        return TlsFiles(c, k)
    if dev_insecure_http:
        return None
    raise InsecureHttpRefused(
        "plain HTTP is refused (PACT requires HTTPS): pass --self-signed, or --cert and --key, "
        "or --dev-insecure-http for local development only"
    )


def uvicorn_options(tls: TlsFiles | None, access_log: bool = True) -> dict:
    """The uvicorn options every server of the exchange runs with (also the benchmark's baseline endpoint)."""
    return {
        "loop": "uvloop" if sys.platform != "win32" else "asyncio",  # uvloop has no Windows build
        "http": "httptools",
        "ssl_certfile": str(tls.certfile) if tls else None,
        "ssl_keyfile": str(tls.keyfile) if tls else None,
        "access_log": access_log,
        "timeout_keep_alive": 30,
    }


class ServerThread:
    """A uvicorn server on a background thread, bound to an ephemeral or given port (for tests, benchmarks)."""

    def __init__(self, settings: Settings, tls: TlsFiles | None, host: str = "127.0.0.1", port: int = 0):
        import uvicorn

        from coreduce.exchange.api.app import create_app

        if tls is None:
            settings = replace(settings, require_https=False)
        self.app = create_app(settings)
        self.socket = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind((host, port))
        self.host, self.port = host, self.socket.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", **uvicorn_options(tls))
        self.server = uvicorn.Server(config)
        self.scheme = "https" if tls else "http"
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def __enter__(self) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("exchange server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)
        self.socket.close()


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8443,
    tls: TlsFiles | None = None,
    workers: int = 1,
    factory: str | None = None,
    access_log: bool = True,
) -> None:
    """Serve in the foreground until interrupted.

    ``workers`` > 1 runs that many processes under uvicorn's supervisor; each builds its application by calling
    ``factory`` (``"module:function"``, no arguments), which must give the same application as ``settings``. The
    database is migrated once here, before the workers start.
    """
    import uvicorn

    from coreduce.exchange.api.app import create_app
    from coreduce.exchange.store.db import default_database_url, make_engine, migrate

    if tls is None:
        settings = replace(settings, require_https=False)
    options = {"host": host, "port": port, "log_level": "info", **uvicorn_options(tls, access_log)}
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    if factory is None:
        raise ValueError("serving with several workers needs the import path of an application factory")
    engine = make_engine(settings.database_url or default_database_url())
    migrate(engine)
    engine.dispose()
    uvicorn.run(factory, factory=True, workers=workers, **options)
