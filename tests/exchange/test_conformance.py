"""PACT v3 conformance, run against a real server (uvicorn, TLS, httpx) on SQLite and on PostgreSQL.

Cases follow the PACT Tech Specs V3 test-case list (wbcsd/pact-conformance-test-service,
``docs/v3-test-cases-expected-results.md``, test cases 1-39) and the v3.0 specification's ListFootprints
filter and pagination rules (Technical Specifications for PCF Data Exchange 3.0, ``/3/footprints``).
"""

from __future__ import annotations

import ssl
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import pytest

from coreduce.exchange.pact.events import PUBLISHED, REQUEST_CREATED, REQUEST_FULFILLED, REQUEST_REJECTED
from coreduce.exchange.server import ServerThread
from coreduce.exchange.settings import Settings
from helpers.exchange_samples import footprint

ACME, BETA, GAMMA = "urn:company:acme", "urn:company:beta", "urn:company:gamma"


@dataclass
class Running:
    url: str
    verify: str
    acme: tuple[str, str]
    beta: tuple[str, str]
    acme_ids: list[str]
    shared_id: str
    private_beta_id: str
    server: ServerThread
    tokens: dict = field(default_factory=dict)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, verify=ssl.create_default_context(cafile=self.verify), timeout=30)

    def token(self, creds: tuple[str, str]) -> str:
        """A bearer token for ``creds`` (fetched through Action Authenticate once, then reused)."""
        if creds not in self.tokens:
            with self.client() as c:
                r = c.post("/auth/token", data={"grant_type": "client_credentials"}, auth=creds)
            assert r.status_code == 200, r.text
            self.tokens[creds] = r.json()["access_token"]
        return self.tokens[creds]

    def get(self, path: str, creds=None, **kw) -> httpx.Response:
        token = self.token(creds or self.acme)
        with self.client() as c:
            return c.get(path, headers={"Authorization": f"Bearer {token}"}, **kw)


def _seed_footprints() -> list[dict]:
    return [
        footprint(),  # CN, AR6, active, validity from reference period (2025-01-01 .. 2028-01-01)
        footprint(productIds=["urn:gtin:1111"], pcf__geographyCountry=None, pcf__geographyCountrySubdivision="CN-SD"),
        footprint(
            productIds=["urn:gtin:2222", "urn:pact:acme.com:product-id:coil-9"],
            productClassifications=["urn:pact:productclassification:un-cpc:4122"],
            validityPeriodStart="2025-06-01T00:00:00Z",
            validityPeriodEnd="2026-06-01T00:00:00Z",
        ),
        footprint(productIds=["urn:gtin:3333"], status="Deprecated", pcf__geographyCountry="DE"),
        footprint(
            productIds=["urn:gtin:4444"],
            companyIds=["urn:company:acme", "urn:company:acme-subsidiary"],
            pcf__geographyCountry=None,
            pcf__geographyRegionOrSubregion="Eastern Asia",
            validityPeriodStart="2020-01-01T00:00:00Z",
            validityPeriodEnd="2021-01-01T00:00:00Z",
        ),
    ]


@pytest.fixture(scope="module")
def running(database_url, tls_files):
    settings = Settings(database_url=database_url, max_body_bytes=200_000)
    with ServerThread(settings, tls_files) as server:
        exchange = server.app.state.exchange
        acme = exchange.add_client(ACME, "Acme Steel")
        beta = exchange.add_client(BETA, "Beta Motors")
        exchange.add_company("Gamma Glass", GAMMA)
        from coreduce.exchange.pact.models import ProductFootprint

        seeded = _seed_footprints()
        acme_principal = exchange.principal(exchange.issue_token(acme.client_id, acme.client_secret)[0])
        beta_principal = exchange.principal(exchange.issue_token(beta.client_id, beta.client_secret)[0])
        exchange.add_footprints(acme_principal, [ProductFootprint.model_validate(d) for d in seeded])
        shared = footprint(companyName="Beta Motors", companyIds=[BETA], productIds=["urn:gtin:9999"])
        private = footprint(companyName="Beta Motors", companyIds=[BETA], productIds=["urn:gtin:8888"])
        exchange.add_footprints(beta_principal, [ProductFootprint.model_validate(shared)], share_with=[ACME])
        exchange.add_footprints(beta_principal, [ProductFootprint.model_validate(private)])
        yield Running(
            url=server.url,
            verify=str(tls_files.certfile),
            acme=(acme.client_id, acme.client_secret),
            beta=(beta.client_id, beta.client_secret),
            acme_ids=[d["id"] for d in seeded],
            shared_id=shared["id"],
            private_beta_id=private["id"],
            server=server,
        )


