"""The pages' router: the research explorer, its analyses, its downloads, reports built on request and the
shipped stylesheet.

Every response of this router carries a Content-Security-Policy of ``default-src 'self'`` (plus no framing, no
``<base>``, forms only to this origin), so the browser fetches nothing from another host; a built report, one
self-contained HTML file, also allows its inline stylesheet and data: images. The language is the
``?lang=`` switch when given, else the one chosen before (cookie), else the first of zh/en in ``Accept-Language``
(by q-value), else zh.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

import pandas as pd
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, select_autoescape

from coreduce.geo.basemap import basemap_source
from coreduce.i18n import LANGUAGES, message
from coreduce.results import Result
from coreduce.web import analyses, explorer, explorer_map, reports
from coreduce.web.chart import line_chart

CSP = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
MARKS = {"interpolated": "*", "corrected": "†"}  # as `coreduce data show` marks them
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "dta": "application/x-stata-dta",
}
SHOWN_ROWS = 200
"""Rows of a result's main table shown on its page; the downloads hold all of them."""


class PageRoute(APIRoute):
    """A route whose every response carries :data:`HEADERS` (a header the route set itself is kept)."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def with_headers(request: Request) -> Response:
            response = await handler(request)
            for name, value in HEADERS.items():
                response.headers.setdefault(name, value)  # a route may set a stricter or its own policy
            return response

        return with_headers


router = APIRouter(route_class=PageRoute, include_in_schema=False)
templates = Environment(
    loader=PackageLoader("coreduce.web", "templates"),
    autoescape=select_autoescape(),
    trim_blocks=True,
    lstrip_blocks=True,
)


def language(request: Request, lang: str | None) -> str:
    """``lang`` when it is zh or en, else the language chosen before (the ``coreduce_lang`` cookie the workspace's
    switch sets), else the best of zh/en in the Accept-Language header, else zh."""
    if lang in LANGUAGES:
        return lang
    if (chosen := request.cookies.get("coreduce_lang")) in LANGUAGES:
        return chosen
    ranked = []
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        base = tag.strip().lower().split("-")[0]
        if base in LANGUAGES and q > 0:
            ranked.append((-q, len(ranked), base))
    return min(ranked)[2] if ranked else "zh"


def _render(name: str, lang: str, status_code: int = 200, **context) -> HTMLResponse:
    def t(key: str, **params) -> str:
        return message(f"web.{key}", lang, **params)

    html = templates.get_template(name).render(lang=lang, t=t, **context)
    return HTMLResponse(html, status_code=status_code)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/explore", status_code=303)


@router.get("/static/web/{name}")
def static(name: str) -> Response:
    """The stylesheet and icon shipped in the package (only these two names)."""
    media = {"web.css": "text/css; charset=utf-8", "icon.svg": "image/svg+xml"}
    if name not in media:
        return Response("not found", status_code=404, media_type="text/plain")
    body = (files("coreduce.web") / "static" / name).read_bytes()
    return Response(body, media_type=media[name], headers={"Cache-Control": "public, max-age=3600"})


def _selection(
    variable: str, geo: list[str], first: int | None, last: int | None, region: list[str] = ()
) -> tuple[explorer.Selection, list[str]]:
    """The selection asked for, and the region members the panel has no row for."""
    geos, left_out = explorer.with_regions(geo, list(region), explorer.index().geos)
    return explorer.Selection(variable, tuple(geos) or ("100000",), first, last), left_out


Geo = Annotated[list[str], Query()]


@router.get("/explore", response_class=HTMLResponse)
def explore(
    request: Request,
    variable: str = explorer.DEFAULT_VARIABLE,
    geo: Geo = [],  # noqa: B006 (FastAPI copies query defaults)
    first: int | None = None,
    last: int | None = None,
    lang: str | None = None,
    region: Geo = [],  # noqa: B006
) -> HTMLResponse:
    """The explorer: a form, the chart and the table of the chosen rows, links to download them."""
    lang = language(request, lang)
    source = explorer.index()
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    context = {
        "selection": explorer.Selection(variable, tuple(geo) or ("100000",), first, last),
        "variables": source.variables,
        "geo_name": explorer.geo_name,
        "kind_of": explorer.kind_of,
        "geos": source.geos,
        "regions": explorer.regions(lang),
        "picked": region,
        "analyses": [(a.name, message(a.title, lang)) for a in analyses.ANALYSES.values()],
        "switch_query": lambda code: urlencode([*params, ("lang", code)]),
        "map_query": lambda year: urlencode({"variable": variable, "year": year, "lang": lang}),
    }
    try:
        selection, left_out = _selection(variable, geo, first, last, region)
        context["selection"] = selection
        rows = selection.rows(source)
    except explorer.SelectionError as exc:
        return _render("explore.html", lang, 400, error=str(exc), **context)
    years, cells = explorer.grid(rows, selection.geos)
    return _render(
        "explore.html",
        lang,
        error=None,
        chart=line_chart(rows, {code: explorer.geo_name(code, lang) for code in selection.geos}),
        unit=source.panel.unit_of(selection.variable),
        publishers=source.publishers,
        data_query=urlencode(params),
        years=years,
        cells=cells,
        marks=MARKS,
        absent=", ".join(explorer.geo_name(g, lang) for g in selection.geos if not cells[g]),
        left_out=", ".join(explorer.geo_name(g, lang) for g in left_out),
        map_year=explorer_map.map_year(selection.variable, selection.first, selection.last),
        basemap=basemap_source(),
        **context,
    )


@router.get("/explore/data.{fmt}")
def explore_download(
    fmt: str,
    variable: str = explorer.DEFAULT_VARIABLE,
    geo: Geo = [],  # noqa: B006
    first: int | None = None,
    last: int | None = None,
    region: Geo = [],  # noqa: B006
) -> Response:
    """The rows the explorer shows for the same query, as CSV, xlsx or Stata dta (written by the panel's
    export)."""
    try:
        selection, _ = _selection(variable, geo, first, last, region)
        body = explorer.download(selection, fmt, explorer.index())
    except explorer.SelectionError as exc:
        return Response(str(exc), status_code=400, media_type="text/plain; charset=utf-8")
    filename = f"{selection.variable}.{fmt}".replace('"', "")
    return Response(body, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _cell(value) -> str:
    """A table cell as text: numbers to 6 significant digits, missing as —."""
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _main_table(result: Result, lang: str) -> tuple[list[str], list[list[str]], int]:
    """The main table's columns and first :data:`SHOWN_ROWS` rows as text (names beside geography codes)."""
    frame = result.to_frame()
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    if "geo" in frame.columns and "name" not in frame.columns:
        frame.insert(frame.columns.get_loc("geo") + 1, "name", [explorer.geo_name(str(g), lang) for g in frame["geo"]])
    rows = [[_cell(v) for v in row] for row in frame.head(SHOWN_ROWS).itertuples(index=False)]
    return [str(c) for c in frame.columns], rows, len(frame)


