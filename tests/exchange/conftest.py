"""Fixtures of the exchange tests: sample PACT v3 footprints, a PostgreSQL cluster, running TLS servers."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest


# ---------------------------------------------------------------------- PostgreSQL
def _initdb() -> str | None:
    found = shutil.which("initdb") or sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if isinstance(found, list):
        return found[-1] if found else None
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server():
    """Base URL of a PostgreSQL server: ``$COREDUCE_TEST_PG_URL``, else a throw-away cluster started here."""
    url = os.environ.get("COREDUCE_TEST_PG_URL")
    if url:
        yield url.rstrip("/")
        return
    initdb = _initdb()
    if initdb is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql) and COREDUCE_TEST_PG_URL is unset")
    bindir = Path(initdb).parent
    datadir = Path(tempfile.mkdtemp(prefix="coreduce-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the cluster as the postgres user
        shutil.chown(datadir, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    log = datadir / "server.log"
    subprocess.run(
        [
            *as_postgres,
            str(bindir / "initdb"),
            "-D",
            str(datadir / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_postgres,
            str(bindir / "pg_ctl"),
            "-D",
            str(datadir / "data"),
            "-l",
            str(log),
            "-w",
            "-o",
            f"-p {port} -k {datadir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*as_postgres, str(bindir / "pg_ctl"), "-D", str(datadir / "data"), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(datadir, ignore_errors=True)


def new_pg_database(server_url: str) -> str:
    import psycopg

    name = "coreduce_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server_url + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server_url}/{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], scope="module")
def database_url(request, tmp_path_factory):
    """A fresh, empty exchange database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('exchange-db') / 'exchange.sqlite3'}"
    return new_pg_database(request.getfixturevalue("pg_server"))


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    from coreduce.exchange.server import TlsFiles
    from coreduce.exchange.tls import self_signed

    cert, key = self_signed(tmp_path_factory.mktemp("tls"))
    return TlsFiles(cert, key)