def _ids(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {pf["id"] for pf in response.json()["data"]}


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
    ids = _ids(running.get("/3/footprints"))
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


def test_another_tenants_footprint_is_access_denied(running):
    r = running.get(f"/3/footprints/{running.private_beta_id}")
    assert r.status_code == 403 and r.json()["code"] == "AccessDenied" and "data" not in r.json()
    # the owner sees it; the footprint shared by Beta is readable by Acme
    assert running.get(f"/3/footprints/{running.private_beta_id}", creds=running.beta).status_code == 200
    assert running.get(f"/3/footprints/{running.shared_id}").status_code == 200
    # Beta does not see Acme's footprints
    assert _ids(running.get("/3/footprints", creds=running.beta)) == {running.shared_id, running.private_beta_id}


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
def _event(type_: str, data: dict, **envelope) -> dict:
    body = {
        "type": type_,
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "//client.example/3/events",
        "time": "2025-03-05T17:31:00Z",
        "data": data,
    }
    body.update(envelope)
    return body


def _post_event(running, body, creds=None, content_type="application/cloudevents+json; charset=UTF-8", raw=None):
    token = running.token(creds or running.acme)
    import json

    with running.client() as c:
        return c.post(
            "/3/events",
            content=raw if raw is not None else json.dumps(body),
            headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
        )


def _events_count(running) -> int:
    return len(running.server.app.state.exchange.events(running.server.app.state.exchange.company_id(ACME)))


def test_case_12_request_created_event(running):
    before = _events_count(running)
    body = _event(REQUEST_CREATED, {"productId": ["urn:gtin:4712345060507"], "comment": "Please send PCF data."})
    r = _post_event(running, body)
    assert r.status_code == 200 and r.content == b""
    assert _events_count(running) == before + 1
    again = _post_event(running, body)  # a redelivered event (same source and id) is acknowledged once
    assert again.status_code == 200 and _events_count(running) == before + 1


def test_case_15_published_event(running):
    r = _post_event(running, _event(PUBLISHED, {"pfIds": [running.acme_ids[0]]}))
    assert r.status_code == 200 and r.content == b""


def test_fulfilled_and_rejected_events(running):
    fulfilled = _event(REQUEST_FULFILLED, {"requestEventId": "req-1", "pfs": [footprint()]})
    rejected = _event(
        REQUEST_REJECTED, {"requestEventId": "req-2", "error": {"code": "NotFound", "message": "no such PCF"}}
    )
    assert _post_event(running, fulfilled).status_code == 200
    assert _post_event(running, rejected).status_code == 200


def test_case_16_events_with_invalid_token(running):
    with running.client() as c:
        r = c.post(
            "/3/events",
            json=_event(PUBLISHED, {"pfIds": [running.acme_ids[0]]}),
            headers={
                "Authorization": "Bearer very-invalid-access-token",
                "Content-Type": "application/cloudevents+json",
            },
        )
    assert r.status_code == 400 and r.json()["code"] == "BadRequest"


MALFORMED_EVENTS = {
    "not-json": (None, "{not json", "JSON"),
    "array": ([1, 2], None, "JSON object"),
    "wrong-specversion": (_event(PUBLISHED, {"pfIds": [str(uuid.uuid4())]}, specversion="0.3"), None, "specversion"),
    "missing-id": ({k: v for k, v in _event(PUBLISHED, {"pfIds": []}).items() if k != "id"}, None, "id"),
    "empty-source": (_event(PUBLISHED, {"pfIds": [str(uuid.uuid4())]}, source=""), None, "source"),
    "unknown-type": (_event("org.wbcsd.pact.Something.9", {}), None, "unknown event type"),
    "v2-type": (_event("org.wbcsd.pathfinder.ProductFootprint.Published.v1", {"pfIds": []}), None, "type"),
    "bad-time": (_event(PUBLISHED, {"pfIds": [str(uuid.uuid4())]}, time="yesterday"), None, "time"),
    "published-empty": (_event(PUBLISHED, {"pfIds": []}), None, "data.pfIds"),
    "published-gtin-not-uuid": (_event(PUBLISHED, {"pfIds": ["urn:gtin:4712345060507"]}), None, "data.pfIds.0"),
    "fulfilled-no-pfs": (_event(REQUEST_FULFILLED, {"requestEventId": "r", "pfs": []}), None, "data.pfs"),
    "fulfilled-bad-pf": (
        _event(REQUEST_FULFILLED, {"requestEventId": "r", "pfs": [{"id": "x"}]}),
        None,
        "data.pfs.0",
    ),
    "rejected-no-error": (_event(REQUEST_REJECTED, {"requestEventId": "r"}), None, "data.error"),
    "created-unknown-criterion": (_event(REQUEST_CREATED, {"colour": ["red"]}), None, "colour"),
    "created-bad-date": (_event(REQUEST_CREATED, {"validOn": "soon"}), None, "data.validOn"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED_EVENTS))
def test_malformed_events_are_rejected_and_not_stored(running, case):
    body, raw, expected = MALFORMED_EVENTS[case]
    before = _events_count(running)
    r = _post_event(running, body, raw=raw)
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "BadRequest"
    assert expected in r.json()["message"]
    assert _events_count(running) == before


def test_event_with_wrong_content_type(running):
    r = _post_event(running, None, content_type="text/plain", raw="hello")
    assert r.status_code == 400 and "content-type" in r.json()["message"]


# ------------------------------------------------------------------------ filters (cases 20-39)
def test_cases_20_to_27_every_filter_alone(running):
    a = running.acme_ids
    cases = {
        "productId": ("urn:gtin:2222", {a[2]}),
        "companyId": ("urn:company:acme-subsidiary", {a[4]}),
        "geography": ("CN-SD", {a[1]}),
        "classification": ("urn:pact:productclassification:un-cpc:4122", {a[2]}),
        "validOn": ("2025-03-01T00:00:00Z", {a[0], a[1], a[3], running.shared_id}),
        "validAfter": ("2025-02-01T00:00:00Z", {a[2]}),
        "validBefore": ("2022-01-01T00:00:00Z", {a[4]}),
        "status": ("Deprecated", {a[3]}),
    }
    for name, (value, expected) in cases.items():
        assert _ids(running.get("/3/footprints", params={name: value})) == expected, name


def test_filters_are_case_insensitive(running):
    a = running.acme_ids
    assert _ids(running.get("/3/footprints", params={"productId": "URN:GTIN:2222"})) == {a[2]}
    assert _ids(running.get("/3/footprints", params={"geography": "eastern asia"})) == {a[4]}
    assert _ids(running.get("/3/footprints", params={"status": "deprecated"})) == {a[3]}


def test_geography_matches_region_country_and_subdivision(running):
    a = running.acme_ids
    ids = _ids(running.get("/3/footprints", params=[("geography", "DE"), ("geography", "Eastern Asia")]))
    assert ids == {a[3], a[4]}


def test_case_28_and_of_different_filters(running):
    a = running.acme_ids
    params = {"status": "Active", "productId": "urn:gtin:4712345060507"}
    assert _ids(running.get("/3/footprints", params=params)) == {a[0]}
    assert _ids(running.get("/3/footprints", params={"status": "Deprecated", "productId": "urn:gtin:2222"})) == set()


def test_case_29_or_of_repeated_filter(running):
    a = running.acme_ids
    params = [("productId", "urn:gtin:1111"), ("productId", "urn:gtin:3333"), ("productId", "urn:bogus:x")]
    assert _ids(running.get("/3/footprints", params=params)) == {a[1], a[3]}
    params = [("companyId", ACME), ("companyId", "urn:bogus:company:abc")]
    assert _ids(running.get("/3/footprints", params=params)) == set(a)


@pytest.mark.parametrize(
    "params",
    [
        {"productId": "urn:bogus:product:0123456789abcdef"},
        {"companyId": "urn:bogus:company:0123456789abcdef"},
        {"geography": "XX"},
        {"classification": "urn:bogus:classification:0123456789abcdef"},
        {"validOn": "1900-01-01T00:00:00Z"},
        {"validAfter": "2099-12-31T23:59:59Z"},
        {"validBefore": "1900-01-01T00:00:00Z"},
        {"status": "BogusStatusabcdefgh"},
        {"companyId": "urn:bogus:company:a", "productId": "urn:bogus:product:b"},
        [("companyId", "urn:bogus:company:a"), ("companyId", "urn:bogus:company:b"), ("companyId", "urn:bogus:c:c")],
    ],
    ids=lambda p: "&".join(f"{k}" for k, _ in (p.items() if isinstance(p, dict) else p)),
)
def test_cases_30_to_39_bogus_filters_give_empty_lists(running, params):
    r = running.get("/3/footprints", params=params)
    assert r.status_code == 200
    assert r.json() == {"data": []}


@pytest.mark.parametrize(
    ("params", "status", "code", "needle"),
    [
        ({"validOn": "not-a-date"}, 400, "BadRequest", "validOn"),
        ({"validAfter": "2025-01-01T00:00:00"}, 400, "BadRequest", "time zone"),
        ({"colour": "red"}, 400, "BadRequest", "colour"),
        ({"x-atq-invoice-id": "12345"}, 501, "NotImplemented", "x-atq-invoice-id"),
        ([("status", "Active"), ("status", "Deprecated")], 400, "BadRequest", "only once"),
    ],
)
def test_malformed_filters(running, params, status, code, needle):
    r = running.get("/3/footprints", params=params)
    assert r.status_code == status and r.json()["code"] == code and needle in r.json()["message"]
