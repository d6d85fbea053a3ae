"""The supplier workspace's sign-in, sign-out and API-client pages, and what every workspace page shares.

Every number and every decision comes from the service (:class:`coreduce.exchange.service.Exchange`): signing in
(:meth:`sign_in`), the company's clients (:meth:`clients`, :meth:`new_client`, :meth:`change_client`, admin
only). A page without a live session sends the browser to the sign-in page; a form posted without the session's
CSRF token is refused with 403 and changes nothing. Service refusals become pages with the same status the API
gives (400, 403, 404), in the user's language.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from coreduce.exchange.errors import AccessDenied, ExchangeError, InvalidInput, NotFound
from coreduce.exchange.service.users import WebUser
from coreduce.i18n import LANGUAGES
from coreduce.web import session
from coreduce.web.pages import PageRoute, language
from coreduce.web.pages import _render as render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Text = Annotated[str, Form()]
STATUS = {InvalidInput: 400, AccessDenied: 403, NotFound: 404}


def lang_of(request: Request) -> str:
    return language(request, request.query_params.get("lang"))


def page(request: Request, user: WebUser | None, name: str, status: int = 200, **context) -> HTMLResponse:
    """A workspace page in the user's language; never cached; the language switch is remembered in a cookie."""
    lang = lang_of(request)
    here = request.url.path if request.method == "GET" else "/workspace"
    response = render(name, lang, status, user=user, here=here, switch_query=lambda code: f"lang={code}", **context)
    response.headers["Cache-Control"] = "no-store"
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(session.LANG, lang, max_age=365 * 86400, samesite="lax", secure=session.secure(request))
    return response


def to_login() -> RedirectResponse:
    return RedirectResponse(session.LOGIN_PATH, status_code=303)


def refused(request: Request, user: WebUser | None, exc: ExchangeError) -> HTMLResponse:
    """A service refusal as a page (404 for an id that is absent or another company's: the same answer)."""
    status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 400)
    return page(request, user, "workspace/message.html", status, heading=f"ws.error.{status}", detail=exc.message)


def forbidden(request: Request) -> HTMLResponse:
    """The answer to a form posted without a live session or with a wrong CSRF token."""
    return page(request, None, "workspace/message.html", 403, heading="ws.error.csrf", detail="")


def exchange(request: Request):
    return request.app.state.exchange


@router.get("/workspace/login")
def login_form(request: Request) -> HTMLResponse:
    token = session.login_token(request)
    response = render_login(request, token, None, "")
    session.keep_login_token(response, request, token)
    return response


def render_login(request: Request, token: str, error: str | None, login: str) -> HTMLResponse:
    """The sign-in form (shown again with its problem, 200, after a failed attempt)."""
    return page(request, None, "workspace/login.html", csrf=token, error=error, login=login)


@router.post("/workspace/login")
def login(request: Request, login: Text = "", password: Text = "", csrf: Text = "") -> Response:
    """Sign in: a new session id (the one the browser held is dropped), then the footprints page."""
    if not session.login_token_ok(request, csrf):
        return forbidden(request)
    try:
        session_id, _ = exchange(request).sign_in(login, password, replacing=request.cookies.get(session.SESSION))
    except AccessDenied:
        return render_login(request, csrf, "ws.login.failed", login)
    response = RedirectResponse("/workspace", status_code=303)
    session.start_session(response, request, session_id)
    return response


@router.post("/workspace/logout")
def logout(request: Request, csrf: Text = "") -> Response:
    if session.posted_user(request, csrf) is None:
        return forbidden(request)
    exchange(request).sign_out(request.cookies[session.SESSION])
    response = to_login()
    session.end_session(response, request)
    return response


@router.get("/workspace/clients")
def clients(request: Request) -> Response:
    """The company's PACT API clients (admin only)."""
    user = session.current_user(request)
    if user is None:
        return to_login()
    try:
        rows = exchange(request).clients(user)
    except ExchangeError as exc:
        return refused(request, user, exc)
    return page(request, user, "workspace/clients.html", clients=rows, made=None)


@router.post("/workspace/clients")
def new_client(request: Request, csrf: Text = "") -> Response:
    """New client credentials; the secret is on this page only."""
    user = session.posted_user(request, csrf)
    if user is None:
        return forbidden(request)
    try:
        made = exchange(request).new_client(user)
        rows = exchange(request).clients(user)
    except ExchangeError as exc:
        return refused(request, user, exc)
    return page(request, user, "workspace/clients.html", clients=rows, made=made)


@router.post("/workspace/clients/{client_id}/{action}")
def change_client(request: Request, client_id: str, action: str, csrf: Text = "") -> Response:
    """Rotate a client's secret (the new one is on this page only) or revoke the client."""
    user = session.posted_user(request, csrf)
    if user is None:
        return forbidden(request)
    try:
        made = exchange(request).change_client(user, client_id, action)
        rows = exchange(request).clients(user)
    except ExchangeError as exc:
        return refused(request, user, exc)
    return page(request, user, "workspace/clients.html", clients=rows, made=made)
