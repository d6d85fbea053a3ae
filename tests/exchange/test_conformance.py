"""PACT v3 conformance of authentication and footprints (cases 1-11, 17-19), run against a real server (uvicorn,
TLS, httpx) on SQLite and on PostgreSQL (the ``running`` fixture of conftest.py).

Cases follow the PACT Tech Specs V3 test-case list (wbcsd/pact-conformance-test-service,
``docs/v3-test-cases-expected-results.md``, test cases 1-39) and the v3.0 specification's ListFootprints
filter and pagination rules (Technical Specifications for PCF Data Exchange 3.0, ``/3/footprints``).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import pytest


# ------------------------------------------------------------------------ authentication (cases 1, 2, 18, 19)
def test_case_01_token_with_valid_credentials(running):
    with running.client() as c:
        r = c.post("/auth/token", data={"grant_type": "client_credentials"}, auth=running.acme)
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and len(body["access_token"]) >= 40
    assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "auth",
    [("cr_nobody", "wrong"), "wrong-secret-for-known-client"],
    ids=["unknown-client", "wrong-secret"],
)
def test_case_02_token_with_invalid_credentials(running, auth):
    if isinstance(auth, str):
        auth = (running.acme[0], auth)
    with running.client() as c:
        r = c.post("/auth/token", data={"grant_type": "client_credentials"}, auth=auth)
    assert r.status_code in (400, 401)
    assert r.json()["error"] == "invalid_client"
    assert "access_token" not in r.json()


def test_token_requests_that_are_not_client_credentials_are_rejected(running):
    with running.client() as c:
        wrong_grant = c.post("/auth/token", data={"grant_type": "password"}, auth=running.acme)
        no_grant = c.post("/auth/token", data={}, auth=running.acme)
        json_body = c.post("/auth/token", json={"grant_type": "client_credentials"}, auth=running.acme)
        no_auth = c.post("/auth/token", data={"grant_type": "client_credentials"})
    assert wrong_grant.status_code == 400 and wrong_grant.json()["error"] == "unsupported_grant_type"
    assert no_grant.status_code == 400 and no_grant.json()["error"] == "invalid_request"
    assert json_body.status_code == 400 and json_body.json()["error"] == "invalid_request"
    assert no_auth.status_code == 401 and no_auth.json()["error"] == "invalid_client"


def test_case_18_19_openid_connect_flow(running):
    with running.client() as c:
        doc = c.get("/.well-known/openid-configuration").json()
        endpoint = doc["token_endpoint"]
        assert endpoint.startswith("https://") and urlsplit(endpoint).path == "/auth/token"
        ok = c.post(endpoint, data={"grant_type": "client_credentials"}, auth=running.acme)
        bad = c.post(endpoint, data={"grant_type": "client_credentials"}, auth=(running.acme[0], "nope"))
    assert ok.status_code == 200 and ok.json()["access_token"]
    assert bad.status_code in (400, 401) and "access_token" not in bad.json()


# ------------------------------------------------------------------------ get and list (cases 3, 4, 5)
def test_case_03_get_footprint(running):
    target = running.acme_ids[2]
    r = running.get(f"/3/footprints/{target}")
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["id"] == target
    assert data["pcf"]["pcfExcludingBiogenicUptake"] == "2.1"
    assert data["validityPeriodStart"] == "2025-06-01T00:00:00Z"


def test_case_04_list_all_visible_footprints(running):
    ids = running.ids(running.get("/3/footprints"))
    assert ids == {*running.acme_ids, running.shared_id}
    assert running.private_beta_id not in ids


def test_case_05_pagination_link(running):
    token = running.token(running.acme)
    headers = {"Authorization": f"Bearer {token}"}
    seen: list[str] = []
    with running.client() as c:
        r = c.get("/3/footprints", params={"limit": 2}, headers=headers)
        pages = 0
        while True:
            assert r.status_code == 200
            assert len(r.json()["data"]) <= 2
            seen += [pf["id"] for pf in r.json()["data"]]
            pages += 1
            if "link" not in r.headers:
                break
            link = r.headers["link"]
            assert link.endswith('>; rel="next"') and link.startswith("<https://")
            target = link[1 : link.index(">")]
            assert urlsplit(target).netloc == urlsplit(running.url).netloc  # same host as the request
            again = c.get(target, headers=headers)  # a pagination link can be called more than once
            r = c.get(target, headers=headers)
            assert again.json() == r.json()
    assert pages == 3
    assert len(seen) == len(set(seen)) == 6


def test_pagination_keeps_the_filters(running):
    token = running.token(running.acme)
    headers = {"Authorization": f"Bearer {token}"}
    with running.client() as c:
        first = c.get("/3/footprints", params={"geography": "CN", "limit": 1}, headers=headers)
        link = first.headers["link"]
        second = c.get(link[1 : link.index(">")], headers=headers)
    assert "geography=CN" in link
    both = first.json()["data"] + second.json()["data"]
    assert {pf["pcf"]["geographyCountry"] for pf in both} == {"CN"}
    assert "link" not in second.headers or len(second.json()["data"]) == 1


@pytest.mark.parametrize("limit", ["0", "-3", "abc", "1.5"])
def test_bad_limit_is_a_bad_request(running, limit):
    r = running.get("/3/footprints", params={"limit": limit})
    assert r.status_code == 400 and r.json()["code"] == "BadRequest" and "limit" in r.json()["message"]


# ------------------------------------------------------------------------ tokens (cases 6, 7, 16) and expiry
@pytest.mark.parametrize("path", ["/3/footprints", "/3/footprints/{id}"])
def test_case_06_07_invalid_token(running, path):
    with running.client() as c:
        r = c.get(
            path.format(id=running.acme_ids[0]),
            headers={"Authorization": f"Bearer very-invalid-access-token-{uuid.uuid4().hex[:16]}"},
        )
    assert r.status_code == 400
    assert r.json()["code"] == "BadRequest"
    assert "data" not in r.json()


def test_missing_token_is_access_denied(running):
    with running.client() as c:
        r = c.get("/3/footprints")
    assert r.status_code == 403 and r.json()["code"] == "AccessDenied"


def test_expired_token(running):
    from coreduce.exchange.service import Exchange

    expired_issuer = Exchange(running.server.app.state.exchange.engine, token_ttl=timedelta(seconds=-1))
    token, _ = expired_issuer.issue_token(*running.acme)
    with running.client() as c:
        r = c.get("/3/footprints", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert r.json()["code"] == "TokenExpired"


# ------------------------------------------------------------------------ unknown id, other tenant (case 8)
@pytest.mark.parametrize("bad_id", [str(uuid.uuid4()), "random-string-as-id-0123456789abcdef"], ids=["uuid", "string"])
def test_case_08_unknown_footprint(running, bad_id):
    r = running.get(f"/3/footprints/{bad_id}")
    assert r.status_code == 404
    assert r.json()["code"] == "NotFound"


def test_another_tenants_footprint_is_not_found_like_an_absent_one(running):
    """Enumeration: another tenant's id and an id nobody stored get the same status, code and message shape."""
    r = running.get(f"/3/footprints/{running.private_beta_id}")
    absent_id = str(uuid.uuid4())
    absent = running.get(f"/3/footprints/{absent_id}")
    assert r.status_code == absent.status_code == 404 and r.json()["code"] == "NotFound" and "data" not in r.json()
    assert r.json()["message"].replace(running.private_beta_id, "X") == absent.json()["message"].replace(absent_id, "X")
    # the owner sees it; the footprint shared by Beta is readable by Acme
    assert running.get(f"/3/footprints/{running.private_beta_id}", creds=running.beta).status_code == 200
    assert running.get(f"/3/footprints/{running.shared_id}").status_code == 200
    # Beta does not see Acme's footprints
    assert running.ids(running.get("/3/footprints", creds=running.beta)) == {running.shared_id, running.private_beta_id}


# ------------------------------------------------------------------------ HTTPS only (cases 9, 10, 11, 17)
@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/auth/token"), ("GET", "/3/footprints"), ("GET", "/3/footprints/{id}"), ("POST", "/3/events")],
)
def test_cases_09_10_11_17_plain_http_gets_no_data(running, method, path):
    plain = running.url.replace("https://", "http://")
    try:
        with httpx.Client(timeout=10) as c:
            r = c.request(
                method,
                plain + path.format(id=running.acme_ids[0]),
                data={"grant_type": "client_credentials"} if method == "POST" else None,
                auth=running.acme,
            )
    except httpx.HTTPError:
        return  # the TLS listener drops a plain-HTTP connection: no data served
    assert r.status_code >= 400
    assert "data" not in r.text and "access_token" not in r.text


# ------------------------------------------------------------------------ events (cases 12, 15, 16)
