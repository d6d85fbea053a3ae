"""The exchange's HTTP API: PACT v3 actions plus the platform endpoints, as a FastAPI application.

PACT v3 (Technical Specifications for PCF Data Exchange 3.0): ``POST /auth/token`` (OAuth2 client credentials,
RFC 6749 §4.4, client authentication by HTTP Basic), ``GET /.well-known/openid-configuration``,
``GET /3/footprints`` (filters and ``Link: <…>; rel="next"`` pagination), ``GET /3/footprints/{id}`` and
``POST /3/events`` (CloudEvents 1.0 structured mode). Errors are ``{"code", "message"}`` bodies
(:mod:`coreduce.exchange.api.errors`). :func:`create_app` only wires: one router per area, the error mapping, the
middleware and the OpenAPI document.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from coreduce.exchange.api import errors
from coreduce.exchange.api.middleware import Guard
from coreduce.exchange.api.routers import about, activity, auth, cbam, events, factors, footprints, measures, platform
from coreduce.exchange.delivery import DeliveryWorker
from coreduce.exchange.service import Exchange
from coreduce.exchange.settings import Settings
from coreduce.exchange.store.db import default_database_url, make_engine, migrate

ROUTERS = (auth, footprints, events, about, platform, activity, measures, factors, cbam)
DESCRIPTION = (
    "Implements the PACT Technical Specifications for PCF Data Exchange, version 3.0. "
    "The PACT Technical Specifications are licensed by the World Business Council for Sustainable "
    'Development (WBCSD), owner and rightholder of the Licensed Rights; they are provided "as is" '
    'and "as available" without any representations or warranties. The full notice, with the '
    "licence's disclaimer of warranties and limitation of liability, is served at `/notice`."
)


def _openapi(app: FastAPI):
    """The generated document without FastAPI's 422 responses: validation errors are 400 BadRequest here."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
            )
            for path in document["paths"].values():
                for operation in path.values():
                    operation.get("responses", {}).pop("422", None)
            for name in ("HTTPValidationError", "ValidationError"):
                document.get("components", {}).get("schemas", {}).pop(name, None)
            app.openapi_schema = document
        return app.openapi_schema

    return openapi


@asynccontextmanager
async def _delivery(app: FastAPI):
    """Run the delivery worker of queued events while the application runs (``Settings.deliver``)."""
    worker = DeliveryWorker(app.state.exchange, app.state.settings).start() if app.state.settings.deliver else None
    try:
        yield
    finally:
        if worker is not None:
            worker.stop()
        await app.state.exchange.reads.close_loop_reads()
        app.state.read_threads.shutdown(wait=False)


def create_app(settings: Settings | None = None) -> FastAPI:
    """A FastAPI application serving one exchange database, with its delivery worker; runs the migrations first."""
    settings = settings or Settings()
    engine = make_engine(settings.database_url or default_database_url())
    migrate(engine)
    app = FastAPI(
        lifespan=_delivery,
        title="coreduce footprint exchange",
        version="1.0.0",
        summary="PACT v3 product footprint exchange with a co-pollutant extension (SO2, NOx, PM2.5).",
        description=DESCRIPTION,
    )
    app.state.exchange = Exchange(
        engine,
        token_ttl=settings.token_ttl,
        outbound=settings.outbound,
        token_cache_seconds=settings.token_cache_seconds,
        page_cache_bytes=settings.page_cache_bytes,
    )
    app.state.settings = settings
    app.state.hashing = anyio.CapacityLimiter(settings.hash_threads)
    app.state.read_threads = ThreadPoolExecutor(settings.read_threads, thread_name_prefix="coreduce-read")
    errors.install(app)
    for module in ROUTERS:
        app.include_router(module.router)
    for router in settings.routers:
        app.include_router(router)
    app.openapi = _openapi(app)
    app.add_middleware(footprints.CachedListFootprints)
    app.add_middleware(Guard, settings=settings)
    return app
