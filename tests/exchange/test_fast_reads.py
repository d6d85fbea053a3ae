"""The fast read path of ListFootprints and GetFootprint (compiled statements, stored bytes, cached token holders)
gives the answers the specification asks for, on SQLite and PostgreSQL.

The expected pages are computed here from the stored documents alone (PACT v3.0 ``/3/footprints`` filter rules:
values of one parameter OR-ed, parameters AND-ed, identifiers and geography case-insensitive, validity from
``referencePeriodEnd`` for 3 years when absent), and the answer bodies must be the stored JSON texts byte for byte.
"""

from __future__ import annotations

import random
import ssl
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import text

from coreduce.exchange.errors import InvalidToken, NotFound, TokenExpired
from coreduce.exchange.pact.models import ProductFootprint
from coreduce.exchange.server import ServerThread
from coreduce.exchange.service import Exchange, FootprintQuery
from coreduce.exchange.settings import Settings
from helpers.exchange_samples import footprint

ACME, BETA, GAMMA = "urn:company:acme", "urn:company:beta", "urn:company:gamma"
GEOGRAPHIES = [("geographyCountry", "CN"), ("geographyCountrySubdivision", "CN-SD"), ("geographyCountry", "DE"),
               ("geographyRegionOrSubregion", "Eastern Asia")]  # fmt: skip


def _documents(rng: random.Random) -> list[dict]:
    docs = []
    for i in range(60):
        kind, geo = GEOGRAPHIES[i % 4]
        year = 2019 + i % 6
        overrides = {
            "productIds": [f"urn:gtin:{9000 + i}"] + (["URN:GTIN:SHARED-KEY"] if i % 7 == 0 else []),
            "productClassifications": [f"urn:pact:productclassification:un-cpc:{4100 + i % 3}"],
            "status": "Deprecated" if i % 5 == 0 else "Active",
            "companyName": "宝钢 Baosteel — Zürich" if i % 6 == 0 else "Acme Steel",  # non-ASCII text
            "pcf__geographyCountry": None,
            f"pcf__{kind}": geo,
            "pcf__referencePeriodStart": f"{year - 1}-01-01T00:00:00Z",
            "pcf__referencePeriodEnd": f"{year}-01-01T00:00:00Z",
        }
        if i % 4 == 3:
            overrides["validityPeriodStart"] = f"{year}-06-01T00:00:00Z"
            overrides["validityPeriodEnd"] = f"{year + 1}-06-01T00:00:00Z"
        docs.append(footprint(**overrides))
    rng.shuffle(docs)
    return docs


@pytest.fixture(scope="module")
def store(database_url, tls_files):
    """A running exchange: Acme owns 60 footprints (every third shared with Beta), Beta owns 5 of its own."""
    with ServerThread(Settings(database_url=database_url), tls_files) as server:
        exchange: Exchange = server.app.state.exchange
        creds = {urn: exchange.add_client(urn) for urn in (ACME, BETA)}
        exchange.add_company("Gamma Glass", GAMMA)
        docs = _documents(random.Random(7))
        acme = exchange.acting_as(ACME)
        for lo in range(0, len(docs), 3):
            exchange.add_footprints(acme, docs[lo : lo + 1], share_with=[BETA])
            exchange.add_footprints(acme, docs[lo + 1 : lo + 3])
        exchange.add_footprints(exchange.acting_as(BETA), [footprint(companyIds=[BETA]) for _ in range(5)])
        yield server, exchange, creds


def _stored(exchange: Exchange) -> list[tuple[int, str, int, set[str], str]]:
    """(seq, id, owner company id, company ids it is shared with, stored text) of every footprint, by seq."""
    with exchange.engine.connect() as c:
        rows = c.execute(text("SELECT seq, id, owner_id, document FROM footprints ORDER BY seq")).all()
        shares = c.execute(text("SELECT footprint_seq, company_id FROM shares")).all()
    shared: dict[int, set[int]] = {}
    for seq, company in shares:
        shared.setdefault(seq, set()).add(company)
    return [(r.seq, r.id, r.owner_id, shared.get(r.seq, set()), r.document) for r in rows]