def _source_lines(sources: pd.DataFrame) -> list[str]:
    """Publisher, title, licence and citation of each source (never the server's file paths)."""
    columns = [c for c in ("publisher", "title", "licence", "citation") if c in sources.columns]
    return [" | ".join(str(v) for v in row if str(v)) for row in sources[columns].itertuples(index=False)]


@router.get("/explore/analysis/{name}.{fmt}")
def analysis_download(name: str, fmt: str, request: Request) -> Response:
    """The whole result of the analysis under the page's conventions: CSV (main table) or xlsx (every table,
    conventions, missing data, notes, sources), written by :meth:`Result.write`."""
    if fmt not in ("csv", "xlsx"):
        return Response(f"format: expected csv or xlsx, not {fmt!r}", status_code=400, media_type="text/plain")
    try:
        result = analyses.result(name, analyses.conventions_from(request.query_params))
    except explorer.SelectionError as exc:
        return Response(str(exc), status_code=400, media_type="text/plain; charset=utf-8")
    with tempfile.TemporaryDirectory(prefix="coreduce-web-") as folder:
        body = result.write(Path(folder) / f"{name}.{fmt}", lang=language(request, None)).read_bytes()
    return Response(
        body, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    )


@router.get("/explore/analysis/{name}", response_class=HTMLResponse)
def analysis_page(name: str, request: Request, lang: str | None = None) -> HTMLResponse:
    """One analysis: its main table, the conventions it used, the data it lacked, its notes and sources."""
    lang = language(request, lang)
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    query = dict(params)
    context = {
        "current": name,
        "analyses": [(a.name, message(a.title, lang)) for a in analyses.ANALYSES.values()],
        "choices": [(k, query.get(k, ""), "year" if k in ("start", "end") else "text") for k in analyses.CHOICES],
        "switch_query": lambda code: urlencode([*params, ("lang", code)]),
        "title": message(analyses.ANALYSES[name].title, lang) if name in analyses.ANALYSES else name,
    }
    try:
        result = analyses.result(name, analyses.conventions_from(query))
    except explorer.SelectionError as exc:
        status = 404 if name not in analyses.ANALYSES else 400
        return _render("analysis.html", lang, status, error=str(exc), **context)
    columns, rows, total = _main_table(result, lang)
    return _render(
        "analysis.html",
        lang,
        error=None,
        columns=columns,
        rows=rows,
        shown=len(rows),
        total=total,
        conventions=result.conventions_frame(lang).to_dict("records"),
        missing=result.missing_frame(lang).to_dict("records"),
        notes=result.notes_text(lang),
        sources=_source_lines(result.sources),
        data_query=urlencode(params),
        **context,
    )


