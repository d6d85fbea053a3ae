"""The workspace's footprints: upload activity spreadsheets, list and read footprints, share and deprecate them.

An upload goes through the exchange's own import (:func:`coreduce.exchange.chain.upload.activity_text` for CSV,
JSON or xlsx, then :meth:`Exchange.add_activity`, all or nothing); when rows do not validate, the page shows the
uploaded sheet with each problem on its row and nothing is stored. Lists, details, sharing and deprecation are
the service's :meth:`list_footprints`, :meth:`footprint_view`, :meth:`share` and :meth:`deprecate` (which
queue the PublishedEvents of the companies newly given access, as the API's do); an id that is
absent or belongs to another company gets the same 404 page.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from coreduce.exchange.api.deps import base_url, events_source
from coreduce.exchange.chain.upload import ActivityUpload, activity_text
from coreduce.exchange.errors import ExchangeError, InvalidInput, describe
from coreduce.exchange.pact import copollutant
from coreduce.exchange.pact.models import DeclaredUnit
from coreduce.exchange.service import FootprintQuery
from coreduce.web import session
from coreduce.web.pages import PageRoute
from coreduce.web.workspace import Text, exchange, forbidden, page, refused, to_login

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE_SIZE = 50
SHOWN_ROWS = 1000
UNITS = DeclaredUnit.__args__
PRODUCT_FIELDS = ("productNameCompany", "productId", "producedAmount", "productMassPerDeclaredUnit",
                  "declaredUnitOfMeasurement", "referencePeriodStart", "referencePeriodEnd", "geographyCountry",
                  "shareWith")  # fmt: skip


@router.get("/workspace")
def footprints(request: Request, after: int = 0) -> Response:
    """The footprints the company owns or was shared, in storage order, a page at a time."""
    user = session.current_user(request)
    if user is None:
        return to_login()
    found = exchange(request).list_footprints(user.company_id, FootprintQuery(), PAGE_SIZE, max(after, 0))
    return page(request, user, "workspace/footprints.html", footprints=found.footprints, next_after=found.next_after)


def extension(document: dict) -> dict:
    """The co-pollutant extension's data of a footprint document ({} when it has none)."""
    for ext in document.get("extensions") or []:
        if str(ext.get("dataSchema", "")).endswith(copollutant.SCHEMA_PATH):
            return ext.get("data", {})
    return {}


@router.get("/workspace/footprints/{footprint_id}")
def footprint(request: Request, footprint_id: str) -> Response:
    user = session.current_user(request)
    if user is None:
        return to_login()
    try:
        view = exchange(request).footprint_view(user.company_id, footprint_id)
    except ExchangeError as exc:
        return refused(request, user, exc)
    return page(request, user, "workspace/footprint.html", view=view, pf=view.document, co=extension(view.document))


@router.post("/workspace/footprints/{footprint_id}/{action}")
def change(request: Request, footprint_id: str, action: str, csrf: Text = "", company: Text = "") -> Response:
    """Share the footprint with a company (by URN) or deprecate it; then back to the footprint."""
    user = session.posted_user(request, csrf)
    if user is None:
        return forbidden(request)
    try:
        if action == "share":
            exchange(request).share(user.principal, footprint_id, [company.strip()], events_source(request))
        elif action == "deprecate":
            exchange(request).deprecate(user.principal, footprint_id, events_source(request))
        else:
            raise InvalidInput(f"action: expected share or deprecate, got {action!r}")
    except ExchangeError as exc:
        return refused(request, user, exc)
    return RedirectResponse(f"/workspace/footprints/{footprint_id}", status_code=303)


def sheet(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The uploaded CSV as shown: its header and up to :data:`SHOWN_ROWS` non-empty lines with their numbers (the
    numbers the import's messages use)."""
    if text.lstrip().startswith(("[", "{")):
        return [], []
    reader = csv.reader(io.StringIO(text.lstrip()))
    header = next(reader, [])
    rows = [(reader.line_num, values) for values in reader if any(v.strip() for v in values)]
    return header, rows[:SHOWN_ROWS]


def product(form: dict[str, str]) -> dict:
    """The one product of an upload form as the import's product fields (dates at 00:00 UTC)."""
    spec = {
        "productIds": [form["productId"].strip()],
        "productNameCompany": form["productNameCompany"].strip(),
        "declaredUnitOfMeasurement": form["declaredUnitOfMeasurement"],
        "producedAmount": form["producedAmount"].strip(),
        "productMassPerDeclaredUnit": form["productMassPerDeclaredUnit"].strip(),
        "referencePeriodStart": f"{form['referencePeriodStart']}T00:00:00Z",
        "referencePeriodEnd": f"{form['referencePeriodEnd']}T00:00:00Z",
    }
    if form["geographyCountry"].strip():
        spec["geographyCountry"] = form["geographyCountry"].strip().upper()
    return spec


@router.get("/workspace/upload")
def upload_form(request: Request) -> Response:
    user = session.current_user(request)
    if user is None:
        return to_login()
    blank = dict.fromkeys(PRODUCT_FIELDS, "") | {"declaredUnitOfMeasurement": "kilogram"}
    return page(request, user, "workspace/upload.html", form=blank, units=UNITS, error=None, header=[], rows=[], bad={})


@router.post("/workspace/upload")
async def upload(request: Request, file: Annotated[UploadFile | None, File()] = None) -> Response:
    """Co-account the uploaded activity into a footprint (then show it), or show the form again (200, as every form
    shown again with its problems) with every bad row's problem in place."""
    user, fields = await session.posted(request)
    if user is None:
        return forbidden(request)
    form = {name: fields.get(name, "") for name in PRODUCT_FIELDS}
    context = {"form": form, "units": UNITS, "header": [], "rows": []}
    try:
        text = activity_text(file.filename if file else None, await file.read() if file else b"")
        context["header"], context["rows"] = sheet(text)
        share = [form["shareWith"].strip()] if form["shareWith"].strip() else []
        try:
            upload = ActivityUpload(products=[product(form)], activities=text, shareWith=share)
        except ValidationError as exc:
            raise InvalidInput(describe(exc)) from None
        accounted = await run_in_threadpool(
            exchange(request).add_activity, user.principal, upload, base_url(request), events_source(request)
        )
    except ExchangeError as exc:
        bad = getattr(exc, "rows", {})
        return page(request, user, "workspace/upload.html", error=exc.message, bad=bad, **context)
    return RedirectResponse(f"/workspace/footprints/{accounted.footprints[0].id}", status_code=303)
