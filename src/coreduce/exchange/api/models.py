"""Typed request and response models of the platform endpoints (the PACT models are in :mod:`~coreduce.exchange.pact`).

Request models of the service (``ActivityUpload``, ``RollUpRequest``, ``MeasuresRequest``) live beside the
operations they drive, in :mod:`coreduce.exchange.chain`; the ones here exist only for HTTP.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class PublishPayload(BaseModel):
    """Footprints to store, owned by the caller's company, and the companies (URNs) they are shared with."""

    footprints: list[dict[str, Any]] = Field(min_length=1, max_length=1000)
    shareWith: list[str] = Field(default_factory=list)


class SharePayload(BaseModel):
    shareWith: list[str] = Field(min_length=1)


class Published(BaseModel):
    """Ids of the footprints stored."""

    ids: list[str]


class FactorAttribution(BaseModel):
    """Publisher and licence of a group of emission factors, and the notice that must travel with them."""

    publisher: str
    licence: str
    factors: int = Field(description="Number of factors from this publisher under this licence.")
    unverified: int = Field(description="How many of them their provenance marks as unverified.")
    notice: str = Field(description="Name of the licence text served at /platform/factors/notices/{name}, or ''.")


class FactorAttributions(BaseModel):
    data: list[FactorAttribution]


class AccountedFootprints(BaseModel):
    """Footprints built from an activity upload, with the co-accounting behind them."""

    ids: list[str]
    data: list[dict[str, Any]] = Field(description="The stored PACT v3 footprints.")
    totals: list[dict[str, Any]] = Field(description="Per product: key, productIds, rows, kg per pollutant.")
    conventions: dict[str, Any]
    attribution: list[FactorAttribution]


class RolledProduct(BaseModel):
    """One product's direct, upstream and total quantities per declaredUnitAmount (decimal strings)."""

    id: str
    direct: dict[str, str]
    upstream: dict[str, str]
    total: dict[str, str]
    incomplete: list[str] = Field(description="Quantities some footprint upstream does not carry (counted as 0).")


class RollUpResponse(BaseModel):
    data: list[RolledProduct]
    published: list[str] = Field(description="Ids of the footprints stored with the totals (publish=true).")
    conventions: dict[str, Any]


class MeasureRankingResponse(BaseModel):
    """Measures ranked by weighted CO2 + pollutant reduction per yuan (null where a number is not finite)."""

    data: list[dict[str, Any]]
    baseline_kg: dict[str, float | None]
    tradeoffs: list[dict[str, Any]]
    conventions: dict[str, Any]


class MeasureCatalogue(BaseModel):
    """The measure catalogue: effects, costs, and the citation and verification of every number."""

    data: list[dict[str, Any]]


class ReceivedEvents(BaseModel):
    """CloudEvents the caller's company has sent to this host, oldest first."""

    data: list[dict[str, Any]]
