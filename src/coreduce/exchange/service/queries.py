"""ListFootprints criteria and pages.

Filters of ListFootprints (PACT v3.0, ``components.parameters``): values of one repeated parameter are OR-ed,
different parameters are AND-ed; identifier and geography matches are case-insensitive; the validity period of a
footprint without one is the spec's default, from ``referencePeriodEnd`` for 3 years:

* ``validOn``: validityPeriodStart <= validOn <= validityPeriodEnd
* ``validAfter``: validityPeriodStart > validAfter
* ``validBefore``: validityPeriodEnd < validBefore

:meth:`FootprintQuery.from_params` validates query parameters (unknown, repeated or malformed ones are refused,
``x-`` extension filters are not implemented) so that every caller of the service gets the same checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from coreduce.exchange.errors import InvalidInput, Unsupported
from coreduce.exchange.pact.models import format_utc

FILTER_PARAMS = ("productId", "companyId", "geography", "classification", "validOn", "validAfter", "validBefore")
LIST_PARAMS = (*FILTER_PARAMS, "status", "limit", "after")
_LISTS = {
    "productId": "product_id",
    "companyId": "company_id",
    "geography": "geography",
    "classification": "classification",
}
_TIMES = {"validOn": "valid_on", "validAfter": "valid_after", "validBefore": "valid_before"}


def parse_time(name: str, value: str) -> datetime:
    """An ISO 8601 date-time with a time zone; InvalidInput naming the parameter otherwise."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{name}: expected an ISO 8601 date-time such as 2025-01-01T00:00:00Z") from None
    if parsed.tzinfo is None:
        raise InvalidInput(f"{name}: the date-time must carry a time zone, e.g. 2025-01-01T00:00:00Z")
    return parsed


def int_param(params: list[tuple[str, str]], name: str, minimum: int) -> int | None:
    """The integer parameter ``name`` (given at most once, at least ``minimum``), or None when absent."""
    values = [v for k, v in params if k == name]
    if not values:
        return None
    if len(values) > 1:
        raise InvalidInput(f"{name} may be given only once")
    try:
        number = int(values[0])
    except ValueError:
        raise InvalidInput(f"{name}: expected an integer, got {values[0]!r}") from None
    if number < minimum or number > 2**62:
        raise InvalidInput(f"{name}: must be an integer of at least {minimum}, got {number}")
    return number


@dataclass
class FootprintQuery:
    """ListFootprints criteria; empty lists mean no constraint."""

    product_id: list[str] = field(default_factory=list)
    company_id: list[str] = field(default_factory=list)
    geography: list[str] = field(default_factory=list)
    classification: list[str] = field(default_factory=list)
    valid_on: datetime | None = None
    valid_after: datetime | None = None
    valid_before: datetime | None = None
    status: str | None = None

    @classmethod
    def from_params(cls, params: list[tuple[str, str]]) -> FootprintQuery:
        """Criteria from query parameters (``limit`` and ``after`` are skipped: see :func:`int_param`)."""
        query = cls()
        singles: dict[str, str] = {}
        for name, value in params:
            if name in ("limit", "after"):
                continue
            if name.startswith("x-"):
                raise Unsupported(f"the extension filter {name!r} is not implemented by this host")
            if name not in LIST_PARAMS:
                raise InvalidInput(f"unknown query parameter {name!r}; filters are {', '.join(LIST_PARAMS)}")
            if name in _LISTS:
                if not value:
                    raise InvalidInput(f"{name}: empty value")
                getattr(query, _LISTS[name]).append(value)
                continue
            if name in singles:
                raise InvalidInput(f"{name} may be given only once")
            singles[name] = value
        for name, attr in _TIMES.items():
            if name in singles:
                setattr(query, attr, parse_time(name, singles[name]))
        query.status = singles.get("status")
        return query

    def as_params(self) -> list[tuple[str, str]]:
        """The query parameters that give these criteria back (for the next-page link)."""
        params = [(name, v) for name, attr in _LISTS.items() for v in getattr(self, attr)]
        for name, attr in _TIMES.items():
            if (value := getattr(self, attr)) is not None:
                params.append((name, format_utc(value)))
        if self.status is not None:
            params.append(("status", self.status))
        return params


@dataclass
class Page:
    """One page of ListFootprints: the stored JSON documents and the cursor of the next page (None = last)."""

    documents: list[str]
    next_after: int | None

    @property
    def footprints(self) -> list[dict]:
        return [json.loads(d) for d in self.documents]

    def body(self) -> bytes:
        """The response body ``{"data": [...]}`` assembled from the stored documents without re-encoding them."""
        return b'{"data":[' + ",".join(self.documents).encode() + b"]}"
