"""ListFootprints answers kept per process (:mod:`coreduce.exchange.service.pages`) are never older than the last
committed change, whichever process made it, never cross tenants, and give the same bytes and headers as a read;
the data version they rest on is kept by the database's own triggers (migration 0006), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import ssl

import httpx
import pytest
from sqlalchemy import text

from coreduce.exchange.server import ServerThread
from coreduce.exchange.service import Exchange
from coreduce.exchange.service.pages import CachedPage, PageCache
from coreduce.exchange.settings import Settings
from coreduce.exchange.store.db import make_engine
from coreduce.exchange.store.versions import Rounds
from helpers.exchange_samples import footprint

ACME, BETA = "urn:company:acme", "urn:company:beta"


@pytest.fixture(scope="module")
def served(database_url, tls_files):
    """A server with Acme's 3 footprints (one shared with Beta), and a second service on its own engine standing
    for another ``--workers`` process (or the command line) writing to the same database."""
    with ServerThread(Settings(database_url=database_url), tls_files) as server:
        exchange: Exchange = server.app.state.exchange
        creds = {urn: exchange.add_client(urn) for urn in (ACME, BETA)}
        acme = exchange.acting_as(ACME)
        exchange.add_footprints(acme, [footprint()], share_with=[BETA])
        exchange.add_footprints(acme, [footprint(), footprint()])
        other = Exchange(make_engine(database_url))
        yield server, exchange, other, creds
        other.engine.dispose()


def _get(server: ServerThread, tls_files, creds, path: str) -> httpx.Response:
    context = ssl.create_default_context(cafile=str(tls_files.certfile))
    with httpx.Client(base_url=server.url, verify=context, timeout=30) as c:
        auth = (creds.client_id, creds.client_secret)
        token = c.post("/auth/token", data={"grant_type": "client_credentials"}, auth=auth).json()["access_token"]
        return c.get(path, headers={"Authorization": f"Bearer {token}"})


def _ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [pf["id"] for pf in response.json()["data"]]


def test_a_change_made_by_another_process_shows_in_the_next_answer(served, tls_files):
    server, exchange, other, creds = served
    path = "/3/footprints?limit=2"
    first = _get(server, tls_files, creds[ACME], path)
    again = _get(server, tls_files, creds[ACME], path)
    assert again.content == first.content and again.headers["link"] == first.headers["link"]
    assert len(exchange.pages) >= 1  # kept

    before = _ids(_get(server, tls_files, creds[BETA], "/3/footprints"))
    new = footprint()
    other.add_footprints(other.acting_as(ACME), [new], share_with=[BETA])  # another process publishes
    assert _ids(_get(server, tls_files, creds[BETA], "/3/footprints")) == [*before, new["id"]]

    other.deprecate(other.acting_as(ACME), new["id"])  # another process deprecates it
    answer = _get(server, tls_files, creds[BETA], "/3/footprints").json()["data"]
    assert answer[-1]["id"] == new["id"] and answer[-1]["status"] == "Deprecated"

    with other.engine.begin() as c:  # shares removed by hand in the database are a change too
        c.execute(text("DELETE FROM shares"))
    assert _ids(_get(server, tls_files, creds[BETA], "/3/footprints")) == []


def test_kept_answers_never_cross_tenants(served, tls_files):
    server, exchange, _, creds = served
    shared = footprint()
    exchange.add_footprints(exchange.acting_as(ACME), [shared], share_with=[BETA])
    acme = _ids(_get(server, tls_files, creds[ACME], "/3/footprints?limit=1000"))
    beta = _ids(_get(server, tls_files, creds[BETA], "/3/footprints?limit=1000"))  # the same query string
    assert beta == [shared["id"]] and len(acme) > 1 and shared["id"] in acme


def test_a_revoked_client_gets_no_kept_answer(served, tls_files):
    server, exchange, _, _ = served
    client = exchange.add_client(ACME)
    assert _get(server, tls_files, client, "/3/footprints").status_code == 200
    context = ssl.create_default_context(cafile=str(tls_files.certfile))
    with httpx.Client(base_url=server.url, verify=context, timeout=30) as c:
        auth = (client.client_id, client.client_secret)
        token = c.post("/auth/token", data={"grant_type": "client_credentials"}, auth=auth).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert c.get("/3/footprints", headers=headers).status_code == 200
        exchange.revoke_client(client.client_id)
        refused = c.get("/3/footprints", headers=headers)
    assert refused.status_code == 400 and refused.json()["message"] == "invalid access token"


def test_the_triggers_count_every_change_to_the_footprint_tables_only(served):
    _, exchange, other, _ = served
    version = exchange.reads.version()
    other.add_company("Delta Glass", "urn:company:delta")  # companies and audit rows: no change to any answer
    assert exchange.reads.version() == version
    other.add_footprints(other.acting_as(ACME), [footprint()], share_with=[BETA])
    assert exchange.reads.version() > version
    for statement in (
        "UPDATE footprints SET status = status",
        "UPDATE footprint_keys SET value = value",
        "DELETE FROM shares",
    ):
        version = exchange.reads.version()
        with other.engine.begin() as c:
            c.execute(text(statement))
        assert exchange.reads.version() > version, statement


def test_the_cache_keeps_at_most_its_bytes_and_only_answers_of_the_current_version():
    version = [1]

    async def now() -> int:
        return version[0]

    def lookup(cache: PageCache, key: str):
        return asyncio.run(cache.lookup(key))

    cache = PageCache(10, now)
    _, v = lookup(cache, "a")
    cache.store("a", v, CachedPage(b"12345", None))
    cache.store("b", v, CachedPage(b"123456", "after=1"))  # 11 bytes in all: the oldest goes
    assert lookup(cache, "a")[0] is None and lookup(cache, "b")[0] == CachedPage(b"123456", "after=1")
    cache.store("c", v, CachedPage(b"x" * 11, None))  # larger than the whole cache: not kept
    assert lookup(cache, "c")[0] is None and len(cache) == 1

    _, read_at = lookup(cache, "d")
    version[0] = 2  # a change commits while the page is read
    assert lookup(cache, "b")[0] is None  # everything kept is dropped
    cache.store("d", read_at, CachedPage(b"old", None))  # read at the old version: not kept
    assert lookup(cache, "d")[0] is None and len(cache) == 0

    async def never() -> int:
        raise AssertionError("read")

    assert lookup(PageCache(0, never), "a") == (None, None)  # off: the version is never even read


def test_requests_share_version_reads_but_never_one_that_began_before_them():
    """:class:`Rounds`: calls made while a read runs wait for the next read, which serves them all."""
    reads: list[asyncio.Event] = []

    async def read() -> int:
        reads.append(asyncio.Event())
        await reads[-1].wait()
        return len(reads)

    async def scenario():
        rounds = Rounds(read)
        first = asyncio.ensure_future(rounds.get())
        await asyncio.sleep(0)  # the first read is under way
        later = [asyncio.ensure_future(rounds.get()) for _ in range(3)]
        await asyncio.sleep(0)
        assert len(reads) == 1
        reads[0].set()
        assert await first == 1
        await asyncio.sleep(0)
        assert len(reads) == 2  # one more read for the three calls made meanwhile
        reads[1].set()
        assert [await c for c in later] == [2, 2, 2]

    asyncio.run(scenario())


def test_kept_answers_survive_the_database_dropping_its_connections(served, tls_files):
    server, exchange, other, creds = served
    path = "/3/footprints?limit=3"
    before = _get(server, tls_files, creds[ACME], path).content
    if exchange.engine.dialect.name == "postgresql":
        with other.engine.connect() as c:
            others = "datname = current_database() AND pid <> pg_backend_pid()"
            c.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE {others}")).all()
    assert _get(server, tls_files, creds[ACME], path).content == before
