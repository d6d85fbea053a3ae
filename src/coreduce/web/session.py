"""The workspace's cookies: who is signed in, and the CSRF checks of every form.

* ``coreduce_session``: the session id the service issued at sign-in (:meth:`Exchange.sign_in`); HttpOnly,
  SameSite=Lax, Secure when the request came over TLS, path ``/``, expiring with the session.
* ``coreduce_login_csrf``: a random token for the sign-in form only (double-submit: the form's hidden field must
  equal the cookie), HttpOnly, SameSite=Strict, path ``/workspace/login``.
* ``coreduce_lang``: the language chosen with the page switch.

Every other form carries the session's CSRF token, compared in constant time with the one the service stored for
the session; a POST without a live session or with another token is refused.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from coreduce.exchange.service.users import SESSION_TTL, WebUser

SESSION = "coreduce_session"
LOGIN_CSRF = "coreduce_login_csrf"
LANG = "coreduce_lang"
LOGIN_PATH = "/workspace/login"


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def current_user(request: Request) -> WebUser | None:
    """The signed-in user of the request's session cookie (None when absent, unknown or expired)."""
    return request.app.state.exchange.web_user(request.cookies.get(SESSION))


def same_token(given: str, expected: str) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def posted_user(request: Request, csrf: str) -> WebUser | None:
    """The signed-in user of a form POST whose CSRF token is the session's; None otherwise."""
    user = current_user(request)
    if user is None or not same_token(csrf, user.csrf_token):
        return None
    return user


async def posted(request: Request) -> tuple[WebUser | None, dict[str, str]]:
    """The signed-in user of a form POST (as :func:`posted_user`) and the form's text fields but the token."""
    fields = await request.form()
    user = await run_in_threadpool(posted_user, request, str(fields.get("csrf", "")))
    form = {k: v for k, v in fields.items() if k != "csrf" and isinstance(v, str)}
    return user, form


def start_session(response: Response, request: Request, session_id: str) -> None:
    response.set_cookie(
        SESSION,
        session_id,
        max_age=int(SESSION_TTL.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure(request),
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF, path=LOGIN_PATH)


def end_session(response: Response, request: Request) -> None:
    response.delete_cookie(SESSION, path="/", httponly=True, samesite="lax", secure=secure(request))


def login_token(request: Request) -> str:
    """The sign-in form's CSRF token: the cookie's when present, else a new one."""
    return request.cookies.get(LOGIN_CSRF) or secrets.token_urlsafe(32)


def keep_login_token(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        LOGIN_CSRF, token, max_age=3600, httponly=True, samesite="strict", secure=secure(request), path=LOGIN_PATH
    )


def login_token_ok(request: Request, csrf: str) -> bool:
    return same_token(csrf, request.cookies.get(LOGIN_CSRF, ""))
