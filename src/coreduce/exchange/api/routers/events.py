"""PACT v3 Action Events (CloudEvents 1.0, structured mode), and the events a company has sent to this host."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import Response

from coreduce.exchange.api.deps import Caller, Config, Service, base_url
from coreduce.exchange.api.errors import ERROR_RESPONSES
from coreduce.exchange.api.models import ReceivedEvents
from coreduce.exchange.chain import outbound
from coreduce.exchange.errors import InvalidInput
from coreduce.exchange.pact.events import REQUEST_CREATED

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
async def events(request: Request, caller: Caller, exchange: Service, settings: Config, background: BackgroundTasks):
    """Action Events: accept a PACT v3 CloudEvent (structured mode); 200 with an empty body when accepted."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in EVENT_MEDIA_TYPES:
        raise InvalidInput("content-type must be application/cloudevents+json (structured mode)")
    try:
        body = await request.json()
    except ValueError:
        raise InvalidInput("event body is not valid JSON") from None
    is_new, event, data = exchange.receive_event(caller, body)
    if is_new and event.type == REQUEST_CREATED:  # answered once, after this 200 (PACT: asynchronously)
        own = f"{base_url(request)}/3/events"
        background.add_task(outbound.respond, exchange, settings, caller, event.id, data, event.source, own)
    return Response(status_code=200)


@router.get("/platform/events", tags=["platform"], responses=ERROR_RESPONSES)
def received_events(caller: Caller, exchange: Service) -> ReceivedEvents:
    """Events the caller's company has sent to this host."""
    return ReceivedEvents(data=exchange.events(caller.company_id))
