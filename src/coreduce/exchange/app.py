"""The exchange's HTTP API: PACT v3 actions plus the platform endpoints, as a FastAPI application.

PACT v3 (Technical Specifications for PCF Data Exchange 3.0): ``POST /auth/token`` (OAuth2 client credentials,
RFC 6749 §4.4, client authentication by HTTP Basic), ``GET /.well-known/openid-configuration``,
``GET /3/footprints`` (filters and ``Link: <…>; rel="next"`` pagination), ``GET /3/footprints/{id}`` and
``POST /3/events`` (CloudEvents 1.0 structured mode). Errors are ``{"code", "message"}`` bodies (see
:mod:`coreduce.exchange.errors`). Invalid bearer tokens get 400 BadRequest (the PACT conformance test cases 6, 7
and 16), expired ones 401 TokenExpired, a missing one 403 AccessDenied.
"""

import base64
import binascii
import json
import logging
from datetime import datetime
from importlib.resources import files
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlencode

from fastapi import BackgroundTasks, Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from coreduce.exchange import advice, callbacks, copollutant
from coreduce.exchange.advice import MeasuresRequest
from coreduce.exchange.chain import RollUpRequest
from coreduce.exchange.db import default_database_url, make_engine, migrate
from coreduce.exchange.errors import ApiError, describe
from coreduce.exchange.events import REQUEST_CREATED, RequestCreatedData, parse_event
from coreduce.exchange.models import Error, FootprintList, FootprintOne, ProductFootprint
from coreduce.exchange.service import Exchange, FootprintQuery, Principal
from coreduce.exchange.settings import Settings
from coreduce.exchange.upload import ActivityUpload

log = logging.getLogger("coreduce.exchange")

FILTER_PARAMS = ("productId", "companyId", "geography", "classification", "validOn", "validAfter", "validBefore")
LIST_PARAMS = (*FILTER_PARAMS, "status", "limit", "after")
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": Error, "description": "BadRequest"},
    401: {"model": Error, "description": "TokenExpired"},
    403: {"model": Error, "description": "AccessDenied"},
    413: {"model": Error, "description": "PayloadTooLarge"},
    500: {"model": Error, "description": "InternalError"},
}


OWNED_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    404: {"model": Error, "description": "NotFound: no footprint with this id owned by the caller"},
}


def notice_text() -> str:
    """The notice the PACT Technical Specifications licence (Section 3.2) requires, shipped as NOTICE.md."""
    return files("coreduce.exchange").joinpath("NOTICE.md").read_text(encoding="utf-8")


def _error(code: str, message: str, status: int | None = None, headers: dict | None = None) -> JSONResponse:
    body = {"code": code, "message": message}
    return JSONResponse(body, status_code=status or ApiError(code, message).status, headers=headers)


class BodyLimit:
    """ASGI middleware: answer 413 PayloadTooLarge when a request body exceeds ``max_bytes`` (declared or sent).

    The body is read (up to the limit) before the application runs, so an oversized streamed body is refused
    before anything is parsed or stored.
    """

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        message = f"request body larger than the limit of {self.max_bytes} bytes"
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    return await _error("BadRequest", "Content-Length is not an integer")(scope, receive, send)
                if too_big:
                    return await _error("PayloadTooLarge", message)(scope, receive, send)
        chunks, size = [], 0
        while True:
            event = await receive()
            if event["type"] != "http.request":
                return  # client disconnected
            chunk = event.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return await _error("PayloadTooLarge", message)(scope, receive, send)
            chunks.append(chunk)
            if not event.get("more_body", False):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class HttpsOnly:
    """ASGI middleware: refuse requests that did not arrive over TLS (PACT: actions are offered over HTTPS only)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope.get("scheme") != "https":
            response = _error("BadRequest", "plain HTTP is refused: this service is offered over HTTPS only")
            return await response(scope, receive, send)
        return await self.app(scope, receive, send)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int


class SharePayload(BaseModel):
    shareWith: list[str] = Field(min_length=1)


class PublishPayload(BaseModel):
    """Footprints to store, owned by the caller's company, and the companies (URNs) they are shared with."""

    footprints: list[dict[str, Any]] = Field(min_length=1, max_length=1000)
    shareWith: list[str] = Field(default_factory=list)


