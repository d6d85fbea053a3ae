"""``coreduce serve`` runs uvicorn on uvloop with the httptools parser, and ``--workers N`` serves the same
application from N processes."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from coreduce.exchange.server import uvicorn_options
from coreduce.exchange.service import open_exchange
from helpers.exchange_samples import footprint


def test_the_server_runs_on_uvloop_with_the_httptools_parser(tls_files):
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    config = uvicorn.Config(lambda scope, receive, send: None, **uvicorn_options(tls_files))
    config.load()
    assert config.http_protocol_class is HttpToolsProtocol
    loop = config.get_loop_factory()()
    try:
        assert type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


@pytest.mark.slow
def _counts(port: int, verify, token: str) -> set[int]:
    """The numbers of footprints in 20 ListFootprints answers over new connections (the kernel spreads them over
    the workers)."""
    counts = set()
    for _ in range(20):
        with httpx.Client(verify=verify) as fresh:
            r = fresh.get(f"https://127.0.0.1:{port}/3/footprints", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200
        counts.add(len(r.json()["data"]))
    return counts


def test_workers_serve_the_exchange_from_several_processes(tmp_path, tls_files):
    url = f"sqlite:///{tmp_path / 'exchange.sqlite3'}"
    exchange = open_exchange(url)
    creds = exchange.add_client("urn:company:acme", "Acme Steel")
    exchange.add_footprints(exchange.acting_as("urn:company:acme"), [footprint() for _ in range(3)])
    exchange.engine.dispose()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-c", "from coreduce.cli.main import main; main()", "serve", "--database-url", url,
               "--port", str(port), "--cert", str(tls_files.certfile), "--key", str(tls_files.keyfile),
               "--workers", "2", "--no-access-log"]  # fmt: skip
    env = {**os.environ, "COREDUCE_HOME": str(tmp_path / "home")}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    verify = ssl.create_default_context(cafile=str(tls_files.certfile))
    try:
        with httpx.Client(base_url=f"https://127.0.0.1:{port}", verify=verify, timeout=30) as c:
            deadline, token = time.monotonic() + 90, None
            while token is None and time.monotonic() < deadline and server.poll() is None:
                try:
                    r = c.post("/auth/token", data={"grant_type": "client_credentials"},
                               auth=(creds.client_id, creds.client_secret))  # fmt: skip
                    token = r.json()["access_token"]
                except httpx.TransportError:
                    time.sleep(0.3)
            assert token is not None, server.stderr.read().decode() if server.poll() is not None else "no answer"
            assert _counts(port, verify, token) == {3}
            # both workers keep the page now; a footprint published by another process shows at once in both
            exchange.add_footprints(exchange.acting_as("urn:company:acme"), [footprint()])
            exchange.engine.dispose()
            assert _counts(port, verify, token) == {4}
        serving = [
            p for p in _children(server.pid) if "multiprocessing.spawn" in Path(f"/proc/{p}/cmdline").read_text()
        ]
        assert len(serving) == 2
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server.returncode == 0
