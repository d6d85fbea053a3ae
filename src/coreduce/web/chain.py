"""The workspace's supply-chain pages: roll-up, ranked measures with the MAC chart, the CBAM cost, the events.

Each page is a form and the service's answer: :meth:`Exchange.roll_up` (totals over the supply chain),
:meth:`Exchange.rank_measures` and :func:`coreduce.exchange.chain.mac.mac_bars` (the MAC curve's bars, drawn
here as SVG by :func:`coreduce.web.chart.mac_chart`), :func:`coreduce.cbam.certificates.certificates` (CBAM
certificates and their cost at default values), :meth:`Exchange.sent_events` and :meth:`Exchange.events` (the company's
events queued for other hosts, and those received).
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from coreduce.exchange.api.deps import base_url, events_source
from coreduce.exchange.chain.advice import MeasuresRequest
from coreduce.exchange.chain.mac import mac_bars
from coreduce.exchange.chain.supply import QUANTITIES, RollUpRequest
from coreduce.exchange.chain.upload import activity_text
from coreduce.exchange.errors import ExchangeError, InvalidInput, describe
from coreduce.exchange.service import FootprintQuery
from coreduce.web import session
from coreduce.web.chart import mac_chart
from coreduce.web.pages import PageRoute
from coreduce.web.workspace import exchange, forbidden, page, to_login

router = APIRouter(route_class=PageRoute, include_in_schema=False)
INPUT_ROWS = 5
CBAM_LINES = 3
WEIGHTINGS = ("equal_normalised", "env_tax")


def _viewer(request: Request):
    return session.current_user(request)


@router.get("/workspace/rollup")
def rollup_form(request: Request) -> Response:
    user = _viewer(request)
    if user is None:
        return to_login()
    return _rollup_page(request, user, {}, None, None)


def _rollup_page(request, user, form: dict, result, error: str | None) -> Response:
    known = exchange(request).list_footprints(user.company_id, FootprintQuery(), 200).footprints
    return page(
        request,
        user,
        "workspace/rollup.html",
        form=form,
        rows=range(INPUT_ROWS),
        known=known,
        result=result,
        quantities=QUANTITIES,
        error=error,
    )


@router.post("/workspace/rollup")
async def rollup(request: Request) -> Response:
    """Totals of one product over its inputs (optionally published as a new footprint)."""
    user, form = await session.posted(request)
    if user is None:
        return forbidden(request)
    inputs = [
        {"to": form.get("product", "").strip(), "from": form[f"from{i}"].strip(), "amount": form.get(f"amount{i}", "")}
        for i in range(INPUT_ROWS)
        if form.get(f"from{i}", "").strip()
    ]
    try:
        try:
            body = RollUpRequest(
                products=[form.get("product", "").strip()], inputs=inputs, publish=form.get("publish") == "on"
            )
        except ValidationError as exc:
            raise InvalidInput(describe(exc)) from None
        result, published = await run_in_threadpool(
            exchange(request).roll_up, user.principal, body, base_url(request), events_source(request)
        )
    except ExchangeError as exc:
        return await run_in_threadpool(_rollup_page, request, user, form, None, exc.message)
    answer = {"records": result.records(), "published": published, "conventions": result.conventions}
    return await run_in_threadpool(_rollup_page, request, user, form, answer, None)


@router.get("/workspace/measures")
def measures_form(request: Request) -> Response:
    user = _viewer(request)
    if user is None:
        return to_login()
    return page(request, user, "workspace/measures.html", form={}, weightings=WEIGHTINGS, ranking=None, error=None)


@router.post("/workspace/measures")
async def measures(request: Request, file: Annotated[UploadFile | None, File()] = None) -> Response:
    """The measure catalogue ranked for the uploaded activity, and its MAC curve (CO2 basis)."""
    user, form = await session.posted(request)
    if user is None:
        return forbidden(request)
    context = {"form": form, "weightings": WEIGHTINGS}
    try:
        text = activity_text(file.filename if file else None, await file.read() if file else b"")
        price = form.get("co2_price", "").strip()
        try:
            body = MeasuresRequest(
                activities=text, weighting=form.get("weighting", WEIGHTINGS[0]), co2_price=price or None
            )
        except ValidationError as exc:
            raise InvalidInput(describe(exc)) from None
        ranking = await run_in_threadpool(exchange(request).rank_measures, body)
        curve = mac_bars(ranking, "co2")
    except ExchangeError as exc:
        return page(request, user, "workspace/measures.html", ranking=None, error=exc.message, **context)
    return page(
        request,
        user,
        "workspace/measures.html",
        ranking=ranking,
        rows=ranking.table.to_dict("records"),
        curve=curve,
        chart=mac_chart(curve),
        inf=float("inf"),
        error=None,
        **context,
    )


@router.get("/workspace/cbam")
def cbam_form(request: Request) -> Response:
    user = _viewer(request)
    if user is None:
        return to_login()
    return page(request, user, "workspace/cbam.html", form={}, lines=range(CBAM_LINES), result=None, error=None)


def _imports(form: dict[str, str]) -> list[dict]:
    """The import lines filled in the form (a line without a CN code is empty)."""
    lines = []
    for i in range(CBAM_LINES):
        if not form.get(f"cn{i}", "").strip():
            continue
        line = {"cn": form[f"cn{i}"].strip(), "country": form.get(f"country{i}", "").strip().upper()}
        try:
            line["mass_t"] = float(form.get(f"mass{i}", ""))
        except ValueError:
            raise InvalidInput(f"line {i + 1}, mass_t: expected a number of tonnes") from None
        if form.get(f"route{i}", "").strip():
            line["route"] = form[f"route{i}"].strip()
        lines.append(line)
    if not lines:
        raise InvalidInput("imports: at least one line with a CN code is needed")
    return lines


def _certificates(form: dict[str, str]):
    """:func:`coreduce.cbam.certificates.certificates` of the form's lines at default values for its year and
    certificate price."""
    from coreduce.cbam.certificates import certificates
    from coreduce.cbam.conventions import CbamConventions
    from coreduce.cbam.model import CbamInputError
    from coreduce.cbam.reference import ReferenceError
    from coreduce.conventions import ConventionError

    try:
        options = {"cbam_year": int(form.get("year") or 2026)}
        if form.get("price", "").strip():
            options["cbam_certificate_price_eur"] = float(form["price"])
        conventions = CbamConventions.from_mapping(options)
        return certificates(_imports(form), conventions=conventions)
    except (CbamInputError, ConventionError, ReferenceError, ValueError) as exc:
        raise InvalidInput(str(exc)) from None


@router.post("/workspace/cbam")
async def cbam(request: Request) -> Response:
    """CBAM certificates due and their cost for import lines at default values (nothing is stored)."""
    user, form = await session.posted(request)
    if user is None:
        return forbidden(request)
    context = {"form": form, "lines": range(CBAM_LINES)}
    try:
        result = await run_in_threadpool(_certificates, form)
    except ExchangeError as exc:
        return page(request, user, "workspace/cbam.html", result=None, error=exc.message, **context)
    return page(request, user, "workspace/cbam.html", result=result, error=None, **context)


@router.get("/workspace/events")
def events(request: Request) -> Response:
    """The events the company's changes queued for other hosts (the outbox, newest first) and the events other
    hosts sent to it (oldest first)."""
    user = _viewer(request)
    if user is None:
        return to_login()
    received = exchange(request).events(user.company_id)
    shown = [{"type": e.get("type"), "source": e.get("source"), "time": e.get("time"), "id": e.get("id"),
              "data": json.dumps(e.get("data"), ensure_ascii=False)[:400]} for e in received]  # fmt: skip
    sent = exchange(request).sent_events(user.company_id)
    return page(request, user, "workspace/events.html", events=shown, sent=sent)
