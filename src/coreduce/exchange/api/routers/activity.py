"""Activity uploads: co-account rows (JSON records, CSV text, or an uploaded file) into footprints with co-pollutants.

One footprint per product, owned by the caller and shared with ``shareWith`` (who are sent a PublishedEvent);
all or nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from coreduce.exchange.api.deps import Caller, Service, base_url, events_source
from coreduce.exchange.api.errors import ERROR_RESPONSES
from coreduce.exchange.api.models import AccountedFootprints
from coreduce.exchange.chain.upload import Accounted, ActivityUpload, upload_from_form
from coreduce.exchange.service import Exchange

router = APIRouter(tags=["platform"])


def _answer(exchange: Exchange, accounted: Accounted) -> AccountedFootprints:
    attribution = exchange.factor_library().attribution(accounted.factor_ids)
    return AccountedFootprints(
        ids=[str(p.id) for p in accounted.footprints],
        data=[p.to_json() for p in accounted.footprints],
        totals=accounted.totals,
        conventions=accounted.conventions,
        attribution=attribution.to_dict("records"),
    )


@router.post("/platform/activity", status_code=201, responses=ERROR_RESPONSES)
def upload_activity(upload: ActivityUpload, request: Request, caller: Caller, exchange: Service) -> AccountedFootprints:
    """Co-account uploaded activity rows (JSON records or CSV text) into footprints with co-pollutants.

    One footprint per product, owned by the caller and shared with ``shareWith`` (who are sent a
    PublishedEvent); all or nothing.
    """
    accounted = exchange.add_activity(caller, upload, base_url(request), events_source(request))
    return _answer(exchange, accounted)


@router.post("/platform/activity/file", status_code=201, responses=ERROR_RESPONSES)
async def upload_activity_file(
    request: Request,
    caller: Caller,
    exchange: Service,
    file: Annotated[UploadFile, File(description="Activity rows: CSV with a header line, or JSON records")],
    products: Annotated[str, Form(description="JSON list of products (see ActivityUpload.products)")],
    shareWith: Annotated[list[str] | None, Form(description="Company URNs to share with")] = None,
    carbon: Annotated[str, Form(description="co2_else_co2e or co2e_else_co2")] = "co2_else_co2e",
) -> AccountedFootprints:
    """The same as ``POST /platform/activity`` with the rows as an uploaded file (multipart form)."""
    upload = upload_from_form(file.filename, await file.read(), products, shareWith or [], carbon)
    accounted = await run_in_threadpool(
        exchange.add_activity, caller, upload, base_url(request), events_source(request)
    )
    return _answer(exchange, accounted)
