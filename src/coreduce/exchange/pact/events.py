"""CloudEvents 1.0 (structured JSON mode) events of the PACT v3 Action Events.

The four v3 event types and their ``data`` payloads, from the PACT Technical Specifications v3.0
(components ``PublishedEvent``, ``RequestCreatedEvent``, ``RequestFulfilledEvent``, ``RequestRejectedEvent``):

* ``org.wbcsd.pact.ProductFootprint.PublishedEvent.3`` — ``data.pfIds``: non-empty list of footprint UUIDs;
* ``org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3`` — ``data``: the ListFootprints filter criteria
  (productId, companyId, geography, classification lists; validOn/validAfter/validBefore; status) and comment;
* ``org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3`` — ``data.requestEventId`` and non-empty ``pfs``;
* ``org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3`` — ``data.requestEventId`` and ``error``.

The envelope follows CloudEvents 1.0: ``specversion`` = "1.0", non-empty ``id``, ``source`` and ``type``; PACT
also requires ``time``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coreduce.exchange.errors import InvalidInput, describe
from coreduce.exchange.pact.models import Error, IdString, ProductFootprint, UtcDateTime

PUBLISHED = "org.wbcsd.pact.ProductFootprint.PublishedEvent.3"
REQUEST_CREATED = "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3"
REQUEST_FULFILLED = "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3"
REQUEST_REJECTED = "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3"
EVENT_TYPES = (PUBLISHED, REQUEST_CREATED, REQUEST_FULFILLED, REQUEST_REJECTED)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PublishedData(_Strict):
    pfIds: list[IdString] = Field(min_length=1)


class RequestCreatedData(BaseModel):
    """Filter criteria of a footprint request; ``x-<implementor>-<criterion>`` extras are allowed by the spec."""

    model_config = ConfigDict(extra="allow")
    productId: list[str] | None = Field(default=None, min_length=1)
    companyId: list[str] | None = Field(default=None, min_length=1)
    geography: list[str] | None = Field(default=None, min_length=1)
    classification: list[str] | None = Field(default=None, min_length=1)
    validOn: UtcDateTime | None = None
    validAfter: UtcDateTime | None = None
    validBefore: UtcDateTime | None = None
    status: str | None = None
    comment: str | None = None


class RequestFulfilledData(_Strict):
    requestEventId: str = Field(min_length=1)
    pfs: list[ProductFootprint] = Field(min_length=1)


class RequestRejectedData(_Strict):
    requestEventId: str = Field(min_length=1)
    error: Error


DATA_MODELS: dict[str, type[BaseModel]] = {
    PUBLISHED: PublishedData,
    REQUEST_CREATED: RequestCreatedData,
    REQUEST_FULFILLED: RequestFulfilledData,
    REQUEST_REJECTED: RequestRejectedData,
}


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 envelope with a PACT v3 event type; ``data`` is checked against the type's model."""

    model_config = ConfigDict(extra="allow")
    specversion: Literal["1.0"]
    id: str = Field(min_length=1, max_length=256)
    source: str = Field(min_length=1, max_length=2048)
    type: Literal[PUBLISHED, REQUEST_CREATED, REQUEST_FULFILLED, REQUEST_REJECTED]
    time: UtcDateTime
    datacontenttype: str | None = None
    data: dict[str, Any]

    def parsed_data(self) -> BaseModel:
        return DATA_MODELS[self.type].model_validate(self.data)


def parse_event(body: Any) -> tuple[CloudEvent, BaseModel]:
    """Validate an event body; raises :class:`~coreduce.exchange.errors.InvalidInput` naming the offending fields."""
    if not isinstance(body, dict):
        raise InvalidInput("event body must be a JSON object (CloudEvents structured mode)")
    if body.get("type") not in EVENT_TYPES and isinstance(body.get("type"), str):
        raise InvalidInput(f"type: unknown event type {body['type']!r}; expected one of {list(EVENT_TYPES)}")
    try:
        event = CloudEvent.model_validate(body)
    except ValidationError as exc:
        raise InvalidInput("invalid CloudEvent: " + describe(exc)) from None
    try:
        data = event.parsed_data()
    except ValidationError as exc:
        raise InvalidInput(f"invalid {event.type} event: " + describe(exc, "data")) from None
    return event, data
