"""Decision support: measures ranked by CO2 + pollutant reduction per yuan, their MAC curve, and the catalogue."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from coreduce.exchange.api.deps import Caller, Service
from coreduce.exchange.api.errors import ERROR_RESPONSES
from coreduce.exchange.api.models import MeasureCatalogue, MeasureRankingResponse
from coreduce.exchange.chain import advice
from coreduce.exchange.chain.measures import load_measures

router = APIRouter(tags=["platform"])


@router.post("/platform/measures", responses=ERROR_RESPONSES)
def measures(request_: advice.MeasuresRequest, caller: Caller, exchange: Service) -> MeasureRankingResponse:
    """Measures (fuel switch, efficiency, end-of-pipe, green electricity, mode shift) for the given activity,
    ranked by weighted CO2 + pollutant reduction per yuan; trade-offs (a pollutant raised) are flagged."""
    return MeasureRankingResponse(**advice.ranking_body(exchange.rank_measures(request_)))


@router.post(
    "/platform/measures/mac.svg",
    response_class=Response,
    responses={**ERROR_RESPONSES, 200: {"content": {"image/svg+xml": {}}, "description": "MAC curve (SVG)"}},
)
def measures_mac(
    request_: advice.MeasuresRequest,
    caller: Caller,
    exchange: Service,
    basis: Annotated[Literal["co2", "weighted"], Query(description="Bar width: CO2 abated or weighted W")] = "co2",
):
    """The marginal abatement cost curve of the ranked measures, with each measure's co-benefits labelled."""
    return Response(advice.mac_svg(exchange.rank_measures(request_), basis), media_type="image/svg+xml")


@router.get("/platform/measures/catalogue")
def measures_catalogue() -> MeasureCatalogue:
    """The measure catalogue: effects, costs and the citation and verification of every number."""
    return MeasureCatalogue(data=load_measures())
