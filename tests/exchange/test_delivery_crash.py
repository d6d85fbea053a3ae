"""Events survive a crash: ``coreduce serve`` runs as a real process on SQLite and PostgreSQL, queues a
PublishedEvent and a RequestFulfilled answer for a receiving host that answers 503 to the first two posts of each
event, is SIGKILLed while it waits to try again, and is started again on the same database. Afterwards the host has
accepted each event exactly once, every post carried the same CloudEvents id, and the audit shows every try with
its HTTP status.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid

import httpx
import pytest

from coreduce.exchange.pact.events import PUBLISHED, REQUEST_CREATED, REQUEST_FULFILLED
from coreduce.exchange.service import open_exchange
from coreduce.exchange.store.db import OutboxEvent, utcnow
from helpers.event_host import EventHost
from helpers.exchange_samples import footprint
from helpers.waiting import wait_for

ACME, BETA = "urn:company:acme", "urn:company:beta"
FAILURES = 2  # 503 answers before the host accepts an event
RETRY_FIRST = 6.0  # seconds of the first pause: the window in which the server is killed

pytestmark = pytest.mark.slow


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python -m coreduce serve`` as a child process of the test."""

    def __init__(self, args: list[str], home, log):
        self.args, self.home, self.log = args, home, log
        self.process: subprocess.Popen | None = None

    def start(self, url: str, verify) -> None:
        env = {**os.environ, "COREDUCE_HOME": str(self.home)}
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "coreduce", "serve", *self.args], env=env, stdout=log, stderr=subprocess.STDOUT
            )

        def up() -> bool:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                return httpx.get(f"{url}/.well-known/openid-configuration", verify=verify, timeout=5).status_code == 200
            except httpx.HTTPError:
                return False

        assert wait_for(up, timeout=180), "the server did not start"

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def _rows(exchange) -> list[OutboxEvent]:
    with exchange.session() as s:
        return list(s.query(OutboxEvent).order_by(OutboxEvent.seq))


def _in_back_off(exchange) -> bool:
    """Both events tried once, refused, released by the worker and waiting for their next try."""
    rows = _rows(exchange)
    now = utcnow()
    return len(rows) == 2 and all(
        r.status == "pending" and r.tries == 1 and r.claimed_by is None and (r.next_try_at - now).total_seconds() > 1
        for r in rows
    )


def test_a_server_killed_during_back_off_delivers_each_event_exactly_once_after_restart(
    database_url, tls_files, tmp_path
):
    exchange = open_exchange(database_url)
    acme = exchange.add_client(ACME, "Acme Steel")
    beta = exchange.add_client(BETA, "Beta Motors")
    verify = ssl.create_default_context(cafile=str(tls_files.certfile))

    def status_for(body: dict) -> int:
        return 503 if len(host.posts(body["id"])) < FAILURES else 200

    with EventHost(tls_files, status_for) as host:
        outbound = tmp_path / "outbound.json"
        entry = {"base_url": host.url, "client_id": "acme-at-host", "client_secret": "s", "companies": [BETA]}
        outbound.write_text(json.dumps([entry]))
        port = _port()
        url = f"https://127.0.0.1:{port}"
        args = [
            "--database-url",
            database_url,
            "--port",
            str(port),
            "--cert",
            str(tls_files.certfile),
            "--key",
            str(tls_files.keyfile),
            "--outbound",
            str(outbound),
            "--outbound-ca",
            str(tls_files.certfile),
            "--retry-first",
            str(RETRY_FIRST),
        ]
        server = Server(args, tmp_path / "home", tmp_path / "server.log")
        try:
            server.start(url, verify)
            with httpx.Client(base_url=url, verify=verify, timeout=60) as client:
                token = client.post(
                    "/auth/token", data={"grant_type": "client_credentials"}, auth=(acme.client_id, acme.client_secret)
                ).json()["access_token"]
                doc = footprint(productIds=["urn:gtin:7777"])
                r = client.post(
                    "/platform/footprints",
                    json={"footprints": [doc], "shareWith": [BETA]},
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert r.status_code == 201, r.text
                token = client.post(
                    "/auth/token", data={"grant_type": "client_credentials"}, auth=(beta.client_id, beta.client_secret)
                ).json()["access_token"]
                request = {
                    "specversion": "1.0",
                    "id": str(uuid.uuid4()),
                    "source": f"{host.url}/3/events",
                    "time": "2026-12-05T01:00:00Z",
                    "type": REQUEST_CREATED,
                    "data": {"productId": ["urn:gtin:7777"]},
                }
                r = client.post(
                    "/3/events",
                    content=json.dumps(request),
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "application/cloudevents+json"},
                )
                assert r.status_code == 200, r.text

            assert wait_for(lambda: _in_back_off(exchange), timeout=120), [vars(r) for r in _rows(exchange)]
            server.kill()  # SIGKILL while both events wait for their second try
            seen = len(host.received)
            time.sleep(RETRY_FIRST + 2)  # past the planned second try: nobody sends while the server is down
            assert len(host.received) == seen == 2
            assert all(r.status == "pending" and r.tries == 1 for r in _rows(exchange))

            server.start(url, verify)
            delivered = lambda: all(r.status == "delivered" for r in _rows(exchange))  # noqa: E731
            assert wait_for(delivered, timeout=180), [vars(r) for r in _rows(exchange)]
            time.sleep(3)  # nothing further is sent once delivered
        finally:
            server.stop()

    rows = _rows(exchange)
    assert sorted(r.type for r in rows) == sorted([PUBLISHED, REQUEST_FULFILLED])
    for row in rows:
        assert host.posts(row.event_id) == [503] * FAILURES + [200]  # accepted exactly once
        body = json.loads(row.body)
        assert [b for b in host.received if b["id"] == row.event_id] == [body] * (FAILURES + 1)  # the same event
        tries = exchange.delivery_tries(row.event_id)
        assert [(t["try"], t["http"], t["result"]) for t in tries] == [
            (1, 503, "retry"),
            (2, 503, "retry"),
            (3, 200, "delivered"),
        ]
        assert row.tries == FAILURES + 1
    (answer,) = [r for r in rows if r.type == REQUEST_FULFILLED]
    assert json.loads(answer.body)["data"]["pfs"][0]["id"] == doc["id"]
    (published,) = [r for r in rows if r.type == PUBLISHED]
    assert json.loads(published.body)["data"]["pfIds"] == [doc["id"]]
    exchange.engine.dispose()
