"""PACT v3 Actions ListFootprints and GetFootprint.

Both answer with the stored JSON documents as they were stored (never parsed and re-encoded). The handlers take
the request itself rather than FastAPI-injected parameters (ListFootprints validates its query itself, see
:meth:`FootprintQuery.from_params`; its parameters are documented in :data:`LIST_PARAMETERS`), check the bearer
token through the per-process cache, and run their one database read on a worker thread.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from coreduce.exchange.api.deps import base_url, principal
from coreduce.exchange.api.errors import ERROR_RESPONSES
from coreduce.exchange.pact.models import Error, FootprintList, FootprintOne
from coreduce.exchange.service import Exchange, FootprintQuery
from coreduce.exchange.service.queries import int_param
from coreduce.exchange.settings import Settings

router = APIRouter()


def _query_parameter(name: str, description: str, repeated: bool = False) -> dict:
    """An optional string query parameter (a list of them when ``repeated``) as FastAPI would document it."""
    kind = {"items": {"type": "string"}, "type": "array"} if repeated else {"type": "string"}
    schema = {"anyOf": [kind, {"type": "null"}], "description": description, "title": name.title()}
    return {"description": description, "in": "query", "name": name, "required": False, "schema": schema}


LIST_PARAMETERS = [
    _query_parameter("productId", "Product ids (URNs); repeated = OR", repeated=True),
    _query_parameter("companyId", "Company ids (URNs); repeated = OR", repeated=True),
    _query_parameter("geography", "Region, country or subdivision; OR", repeated=True),
    _query_parameter("classification", "Classifications (URNs); OR", repeated=True),
    _query_parameter("validOn", "validityPeriodStart <= validOn <= End"),
    _query_parameter("validAfter", "validityPeriodStart > validAfter"),
    _query_parameter("validBefore", "validityPeriodEnd < validBefore"),
    _query_parameter("status", "Active or Deprecated"),
    _query_parameter("limit", "Maximum number of footprints (positive integer)"),
    _query_parameter("after", "Pagination cursor from a Link header"),
]


@router.get(
    "/3/footprints",
    tags=["footprint"],
    response_model=FootprintList,
    responses={**ERROR_RESPONSES, 501: {"model": Error, "description": "NotImplemented (x- filters)"}},
    openapi_extra={"parameters": LIST_PARAMETERS},
)
async def list_footprints(request: Request):
    """Action ListFootprints: footprints the caller owns or was shared, filtered, paginated by ``Link``."""
    caller = await principal(request)
    exchange: Exchange = request.app.state.exchange
    settings: Settings = request.app.state.settings
    params = list(request.query_params.multi_items())
    query = FootprintQuery.from_params(params)
    limit_ = int_param(params, "limit", 1) or settings.default_page_size
    after_ = int_param(params, "after", 0) or 0
    page = await run_in_threadpool(
        exchange.list_footprints, caller.company_id, query, min(limit_, settings.max_page_size), after_
    )
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
async def get_footprint(id: str, request: Request):
    """Action GetFootprint: one footprint by id (404 NotFound; 403 AccessDenied when not shared with you)."""
    caller = await principal(request)
    exchange: Exchange = request.app.state.exchange
    document = await run_in_threadpool(exchange.footprint_document, caller.company_id, id)
    return Response(b'{"data":' + document.encode() + b"}", media_type="application/json")
