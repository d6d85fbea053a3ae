"""PACT v3 Action Events (CloudEvents 1.0, structured mode), and the events a company has sent to this host."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from coreduce.exchange.api.deps import Caller, Service, events_source
from coreduce.exchange.api.errors import ERROR_RESPONSES
from coreduce.exchange.api.models import ReceivedEvents
from coreduce.exchange.errors import InvalidInput

router = APIRouter()
EVENT_MEDIA_TYPES = ("application/cloudevents+json", "application/json")


@router.post(
    "/3/events",
    tags=["event"],
    status_code=200,
    response_class=Response,
    responses={**ERROR_RESPONSES, 200: {"description": "Event accepted; empty body"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {media: {"schema": {"type": "object"}} for media in EVENT_MEDIA_TYPES},
        }
    },
)
async def events(request: Request, caller: Caller, exchange: Service):
    """Action Events: accept a PACT v3 CloudEvent (structured mode); 200 with an empty body when accepted."""
    # a RequestCreatedEvent's answer is queued with the event and sent by the delivery worker; the same request
    # sent again is answered again with the same event
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in EVENT_MEDIA_TYPES:
        raise InvalidInput("content-type must be application/cloudevents+json (structured mode)")
    try:
        body = await request.json()
    except ValueError:
        raise InvalidInput("event body is not valid JSON") from None
    await run_in_threadpool(exchange.receive_event, caller, body, events_source(request))
    return Response(status_code=200)


@router.get("/platform/events", tags=["platform"], responses=ERROR_RESPONSES)
def received_events(caller: Caller, exchange: Service) -> ReceivedEvents:
    """Events the caller's company has sent to this host."""
    return ReceivedEvents(data=exchange.events(caller.company_id))
