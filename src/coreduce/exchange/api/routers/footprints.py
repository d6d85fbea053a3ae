"""PACT v3 Actions ListFootprints and GetFootprint.

Both answer with the stored JSON documents as they were stored (never parsed and re-encoded). The handlers take
the request itself rather than FastAPI-injected parameters (ListFootprints validates its query itself, see
:meth:`FootprintQuery.from_params`; its parameters are documented in :data:`LIST_PARAMETERS`), check the bearer
token through the per-process cache, and run their one database read on a worker thread. ListFootprints answers
come from the per-process page cache while the data version is unchanged (:mod:`coreduce.exchange.service.pages`:
one primary-key read on the event loop instead of the page's read).
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from coreduce.exchange.api.deps import base_url, bearer_token, on_read_thread, principal
from coreduce.exchange.api.errors import ERROR_RESPONSES
from coreduce.exchange.errors import ExchangeError
from coreduce.exchange.pact.models import Error, FootprintList, FootprintOne
from coreduce.exchange.service import Exchange, FootprintQuery
from coreduce.exchange.service.pages import CachedPage
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
    key = (caller.company_id, request.scope["query_string"])
    cached, version = await exchange.pages.lookup(key)
    if cached is None:
        cached = await _page(request, exchange, caller.company_id)
        exchange.pages.store(key, version, cached)
    return Response(cached.body, media_type="application/json", headers=_link(request, cached))


_LINK_PREFIXES: dict[tuple, str] = {}


def _link(request: Request, cached: CachedPage) -> dict[str, str]:
    """The ``Link`` header of the next page, if there is one. Its ``<base URL><path>?`` part is kept per what it
    depends on (the public base URL, scheme, server, root path, path and ``Host`` header): building Starlette's URL
    objects for each answer cost about a tenth of a kept page's CPU."""
    if cached.next_query is None:
        return {}
    scope = request.scope
    host = next((value for name, value in scope["headers"] if name == b"host"), None)
    public = request.app.state.settings.public_base_url
    key = (public, scope["scheme"], scope.get("server"), scope.get("root_path", ""), scope["path"], host)
    prefix = _LINK_PREFIXES.get(key)
    if prefix is None:
        if len(_LINK_PREFIXES) >= 256:  # e.g. many ports in Host headers: start afresh rather than grow
            _LINK_PREFIXES.clear()
        prefix = _LINK_PREFIXES[key] = f"{base_url(request)}{request.url.path}?"
    return {"Link": f'<{prefix}{cached.next_query}>; rel="next"'}


class CachedListFootprints:
    """ASGI middleware: answers ``GET /3/footprints`` before FastAPI's routing when the bearer token's holder is in
    the token cache and the page cache keeps the page (the same bytes and headers :func:`list_footprints` would
    answer); every other request, and any doubt (no token, a token not cached or expired, a page not kept), goes
    on to the application. It sits inside :class:`~coreduce.exchange.api.middleware.Guard`, so HTTPS, ``Host``,
    rate and size checks run first as for any request."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"] == "/3/footprints" and scope["method"] == "GET":
            request = Request(scope)
            exchange: Exchange = scope["app"].state.exchange
            try:
                caller = exchange.cached_principal(bearer_token(request.headers.get("authorization")))
            except ExchangeError:
                caller = None
            if caller is not None:
                cached, _ = await exchange.pages.lookup((caller.company_id, scope["query_string"]))
                if cached is not None:
                    response = Response(cached.body, media_type="application/json", headers=_link(request, cached))
                    return await response(scope, receive, send)
        await self.app(scope, receive, send)


async def _page(request: Request, exchange: Exchange, company_id: int) -> CachedPage:
    """The page the request's query asks for, read on a worker thread; its body and the next page's query."""
    settings: Settings = request.app.state.settings
    params = list(request.query_params.multi_items())
    query = FootprintQuery.from_params(params)
    limit_ = int_param(params, "limit", 1) or settings.default_page_size
    after_ = int_param(params, "after", 0) or 0
    page = await on_read_thread(
        request, exchange.list_footprints, company_id, query, min(limit_, settings.max_page_size), after_
    )
    if page.next_after is None:
        return CachedPage(page.body(), None)
    return CachedPage(
        page.body(), urlencode([*query.as_params(), ("limit", str(limit_)), ("after", str(page.next_after))])
    )


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
    document = await on_read_thread(request, exchange.footprint_document, caller.company_id, id)
    return Response(b'{"data":' + document.encode() + b"}", media_type="application/json")
