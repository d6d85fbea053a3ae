"""The pages' router: the research explorer, its downloads and the shipped stylesheet.

Every response of this router carries a Content-Security-Policy of ``default-src 'self'`` (plus no framing, no
``<base>``, forms only to this origin), so the browser fetches nothing from another host. The language is the
``?lang=`` switch when given, else the first of zh/en in ``Accept-Language`` (by q-value), else zh.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, select_autoescape

from coreduce.i18n import LANGUAGES, message
from coreduce.web import explorer
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
}


class PageRoute(APIRoute):
    """A route whose every response carries :data:`HEADERS`."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def with_headers(request: Request) -> Response:
            response = await handler(request)
            response.headers.update(HEADERS)
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
    """``lang`` when it is zh or en, else the best of zh/en in the Accept-Language header, else zh."""
    if lang in LANGUAGES:
        return lang
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


def _selection(variable: str, geo: list[str], first: int | None, last: int | None) -> explorer.Selection:
    return explorer.Selection(variable, tuple(dict.fromkeys(geo)) or ("100000",), first, last)


Geo = Annotated[list[str], Query()]


@router.get("/explore", response_class=HTMLResponse)
def explore(
    request: Request,
    variable: str = explorer.DEFAULT_VARIABLE,
    geo: Geo = [],  # noqa: B006 (FastAPI copies query defaults)
    first: int | None = None,
    last: int | None = None,
    lang: str | None = None,
) -> HTMLResponse:
    """The explorer: a form, the chart and the table of the chosen rows, links to download them."""
    lang = language(request, lang)
    source = explorer.index()
    selection = _selection(variable, geo, first, last)
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    context = {
        "selection": selection,
        "variables": source.variables,
        "geo_name": explorer.geo_name,
        "geos": source.geos,
        "switch_query": lambda code: urlencode([*params, ("lang", code)]),
    }
    try:
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
        **context,
    )


@router.get("/explore/data.{fmt}")
def explore_download(
    fmt: str,
    variable: str = explorer.DEFAULT_VARIABLE,
    geo: Geo = [],  # noqa: B006
    first: int | None = None,
    last: int | None = None,
) -> Response:
    """The rows the explorer shows for the same query, as CSV or xlsx (written by the panel's export)."""
    selection = _selection(variable, geo, first, last)
    try:
        body = explorer.download(selection, fmt, explorer.index())
    except explorer.SelectionError as exc:
        return Response(str(exc), status_code=400, media_type="text/plain; charset=utf-8")
    filename = f"{selection.variable}.{fmt}".replace('"', "")
    return Response(body, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{filename}"'})