def _matches(document: str, params: list[tuple[str, str]]) -> bool:
    pf = ProductFootprint.model_validate_json(document)
    valid_from, valid_to = pf.validity()
    keys = {
        "productId": {v.lower() for v in pf.productIds},
        "companyId": {v.lower() for v in pf.companyIds},
        "classification": {v.lower() for v in pf.productClassifications or []},
        "geography": {pf.pcf.geography.lower()} if pf.pcf.geography else set(),
    }
    for name, values in keys.items():
        wanted = {v.lower() for k, v in params if k == name}
        if wanted and not wanted & values:
            return False
    single = dict(params)
    at = {k: datetime.fromisoformat(v.replace("Z", "+00:00")) for k, v in single.items() if k.startswith("valid")}
    if "validOn" in at and not valid_from <= at["validOn"] <= valid_to:
        return False
    if "validAfter" in at and not valid_from > at["validAfter"]:
        return False
    if "validBefore" in at and not valid_to < at["validBefore"]:
        return False
    return "status" not in single or single["status"].lower() == pf.status.lower()


def _expected(exchange: Exchange, company_id: int, params: list[tuple[str, str]]) -> list[str]:
    """The stored texts the company may see that match ``params``, in storage order."""
    return [
        doc
        for _, _, owner, shared, doc in _stored(exchange)
        if (owner == company_id or company_id in shared) and _matches(doc, params)
    ]


QUERIES = [
    [],
    [("productId", "urn:gtin:SHARED-key")],
    [("productId", "urn:gtin:9003"), ("productId", "urn:gtin:9010"), ("productId", "urn:gtin:none")],
    [("companyId", "URN:COMPANY:ACME")],
    [("geography", "cn-sd"), ("geography", "de")],
    [("geography", "Eastern Asia"), ("status", "Active")],
    [("classification", "urn:pact:productclassification:un-cpc:4101"), ("status", "deprecated")],
    [("validOn", "2024-03-01T00:00:00Z")],
    [("validAfter", "2021-01-01T00:00:00Z"), ("validBefore", "2026-01-01T00:00:00+00:00")],
    [("status", "Retired")],
    [("productId", "urn:gtin:SHARED-key"), ("geography", "CN"), ("validOn", "2023-06-01T00:00:00Z")],
]


@pytest.mark.parametrize("params", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q) or "all")
@pytest.mark.parametrize("who", [ACME, BETA])
def test_every_page_holds_exactly_the_matching_visible_documents_in_order(store, params, who):
    _, exchange, _ = store
    company_id = exchange.company_id(who)
    expected = _expected(exchange, company_id, params)
    for limit in (1, 4, 1000):
        got, after = [], 0
        while True:
            page = exchange.list_footprints(company_id, FootprintQuery.from_params(params), limit, after)
            assert len(page.documents) <= limit
            got += page.documents
            if page.next_after is None:
                break
            after = page.next_after
        assert got == expected, limit


def _client(server: ServerThread, cafile) -> httpx.Client:
    return httpx.Client(base_url=server.url, verify=ssl.create_default_context(cafile=str(cafile)), timeout=30)


def _token(c: httpx.Client, creds) -> str:
    r = c.post("/auth/token", data={"grant_type": "client_credentials"}, auth=(creds.client_id, creds.client_secret))
    return r.json()["access_token"]


def test_answers_are_the_stored_bytes_and_links_walk_every_page(store, tls_files):
    server, exchange, creds = store
    params = [("geography", "CN"), ("geography", "cn-sd")]
    expected = _expected(exchange, exchange.company_id(ACME), params)
    with _client(server, tls_files.certfile) as c:
        headers = {"Authorization": f"Bearer {_token(c, creds[ACME])}"}
        r = c.get("/3/footprints", params=[*params, ("limit", "4")], headers=headers)
        bodies = []
        while True:
            assert r.status_code == 200 and r.headers["content-type"] == "application/json"
            bodies.append(r.content)
            if "link" not in r.headers:
                break
            url = urlsplit(r.headers["link"].split(">")[0].lstrip("<"))
            r = c.get(f"{url.path}?{url.query}", headers=headers)
        assert b"".join(bodies) == b"".join(
            b'{"data":[' + ",".join(expected[i : i + 4]).encode() + b"]}" for i in range(0, len(expected), 4)
        )
        for _, pf_id, owner, _, doc in _stored(exchange)[:12]:
            r = c.get(f"/3/footprints/{pf_id}", headers=headers)
            if owner == exchange.company_id(ACME):
                assert r.status_code == 200 and r.content == b'{"data":' + doc.encode() + b"}"
            else:  # Beta's own footprint: the same answer as an id nobody stored
                assert r.status_code == 404 and r.json()["code"] == "NotFound"


