"""PACT v3 Action Authenticate: OAuth2 client credentials (RFC 6749 §4.4) and OpenID Connect discovery."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import unquote

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from coreduce.exchange.api.deps import Caller, Service, base_url
from coreduce.exchange.api.errors import OWNED_RESPONSES
from coreduce.exchange.errors import InvalidClient

router = APIRouter()


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int


class OAuthError(Exception):
    """An RFC 6749 §5.2 error answer: ``{"error", "error_description"}``."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(description)
        self.error, self.description, self.status = error, description, status

    def response(self) -> JSONResponse:
        headers = {"WWW-Authenticate": "Basic"} if self.status == 401 else None
        return JSONResponse({"error": self.error, "error_description": self.description}, self.status, headers=headers)


def _basic(header: str) -> tuple[str, str]:
    """(client id, secret) from an HTTP Basic header, percent-decoded (RFC 6749 §2.3.1)."""
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_client", "malformed Basic credentials", 401) from None
    client_id, sep, client_secret = decoded.partition(":")
    if not sep:
        raise OAuthError("invalid_client", "malformed Basic credentials", 401)
    return unquote(client_id), unquote(client_secret)


async def _credentials(request: Request) -> tuple[str, str]:
    """The client credentials of a token request (Basic header, else form fields); OAuthError when invalid."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise OAuthError("invalid_request", "body must be application/x-www-form-urlencoded")
    try:
        form = await request.form()
    except Exception:
        raise OAuthError("invalid_request", "body is not a valid form") from None
    client_id = client_secret = None
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        client_id, client_secret = _basic(header)
    elif isinstance(form.get("client_id"), str) and isinstance(form.get("client_secret"), str):
        client_id, client_secret = form["client_id"], form["client_secret"]
    grant_type = form.get("grant_type")
    if grant_type is None:
        raise OAuthError("invalid_request", "grant_type is required")
    if grant_type != "client_credentials":
        raise OAuthError("unsupported_grant_type", "only grant_type=client_credentials is supported")
    if not client_id:
        raise OAuthError("invalid_client", "client authentication required", 401)
    return client_id, client_secret or ""


@router.get("/.well-known/openid-configuration", tags=["auth"])
def openid_configuration(request: Request) -> dict[str, Any]:
    """OpenID Provider Configuration Document (OpenID Connect Discovery 1.0 §3) with the token endpoint."""
    base = base_url(request)
    return {
        "issuer": base,
        "token_endpoint": f"{base}/auth/token",
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["none"],
        "jwks_uri": f"{base}/.well-known/jwks.json",
    }


@router.get("/.well-known/jwks.json", tags=["auth"])
def jwks() -> dict[str, Any]:
    """No signing keys: access tokens are opaque."""
    return {"keys": []}


@router.post(
    "/auth/token",
    tags=["auth"],
    response_model=TokenResponse,
    responses={400: {"description": "invalid_request"}, 401: {"description": "invalid_client"}},
)
async def token(request: Request, exchange: Service):
    """Action Authenticate: OAuth2 client credentials grant (RFC 6749 §4.4), credentials by HTTP Basic."""
    # the secret's scrypt check runs off the event loop in a small bounded pool (app.state.hashing), so a flood
    # of logins queues there instead of stalling every other request
    try:
        client_id, client_secret = await _credentials(request)
        access_token, ttl = await anyio.to_thread.run_sync(
            exchange.issue_token, client_id, client_secret, limiter=request.app.state.hashing
        )
    except OAuthError as exc:
        return exc.response()
    except InvalidClient:
        return OAuthError("invalid_client", "Authentication failed", 401).response()
    return JSONResponse(
        {"access_token": access_token, "token_type": "Bearer", "expires_in": ttl},
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


class RotatedSecret(BaseModel):
    client_id: str
    client_secret: str


@router.post("/platform/clients/{client_id}/revoke", status_code=204, tags=["auth"], responses=OWNED_RESPONSES)
def revoke_client(client_id: str, caller: Caller, exchange: Service):
    """Revoke one of your company's clients: its secret and tokens are refused from now on (audited)."""
    exchange.revoke_client(client_id, by=caller)
    return JSONResponse(None, status_code=204)


@router.post("/platform/clients/{client_id}/rotate", tags=["auth"], responses=OWNED_RESPONSES)
def rotate_client(client_id: str, caller: Caller, exchange: Service) -> RotatedSecret:
    """A new secret for one of your company's clients (shown only in this answer); the old one and the tokens
    issued with it are refused from now on (audited)."""
    made = exchange.rotate_secret(client_id, by=caller)
    return RotatedSecret(client_id=made.client_id, client_secret=made.client_secret)