REPORT_CSP = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
    "frame-ancestors 'none'; object-src 'none'"
)
"""The built report is one self-contained HTML file (its stylesheet inline, figures as data: URIs)."""


@router.get("/explore/report", response_class=HTMLResponse)
def report_page(request: Request, key: str | None = None, lang: str | None = None) -> HTMLResponse:
    """The report form and, for ``key``, the build's progress (the page refreshes itself until it is done)."""
    lang = language(request, lang)
    context = {
        "choices": [(k, "") for k in reports.CHOICES if k != "lang"],
        "switch_query": lambda code: urlencode([("key", key or ""), ("lang", code)]),
        "job": reports.job(key) if key else None,
    }
    if key and context["job"] is None:
        return _render("report.html", lang, 404, error=message("web.report.unknown", lang), **context)
    return _render("report.html", lang, error=None, **context)


@router.get("/explore/report/build")
def report_build(request: Request) -> Response:
    """Ask for the report of the chosen configuration (idempotent: the same choices give the same build) and go
    to its progress page."""
    query = dict(request.query_params)
    lang = language(request, query.get("lang"))
    query["lang"] = lang
    try:
        job = reports.request(reports.config_from(query))
    except reports.ReportRequestError as exc:
        context = {"choices": [(k, query.get(k, "")) for k in reports.CHOICES if k != "lang"], "job": None}
        context["switch_query"] = lambda code: urlencode([("lang", code)])
        status = 429 if "being built" in str(exc) else 400
        return _render("report.html", lang, status, error=str(exc), **context)
    return RedirectResponse(f"/explore/report?{urlencode({'key': job.key, 'lang': lang})}", status_code=303)


@router.get("/explore/report/{key}/{name}")
def report_file(key: str, name: str) -> Response:
    """A file of a finished build: ``report.html`` (shown) or ``report.toml`` (downloaded)."""
    path = reports.report_file(key, name)
    if path is None:
        return Response("not found", status_code=404, media_type="text/plain")
    if path.suffix == ".html":
        headers = {"Content-Security-Policy": REPORT_CSP}
        return Response(path.read_bytes(), media_type="text/html; charset=utf-8", headers=headers)
    return Response(path.read_bytes(), media_type="text/plain; charset=utf-8")


@router.get("/explore/map.png")
def explore_map(request: Request, variable: str, year: int, lang: str | None = None) -> Response:
    """The variable's province values in ``year`` on the standard map of China, as PNG."""
    try:
        body = explorer_map.map_png(variable, year, language(request, lang))
    except explorer.SelectionError as exc:
        return Response(str(exc), status_code=400, media_type="text/plain; charset=utf-8")
    return Response(body, media_type="image/png", headers={"Cache-Control": "public, max-age=3600"})
