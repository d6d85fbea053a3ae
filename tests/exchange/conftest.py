"""Fixtures of the exchange tests: a PostgreSQL cluster, TLS files, and a seeded exchange served over TLS."""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass, field

import httpx
import pytest

from coreduce.exchange.pact.models import ProductFootprint
from coreduce.exchange.server import ServerThread
from coreduce.exchange.settings import Settings
from coreduce.exchange.store.scratch import initdb_path, new_database, throwaway_cluster
from helpers.exchange_samples import footprint


# ---------------------------------------------------------------------- PostgreSQL
@pytest.fixture(scope="session")
def pg_server():
    """Base URL of a PostgreSQL server: ``$COREDUCE_TEST_PG_URL``, else a throw-away cluster started here."""
    url = os.environ.get("COREDUCE_TEST_PG_URL")
    if url:
        yield url.rstrip("/")
        return
    if initdb_path() is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql) and COREDUCE_TEST_PG_URL is unset")
    with throwaway_cluster() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], scope="module")
def database_url(request, tmp_path_factory):
    """A fresh, empty exchange database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('exchange-db') / 'exchange.sqlite3'}"
    return new_database(request.getfixturevalue("pg_server"))


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    from coreduce.exchange.server import TlsFiles
    from coreduce.exchange.tls import self_signed

    cert, key = self_signed(tmp_path_factory.mktemp("tls"))
    return TlsFiles(cert, key)


# ---------------------------------------------------------------------- a seeded PACT server (conformance tests)
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

    @staticmethod
    def ids(response: httpx.Response) -> set[str]:
        """The footprint ids of a 200 ListFootprints answer."""
        assert response.status_code == 200, response.text
        return {pf["id"] for pf in response.json()["data"]}

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
        exchange.add_company("Acme Subsidiary", "urn:company:acme-subsidiary")
        exchange.delegate("urn:company:acme-subsidiary", ACME)
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