def test_another_tenants_footprint_is_not_found_through_the_fast_path(store):
    _, exchange, _ = store
    beta, gamma = exchange.company_id(BETA), exchange.company_id(GAMMA)
    for _, pf_id, owner, shared, doc in _stored(exchange):
        if owner == beta or beta in shared:
            assert exchange.footprint_document(beta, pf_id) == doc
        else:
            with pytest.raises(NotFound, match="visible to your company"):
                exchange.footprint_document(beta, pf_id)
        with pytest.raises(NotFound):
            exchange.footprint_document(gamma, pf_id)
    assert exchange.list_footprints(gamma, FootprintQuery(), 1000).documents == []


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_revocation_elsewhere_is_honoured_within_the_cache_time(store):
    """Two services on one database stand for two ``--workers`` processes (or the server and the command line)."""
    _, exchange, _ = store
    client = exchange.add_client(ACME)
    token, _ = exchange.issue_token(client.client_id, client.client_secret)
    worker = Exchange(exchange.engine, token_cache_seconds=5.0)
    worker.tokens.clock = clock = Clock()
    assert worker.principal(token).client_id == client.client_id  # read from the database, then cached
    assert worker.cached_principal(token) is not None

    exchange.revoke_client(client.client_id)  # in the other process
    clock.now += 4.9
    assert worker.principal(token).client_id == client.client_id  # still within the cache time
    clock.now += 0.2
    with pytest.raises(InvalidToken):
        worker.principal(token)
    assert worker.cached_principal(token) is None


def test_revocation_and_rotation_in_the_same_process_apply_at_once(store):
    _, exchange, _ = store
    for action in (exchange.revoke_client, exchange.rotate_secret):
        client, bystander = exchange.add_client(ACME), exchange.add_client(ACME)
        token, _ = exchange.issue_token(client.client_id, client.client_secret)
        other, _ = exchange.issue_token(bystander.client_id, bystander.client_secret)
        for cached in (token, other):
            exchange.principal(cached)
        action(client.client_id)
        assert exchange.cached_principal(token) is None
        with pytest.raises(InvalidToken):
            exchange.principal(token)
        assert exchange.cached_principal(other) is not None  # other clients' entries stay


def test_a_cached_token_still_expires(store, monkeypatch):
    _, exchange, _ = store
    client = exchange.add_client(ACME)
    token, _ = exchange.issue_token(client.client_id, client.client_secret)
    exchange.principal(token)
    later = datetime.now(UTC) + exchange.token_ttl + timedelta(seconds=1)
    monkeypatch.setattr("coreduce.exchange.service.tenants.utcnow", lambda: later)
    with pytest.raises(TokenExpired):
        exchange.cached_principal(token)


def test_no_cache_time_means_every_request_reads_the_database(store):
    _, exchange, _ = store
    client = exchange.add_client(ACME)
    token, _ = exchange.issue_token(client.client_id, client.client_secret)
    worker = Exchange(exchange.engine, token_cache_seconds=0)
    worker.principal(token)
    assert worker.cached_principal(token) is None
    exchange.revoke_client(client.client_id)
    with pytest.raises(InvalidToken):
        worker.principal(token)


def test_a_read_survives_the_database_dropping_its_connections(store):
    _, exchange, _ = store
    acme = exchange.company_id(ACME)
    before = exchange.list_footprints(acme, FootprintQuery(), 1000).documents
    if exchange.engine.dialect.name == "postgresql":
        with exchange.engine.connect() as c:
            others = "datname = current_database() AND pid <> pg_backend_pid()"
            dropped = c.execute(text(f"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE {others}"))
            dropped = dropped.scalar()
        assert dropped >= 1
    assert exchange.list_footprints(acme, FootprintQuery(), 1000).documents == before
