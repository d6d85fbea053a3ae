"""The supply-chain footprint exchange: a PACT v3 API with a co-pollutant extension, over SQLite or PostgreSQL.

``create_app(settings)`` builds the FastAPI application; :class:`Exchange` holds every operation for Python
users and the CLI; ``serve`` runs it under uvicorn with TLS.
"""

from coreduce.exchange.settings import Settings

__all__ = ["Settings", "create_app"]


def create_app(settings: Settings | None = None):
    from coreduce.exchange.app import create_app as _create_app

    return _create_app(settings)
