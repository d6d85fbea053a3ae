"""Platform footprints: publish, share and deprecate the caller's footprints, and roll them up the supply chain.

Companies newly given access are sent a PublishedEvent when their host is configured for outbound events: the
event is queued in the transaction of the change and sent by the delivery worker.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from coreduce.exchange.api.deps import Caller, Service, base_url, events_source
from coreduce.exchange.api.errors import ERROR_RESPONSES, OWNED_RESPONSES
from coreduce.exchange.api.models import Published, PublishPayload, RollUpResponse, SharePayload
from coreduce.exchange.chain.supply import RollUpRequest
from coreduce.exchange.pact.models import Error

router = APIRouter(tags=["platform"])


@router.post(
    "/platform/footprints",
    status_code=201,
    responses={**ERROR_RESPONSES, 409: {"model": Error, "description": "Conflict: id already stored"}},
)
def publish(payload: PublishPayload, request: Request, caller: Caller, exchange: Service) -> Published:
    """Store footprints owned by the caller's company (all or none) and share them with other companies.

    Each recipient company whose host is configured for outbound events is sent a PublishedEvent afterwards.
    """
    ids = exchange.add_footprints(caller, payload.footprints, payload.shareWith, source=events_source(request))
    return Published(ids=ids)


@router.post("/platform/footprints/{id}/share", status_code=204, responses=OWNED_RESPONSES)
def share(id: str, payload: SharePayload, request: Request, caller: Caller, exchange: Service):
    """Share one of the caller's footprints with more companies; those newly given access are sent a
    PublishedEvent when their host is configured for outbound events."""
    exchange.share(caller, id, payload.shareWith, source=events_source(request))
    return Response(status_code=204)


@router.post("/platform/footprints/{id}/deprecate", status_code=204, responses=OWNED_RESPONSES)
def deprecate(id: str, request: Request, caller: Caller, exchange: Service):
    """Mark one of the caller's footprints Deprecated; the companies it is shared with are sent a PublishedEvent
    (PACT: recipients are notified of updated footprints) when their host is configured for outbound events."""
    exchange.deprecate(caller, id, source=events_source(request))
    return Response(status_code=204)


@router.post(
    "/platform/rollup",
    responses={**ERROR_RESPONSES, 404: {"model": Error, "description": "NotFound: an id that is not stored"}},
)
def rollup(request_: RollUpRequest, request: Request, caller: Caller, exchange: Service) -> RollUpResponse:
    """Totals of the caller's products including their suppliers' footprints (sparse solve, cycles allowed).

    Each input gives ``amount`` declared units of footprint ``from`` per declared unit of product ``to``.
    With ``publish`` the totals are stored as new footprints (``precedingPfIds`` = the direct footprint).
    """
    result, published = exchange.roll_up(caller, request_, base_url(request), events_source(request))
    return RollUpResponse(data=result.records(), published=published, conventions=result.conventions)
