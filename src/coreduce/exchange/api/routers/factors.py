"""The emission factors behind co-accounting: who published them, under which licence, and the licence texts."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from coreduce.exchange.api.deps import Service
from coreduce.exchange.api.models import FactorAttributions
from coreduce.exchange.errors import NotFound
from coreduce.exchange.pact.models import Error

router = APIRouter(tags=["platform"])


@router.get("/platform/factors/attribution")
def factor_attribution(exchange: Service) -> FactorAttributions:
    """Publisher, licence and verification of the emission factors used in co-accounting."""
    return FactorAttributions(data=exchange.factor_library().attribution().to_dict("records"))


@router.get(
    "/platform/factors/notices/{name}",
    response_class=PlainTextResponse,
    responses={404: {"model": Error, "description": "NotFound"}},
)
def factor_notice(name: str, exchange: Service) -> str:
    """A licence text that must travel with the factors (e.g. ECL-2.0 for the GCAM coefficients)."""
    notices = exchange.factor_library().notices
    if name not in notices:
        raise NotFound(f"no notice {name!r}; notices: {sorted(notices)}")
    return notices[name]
