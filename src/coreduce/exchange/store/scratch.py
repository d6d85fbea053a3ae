"""A throw-away PostgreSQL cluster on this machine (``initdb`` + ``pg_ctl`` of the installed server), for the tests,
the benchmarks and trying the exchange on PostgreSQL without setting a server up.

The cluster lives in a new temporary directory, listens on 127.0.0.1 only, trusts local connections (no password:
never expose it), runs with ``fsync=off`` (nothing in it is meant to survive a crash) and is stopped and deleted on
exit. Run as root, it runs as the ``postgres`` user (``initdb`` refuses root).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def initdb_path() -> str | None:
    """The ``initdb`` of the installed PostgreSQL (on the PATH, else the newest under /usr/lib/postgresql)."""
    found = shutil.which("initdb") or sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if isinstance(found, list):
        return found[-1] if found else None
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def throwaway_cluster(max_connections: int = 200) -> Iterator[str]:
    """Start a cluster; yield its base URL ``postgresql://postgres@127.0.0.1:<port>``; stop and delete it on exit.
    RuntimeError when PostgreSQL is not installed."""
    initdb = initdb_path()
    if initdb is None:
        raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    bindir = Path(initdb).parent
    datadir = Path(tempfile.mkdtemp(prefix="coreduce-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(datadir, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port, data = _free_port(), str(datadir / "data")
    options = f"-p {port} -k {datadir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections={max_connections}"
    init = [*as_postgres, str(bindir / "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    subprocess.run([*init, "--no-sync"], check=True, capture_output=True)
    start = [*as_postgres, str(bindir / "pg_ctl"), "-D", data, "-l", str(datadir / "server.log"), "-w", "-o", options]
    subprocess.run([*start, "start"], check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        stop = [*as_postgres, str(bindir / "pg_ctl"), "-D", data, "-m", "immediate", "stop"]
        subprocess.run(stop, capture_output=True)
        shutil.rmtree(datadir, ignore_errors=True)


def new_database(server_url: str) -> str:
    """Create a new, empty database on the server at ``server_url``; its URL."""
    import psycopg

    name = "coreduce_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server_url + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server_url}/{name}"