def _parse_time(name: str, value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ApiError("BadRequest", f"{name}: expected an ISO 8601 date-time such as 2025-01-01T00:00:00Z") from None
    if parsed.tzinfo is None:
        raise ApiError("BadRequest", f"{name}: the date-time must carry a time zone, e.g. 2025-01-01T00:00:00Z")
    return parsed


def query_from_params(params: list[tuple[str, str]]) -> FootprintQuery:
    """Filter criteria from query parameters; raises BadRequest/NotImplemented on unknown or malformed ones."""
    query = FootprintQuery()
    singles: dict[str, str] = {}
    for name, value in params:
        if name in ("limit", "after"):
            continue
        if name.startswith("x-"):
            raise ApiError("NotImplemented", f"the extension filter {name!r} is not implemented by this host")
        if name not in LIST_PARAMS:
            raise ApiError("BadRequest", f"unknown query parameter {name!r}; filters are {', '.join(LIST_PARAMS)}")
        if name in ("validOn", "validAfter", "validBefore", "status"):
            if name in singles:
                raise ApiError("BadRequest", f"{name} may be given only once")
            singles[name] = value
            continue
        if not value:
            raise ApiError("BadRequest", f"{name}: empty value")
        {
            "productId": query.product_id,
            "companyId": query.company_id,
            "geography": query.geography,
            "classification": query.classification,
        }[name].append(value)
    if "validOn" in singles:
        query.valid_on = _parse_time("validOn", singles["validOn"])
    if "validAfter" in singles:
        query.valid_after = _parse_time("validAfter", singles["validAfter"])
    if "validBefore" in singles:
        query.valid_before = _parse_time("validBefore", singles["validBefore"])
    query.status = singles.get("status")
    return query


def _int_param(params: list[tuple[str, str]], name: str, minimum: int) -> int | None:
    values = [v for k, v in params if k == name]
    if not values:
        return None
    if len(values) > 1:
        raise ApiError("BadRequest", f"{name} may be given only once")
    try:
        number = int(values[0])
    except ValueError:
        raise ApiError("BadRequest", f"{name}: expected an integer, got {values[0]!r}") from None
    if number < minimum or number > 2**62:
        raise ApiError("BadRequest", f"{name}: must be an integer of at least {minimum}, got {number}")
    return number


def principal(request: Request) -> Principal:
    """The caller named by the request's bearer token (see module docstring for the error codes)."""
    header = request.headers.get("authorization")
    if not header:
        raise ApiError("AccessDenied", "missing Authorization header: send 'Bearer <access token>'")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError("BadRequest", "Authorization header must be 'Bearer <access token>'")
    return request.app.state.exchange.principal(token.strip())


Caller = Annotated[Principal, Depends(principal)]


def create_app(settings: Settings | None = None) -> FastAPI:
    """A FastAPI application serving one exchange database; runs the migrations first."""
    settings = settings or Settings()
    engine = make_engine(settings.database_url or default_database_url())
    migrate(engine)
    exchange = Exchange(engine, token_ttl=settings.token_ttl)

    app = FastAPI(
        title="coreduce footprint exchange",
        version="1.0.0",
        summary="PACT v3 product footprint exchange with a co-pollutant extension (SO2, NOx, PM2.5).",
        description=(
            "Implements the PACT Technical Specifications for PCF Data Exchange, version 3.0. "
            "The PACT Technical Specifications are licensed by the World Business Council for Sustainable "
            'Development (WBCSD), owner and rightholder of the Licensed Rights; they are provided "as is" '
            'and "as available" without any representations or warranties. The full notice, with the '
            "licence's disclaimer of warranties and limitation of liability, is served at `/notice`."
        ),
    )
    app.state.exchange = exchange
    app.state.settings = settings

    @app.exception_handler(ApiError)
    async def _api_error(_request, exc: ApiError):
        return _error(exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request, exc: RequestValidationError):
        parts = []
        for error in exc.errors()[:10]:
            loc = ".".join(str(p) for p in error["loc"] if p != "body") or "body"
            parts.append(f"{loc}: {error['msg']}")
        return _error("BadRequest", "; ".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request, exc: StarletteHTTPException):
        code = {404: "NotFound", 403: "AccessDenied", 401: "TokenExpired"}.get(exc.status_code, "BadRequest")
        return _error(code, str(exc.detail), status=exc.status_code)

    @app.exception_handler(Exception)
    async def _internal(_request, exc: Exception):
        log.exception("internal error")
        return _error("InternalError", "an internal or unexpected error has occurred")

    def base_url(request: Request) -> str:
        return settings.public_base_url or str(request.base_url).rstrip("/")

    def announce_later(background: BackgroundTasks, request: Request, caller: Principal, ids, recipients) -> None:
        """Queue the PublishedEvent of ``ids`` to ``recipients``' hosts; it runs after the response, i.e. after the
        storing transaction has committed, and its outcome cannot undo that transaction."""
        if ids and recipients:
            own = f"{base_url(request)}/3/events"
            background.add_task(callbacks.announce, exchange, settings, caller, list(ids), list(recipients), own)

    # ------------------------------------------------------------------ authentication
    @app.get("/.well-known/openid-configuration", tags=["auth"])
    def openid_configuration(request: Request) -> dict[str, Any]:
        """OpenID Provider Configuration Document (OpenID Connect Discovery 1.0 §3) with the token endpoint."""
        base = base_url(request)
        return {
            "issuer": base,
            "token_endpoint": f"{base}/auth/token",
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "response_types_supported": ["token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["none"],
            "jwks_uri": f"{base}/.well-known/jwks.json",
        }

    @app.get("/.well-known/jwks.json", tags=["auth"])
    def jwks() -> dict[str, Any]:
        """No signing keys: access tokens are opaque."""
        return {"keys": []}

    @app.post(
        "/auth/token",
        tags=["auth"],
        response_model=TokenResponse,
        responses={400: {"description": "invalid_request"}, 401: {"description": "invalid_client"}},
    )
    async def token(request: Request):
        """Action Authenticate: OAuth2 client credentials grant (RFC 6749 §4.4), credentials by HTTP Basic."""

        def oauth_error(error: str, description: str, status: int = 400, headers: dict | None = None):
            return JSONResponse({"error": error, "error_description": description}, status, headers=headers)

        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("application/x-www-form-urlencoded"):
            return oauth_error("invalid_request", "body must be application/x-www-form-urlencoded")
        try:
            form = await request.form()
        except Exception:
            return oauth_error("invalid_request", "body is not a valid form")
        client_id = client_secret = None
        header = request.headers.get("authorization", "")
        if header.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return oauth_error("invalid_client", "malformed Basic credentials", 401, {"WWW-Authenticate": "Basic"})
            client_id, sep, client_secret = decoded.partition(":")
            if not sep:
                return oauth_error("invalid_client", "malformed Basic credentials", 401, {"WWW-Authenticate": "Basic"})
            client_id, client_secret = unquote(client_id), unquote(client_secret)
        elif isinstance(form.get("client_id"), str) and isinstance(form.get("client_secret"), str):
            client_id, client_secret = form["client_id"], form["client_secret"]
        grant_type = form.get("grant_type")
        if grant_type is None:
            return oauth_error("invalid_request", "grant_type is required")
        if grant_type != "client_credentials":
            return oauth_error("unsupported_grant_type", "only grant_type=client_credentials is supported")
        if not client_id:
            return oauth_error("invalid_client", "client authentication required", 401, {"WWW-Authenticate": "Basic"})
        try:
            access_token, ttl = exchange.issue_token(client_id, client_secret or "")
        except PermissionError:
            return oauth_error("invalid_client", "Authentication failed", 401, {"WWW-Authenticate": "Basic"})
        return JSONResponse(
            {"access_token": access_token, "token_type": "Bearer", "expires_in": ttl},
            headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
        )

    # ------------------------------------------------------------------ PACT v3 actions
    @app.get(
        "/3/footprints",
        tags=["footprint"],
        response_model=FootprintList,
        responses={**ERROR_RESPONSES, 501: {"model": Error, "description": "NotImplemented (x- filters)"}},
    )
    def list_footprints(
        request: Request,
        caller: Caller,
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
        query = query_from_params(params)
        limit_ = _int_param(params, "limit", 1) or settings.default_page_size
        after_ = _int_param(params, "after", 0) or 0
        page = exchange.list_footprints(caller.company_id, query, min(limit_, settings.max_page_size), after_)
        headers = {}
        if page.next_after is not None:
            next_params = [*query.as_params(), ("limit", str(limit_)), ("after", str(page.next_after))]
            link = str(request.url.replace(query=urlencode(next_params)))
            headers["Link"] = f'<{link}>; rel="next"'
        return Response(page.body(), media_type="application/json", headers=headers)

    @app.get(
        "/3/footprints/{id}",
        tags=["footprint"],
        response_model=FootprintOne,
        responses={**ERROR_RESPONSES, 404: {"model": Error, "description": "NotFound"}},
    )
    def get_footprint(id: str, caller: Caller):
        """Action GetFootprint: one footprint by id (404 NotFound; 403 AccessDenied when not shared with you)."""
        return {"data": exchange.get_footprint(caller.company_id, id)}

    @app.post(
        "/3/events",
        tags=["event"],
        status_code=200,
        response_class=Response,
        responses={**ERROR_RESPONSES, 200: {"description": "Event accepted; empty body"}},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/cloudevents+json": {"schema": {"type": "object"}},
                    "application/json": {"schema": {"type": "object"}},
                },
            }
        },
    )
    async def events(request: Request, caller: Caller, background: BackgroundTasks):
        """Action Events: accept a PACT v3 CloudEvent (structured mode); 200 with an empty body when accepted."""
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in ("application/cloudevents+json", "application/json"):
            raise ApiError("BadRequest", "content-type must be application/cloudevents+json (structured mode)")
        try:
            body = await request.json()
        except ValueError:
            raise ApiError("BadRequest", "event body is not valid JSON") from None
        event, data = parse_event(body)
        if event.type == REQUEST_CREATED:
            assert isinstance(data, RequestCreatedData)
            extras = [k for k in (data.model_extra or {}) if not k.startswith("x-")]
            if extras:
                raise ApiError("BadRequest", f"data: unknown criteria {extras}")
        is_new = exchange.record_event(caller, event.id, event.source, event.type, body)
        if is_new and event.type == REQUEST_CREATED:  # answered once, after this 200 (PACT: asynchronously)
            own = f"{base_url(request)}/3/events"
            background.add_task(callbacks.respond, exchange, settings, caller, event.id, data, event.source, own)
        return Response(status_code=200)

    # ------------------------------------------------------------------ extension schema and notice
    @app.get(copollutant.SCHEMA_PATH, tags=["extension"])
    def copollutant_schema() -> dict[str, Any]:
        """JSON Schema of the co-pollutant data-model extension's ``data`` object."""
        return copollutant.json_schema()

    @app.get("/notice", tags=["about"], response_class=PlainTextResponse)
    def notice() -> str:
        """Attribution and disclaimer required by the licence of the PACT Technical Specifications."""
        return notice_text()

    # ------------------------------------------------------------------ platform endpoints
    @app.post(
        "/platform/footprints",
        tags=["platform"],
        status_code=201,
        responses={**ERROR_RESPONSES, 409: {"model": Error, "description": "Conflict: id already stored"}},
    )
    def publish(
        payload: PublishPayload, request: Request, caller: Caller, background: BackgroundTasks
    ) -> dict[str, list[str]]:
        """Store footprints owned by the caller's company (all or none) and share them with other companies.

        Each recipient company whose host is configured for outbound events is sent a PublishedEvent afterwards.
        """
        footprints = []
        for i, raw in enumerate(payload.footprints):
            try:
                pf = ProductFootprint.model_validate(raw)
            except ValidationError as exc:
                raise ApiError("BadRequest", describe(exc, f"footprints.{i}")) from None
            for j, ext in enumerate(pf.extensions or []):
                if copollutant.is_copollutant(ext):
                    try:
                        copollutant.CoPollutantData.model_validate(ext.data)
                    except ValidationError as exc:
                        raise ApiError("BadRequest", describe(exc, f"footprints.{i}.extensions.{j}.data")) from None
            footprints.append(pf)
        ids = [str(p.id) for p in footprints]
        if len(set(ids)) != len(ids):
            raise ApiError("BadRequest", "footprints: the same id appears more than once")
        ids = exchange.add_footprints(caller, footprints, payload.shareWith)
        announce_later(background, request, caller, ids, payload.shareWith)
        return {"ids": ids}

    @app.post("/platform/footprints/{id}/share", tags=["platform"], status_code=204, responses=OWNED_RESPONSES)
    def share(id: str, payload: SharePayload, request: Request, caller: Caller, background: BackgroundTasks):
        """Share one of the caller's footprints with more companies; those newly given access are sent a
        PublishedEvent when their host is configured for outbound events."""
        added = exchange.share(caller, id, payload.shareWith)
        announce_later(background, request, caller, [id], added)
        return Response(status_code=204)

    @app.post("/platform/footprints/{id}/deprecate", tags=["platform"], status_code=204, responses=OWNED_RESPONSES)
    def deprecate(id: str, request: Request, caller: Caller, background: BackgroundTasks):
        """Mark one of the caller's footprints Deprecated; the companies it is shared with are sent a PublishedEvent
        (PACT: recipients are notified of updated footprints) when their host is configured for outbound events."""
        announce_later(background, request, caller, [id], exchange.deprecate(caller, id))
        return Response(status_code=204)

    def accounted_body(accounted) -> dict[str, Any]:
        library = exchange.factor_library()
        attribution = library.attribution(accounted.factor_ids)
        return {
            "ids": [str(p.id) for p in accounted.footprints],
            "data": [p.to_json() for p in accounted.footprints],
            "totals": accounted.totals,
            "conventions": accounted.conventions,
            "attribution": attribution.to_dict("records"),
        }

    @app.post("/platform/activity", tags=["platform"], status_code=201, responses=ERROR_RESPONSES)
    def upload_activity(
        upload: ActivityUpload, request: Request, caller: Caller, background: BackgroundTasks
    ) -> dict[str, Any]:
        """Co-account uploaded activity rows (JSON records or CSV text) into footprints with co-pollutants.

        One footprint per product, owned by the caller and shared with ``shareWith`` (who are sent a
        PublishedEvent); all or nothing.
        """
        accounted = exchange.add_activity(caller, upload, base_url(request))
        announce_later(background, request, caller, [str(p.id) for p in accounted.footprints], upload.shareWith)
        return accounted_body(accounted)

    @app.post("/platform/activity/file", tags=["platform"], status_code=201, responses=ERROR_RESPONSES)
    async def upload_activity_file(
        request: Request,
        caller: Caller,
        background: BackgroundTasks,
        file: Annotated[UploadFile, File(description="Activity rows: CSV with a header line, or JSON records")],
        products: Annotated[str, Form(description="JSON list of products (see ActivityUpload.products)")],
        shareWith: Annotated[list[str] | None, Form(description="Company URNs to share with")] = None,
        carbon: Annotated[str, Form(description="co2_else_co2e or co2e_else_co2")] = "co2_else_co2e",
    ) -> dict[str, Any]:
        """The same as ``POST /platform/activity`` with the rows as an uploaded file (multipart form)."""
        raw = await file.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ApiError("BadRequest", f"file {file.filename!r}: not UTF-8 text (CSV or JSON expected)") from None
        try:
            specs = json.loads(products)
        except ValueError:
            raise ApiError("BadRequest", "products: not valid JSON (expected a list of product objects)") from None
        try:
            upload = ActivityUpload(products=specs, activities=text, shareWith=shareWith or [], carbon=carbon)
        except ValidationError as exc:
            raise ApiError("BadRequest", describe(exc)) from None
        accounted = await run_in_threadpool(exchange.add_activity, caller, upload, base_url(request))
        announce_later(background, request, caller, [str(p.id) for p in accounted.footprints], upload.shareWith)
        return accounted_body(accounted)

    @app.post(
        "/platform/rollup",
        tags=["platform"],
        responses={**ERROR_RESPONSES, 404: {"model": Error, "description": "NotFound: an id that is not stored"}},
    )
    def rollup(
        request_: RollUpRequest, request: Request, caller: Caller, background: BackgroundTasks
    ) -> dict[str, Any]:
        """Totals of the caller's products including their suppliers' footprints (sparse solve, cycles allowed).

        Each input gives ``amount`` declared units of footprint ``from`` per declared unit of product ``to``.
        With ``publish`` the totals are stored as new footprints (``precedingPfIds`` = the direct footprint).
        """
        result, published = exchange.roll_up(caller, request_, base_url(request))
        announce_later(background, request, caller, published, request_.shareWith)
        return {"data": result.records(), "published": published, "conventions": result.conventions}

    @app.post("/platform/measures", tags=["platform"], responses=ERROR_RESPONSES)
    def measures(request_: MeasuresRequest, caller: Caller) -> dict[str, Any]:
        """Measures (fuel switch, efficiency, end-of-pipe, green electricity, mode shift) for the given activity,
        ranked by weighted CO2 + pollutant reduction per yuan; trade-offs (a pollutant raised) are flagged."""
        return advice.ranking_body(advice.rank(request_, exchange.factor_library()))

    @app.post(
        "/platform/measures/mac.svg",
        tags=["platform"],
        response_class=Response,
        responses={**ERROR_RESPONSES, 200: {"content": {"image/svg+xml": {}}, "description": "MAC curve (SVG)"}},
    )
    def measures_mac(
        request_: MeasuresRequest,
        caller: Caller,
        basis: Annotated[Literal["co2", "weighted"], Query(description="Bar width: CO2 abated or weighted W")] = "co2",
    ):
        """The marginal abatement cost curve of the ranked measures, with each measure's co-benefits labelled."""
        ranking = advice.rank(request_, exchange.factor_library())
        return Response(advice.mac_svg(ranking, basis), media_type="image/svg+xml")

    @app.get("/platform/measures/catalogue", tags=["platform"])
    def measures_catalogue() -> dict[str, Any]:
        """The measure catalogue: effects, costs and the citation and verification of every number."""
        from coreduce.exchange.measures import load_measures

        return {"data": load_measures()}

    @app.get("/platform/factors/attribution", tags=["platform"])
    def factor_attribution() -> dict[str, list[dict[str, Any]]]:
        """Publisher, licence and verification of the emission factors used in co-accounting."""
        return {"data": exchange.factor_library().attribution().to_dict("records")}

    @app.get(
        "/platform/factors/notices/{name}",
        tags=["platform"],
        response_class=PlainTextResponse,
        responses={404: {"model": Error, "description": "NotFound"}},
    )
    def factor_notice(name: str) -> str:
        """A licence text that must travel with the factors (e.g. ECL-2.0 for the GCAM coefficients)."""
        notices = exchange.factor_library().notices
        if name not in notices:
            raise ApiError("NotFound", f"no notice {name!r}; notices: {sorted(notices)}")
        return notices[name]

    @app.get("/platform/events", tags=["platform"], responses=ERROR_RESPONSES)
    def received_events(caller: Caller) -> dict[str, list[dict[str, Any]]]:
        """Events the caller's company has sent to this host."""
        return {"data": exchange.events(caller.company_id)}

    def openapi() -> dict[str, Any]:
        """The generated document without FastAPI's 422 responses: validation errors are 400 BadRequest here."""
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

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

    app.openapi = openapi
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if settings.require_https:
        app.add_middleware(HttpsOnly)
    return app
