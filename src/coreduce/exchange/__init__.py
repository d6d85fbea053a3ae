"""The supply-chain footprint exchange: a PACT v3 API with a co-pollutant extension, over SQLite or PostgreSQL.

Parts, each a sub-package:

- ``pact``: the PACT v3 data model (footprints, CloudEvents of Action Events, the co-pollutant extension);
- ``store``: the database (tables, Alembic migrations, the footprint and audit repositories);
- ``chain``: the supply chain (co-accounted activity uploads, roll-up across tiers, measures and advice, the
  events this host sends);
- ``service``: :class:`~coreduce.exchange.service.Exchange`, every operation and every validation for Python users,
  the CLI and the API, raising the domain errors of :mod:`coreduce.exchange.errors`;
- ``api``: the FastAPI routers (one per area), their typed models and the one mapping of errors to HTTP.

``create_app(settings)`` builds the FastAPI application; ``serve`` (:mod:`coreduce.exchange.server`) runs it under
uvicorn with TLS. Emission factors and co-accounting come from :mod:`coreduce.accounting`.
"""

from coreduce.exchange.settings import Settings

__all__ = ["Settings", "create_app"]


def create_app(settings: Settings | None = None):
    """The FastAPI application of one exchange database (imported lazily: FastAPI is needed only to serve)."""
    from coreduce.exchange.api.app import create_app as _create_app

    return _create_app(settings)
