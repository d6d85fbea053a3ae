"""PACT v3 Actions ListFootprints and GetFootprint."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from coreduce.exchange.api.deps import Caller, Config, Service, base_url
from coreduce.exchange.api.errors import ERROR_RESPONSES
from coreduce.exchange.pact.models import Error, FootprintList, FootprintOne
from coreduce.exchange.service import FootprintQuery
from coreduce.exchange.service.queries import int_param

router = APIRouter()


@router.get(
    "/3/footprints",
    tags=["footprint"],
    response_model=FootprintList,
    responses={**ERROR_RESPONSES, 501: {"model": Error, "description": "NotImplemented (x- filters)"}},
)
def list_footprints(
    request: Request,
    caller: Caller,
    exchange: Service,
    settings: Config,
    productId: Annotated[list[str] | None, Query(description="Product ids (URNs); repeated = OR")] = None,
    companyId: Annotated[list[str] | None, Query(description="Company ids (URNs); repeated = OR")] = None,
    geography: Annotated[list[str] | None, Query(description="Region, country or subdivision; OR")] = None,
    classification: Annotated[list[str] | None, Query(description="Classifications (URNs); OR")] = None,
    validOn: Annotated[str | None, Query(description="validityPeriodStart <= validOn <= End")] = None,
    validAfter: Annotated[str | None, Query(description="validityPeriodStart > validAfter")] = None,
    validBefore: Annotated[str | None, Query(description="validityPeriodEnd < validBefore")] = None,
    status: Annotated[str | None, Query(description="Active or Deprecated")] = None,
    limit: Annotated[str | None, Query(description="Maximum number of footprints (positive integer)")] = None,
    after: Annotated[str | None, Query(description="Pagination cursor from a Link header")] = None,
):
    """Action ListFootprints: footprints the caller owns or was shared, filtered, paginated by ``Link``."""
    params = list(request.query_params.multi_items())
    query = FootprintQuery.from_params(params)
    limit_ = int_param(params, "limit", 1) or settings.default_page_size
    after_ = int_param(params, "after", 0) or 0
    page = exchange.list_footprints(caller.company_id, query, min(limit_, settings.max_page_size), after_)
    headers = {}
    if page.next_after is not None:
        next_params = [*query.as_params(), ("limit", str(limit_)), ("after", str(page.next_after))]
        link = f"{base_url(request)}{request.url.path}?{urlencode(next_params)}"
        headers["Link"] = f'<{link}>; rel="next"'
    return Response(page.body(), media_type="application/json", headers=headers)


@router.get(
    "/3/footprints/{id}",
    tags=["footprint"],
    response_model=FootprintOne,
    responses={**ERROR_RESPONSES, 404: {"model": Error, "description": "NotFound"}},
)
def get_footprint(id: str, caller: Caller, exchange: Service):
    """Action GetFootprint: one footprint by id (404 NotFound; 403 AccessDenied when not shared with you)."""
    return {"data": exchange.get_footprint(caller.company_id, id)}
