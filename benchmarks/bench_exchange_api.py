"""Throughput of the exchange's PACT v3 API: ListFootprints with 100,000 footprints stored, measured with wrk over
TLS on loopback against a minimal FastAPI endpoint serving the same bytes.

Run: ``python benchmarks/bench_exchange_api.py [--footprints 100000] [--seconds 10] [--workers 1 2] [--postgres]
[--database-url postgresql://…] [--activity-rows 20000]``. Needs ``wrk`` (Debian package ``wrk``).

1. Stores ``--footprints`` PACT v3 footprints (validated, in batches of 1,000, through ``Exchange.add_footprints``:
   the path the platform's publish endpoint uses) owned by one company, half of them shared with a second one;
   prints the storage rate and database size.
2. Generates a self-signed certificate and, for each ``--workers`` count, starts ``coreduce serve --workers N
   --no-access-log --api-rate-per-address 0`` (every request comes from 127.0.0.1) and, as the baseline, a
   minimal FastAPI application (one ``async`` endpoint answering the exact bytes of ListFootprints' first page
   of 100) under the same uvicorn options (uvloop, httptools, the same TLS certificate, N workers). wrk drives
   each on 127.0.0.1 with keep-alive connections (8 per worker, one wrk thread per worker) for ``--seconds``;
   every request carries a bearer token, rotated over 16 tokens (the per-token rate limit, 1,000/s, is per
   process, see ``coreduce serve --help``). A page asked again is answered from the server's page cache (valid
   while the data version is unchanged, checked on every request); the deep-page and geography+validOn+status
   scenarios spread over 5,000 cursors and 1,000 dates, more pages than the cache keeps, so they measure the read
   path itself.
3. Prints, per scenario: requests/s, latency p50/p99, non-2xx answers, the server's CPU time per request (user +
   system of the server processes, from /proc, over the run), on PostgreSQL also the database server's (its
   postmaster and backends, when it runs on this machine), the ratio to the baseline's rate, and the machine load
   before each run (the machine may be shared: the ratios are the figures that hold).
4. Activity import: one ``POST /platform/activity`` of ``--activity-rows`` CSV rows (co-accounting + storage),
   and the server's peak resident memory.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from _exchange_bench import activity_import, seed

CONNECTIONS_PER_WORKER = 8
TOKENS = 16
BASELINE = """
import sys
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from fastapi.responses import Response

from coreduce.exchange.server import TlsFiles, uvicorn_options

port, body_file, cert, key, workers = sys.argv[1:6]
BODY = Path(body_file).read_bytes()


def make_app():
    app = FastAPI()

    @app.get("/3/footprints")
    async def footprints():
        return Response(BODY, media_type="application/json")

    return app


if __name__ == "__main__":
    options = uvicorn_options(TlsFiles(Path(cert), Path(key)), access_log=False)
    uvicorn.run("baseline:make_app", factory=True, host="127.0.0.1", port=int(port), workers=int(workers),
                log_level="warning", **options)
"""
# each request takes the next bearer token (wrk's Lua API: https://github.com/wg/wrk/blob/master/SCRIPTING)
LUA = """
tokens = {%s}
paths = {%s}
i = 0
request = function()
  i = i + 1
  local path = paths[math.random(#paths)]
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. tokens[i %% #tokens + 1]})
end
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, cafile: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/3/footprints", verify=cafile, timeout=2)
            return
        except httpx.TransportError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"{url} did not start within 120 s")


def start_coreduce(database_url: str, workdir: Path, tls: tuple[Path, Path], workers: int):
    port = free_port()
    command = [sys.executable, "-c", "from coreduce.cli.main import main; main()", "serve", "--database-url",
               database_url, "--port", str(port), "--cert", str(tls[0]), "--key", str(tls[1]),
               "--workers", str(workers), "--no-access-log",
               # wrk sends everything from 127.0.0.1, as a proxy in front of the service would: no per-address
               # limit; each bearer token keeps its limit (1,000/s per process), hence TOKENS tokens
               "--api-rate-per-address", "0"]  # fmt: skip
    env = {**os.environ, "COREDUCE_HOME": str(workdir / "home")}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"https://127.0.0.1:{port}"
    wait_until_up(url, str(tls[0]), server)
    return server, url


def start_baseline(workdir: Path, body: bytes, tls: tuple[Path, Path], workers: int):
    (workdir / "baseline.py").write_text(BASELINE)
    (workdir / "body.json").write_bytes(body)
    port = free_port()
    command = [sys.executable, str(workdir / "baseline.py"), str(port), str(workdir / "body.json"), str(tls[0]),
               str(tls[1]), str(workers)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(workdir)}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=workdir)
    url = f"https://127.0.0.1:{port}"
    wait_until_up(url, str(tls[0]), server)
    return server, url


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and all its descendants, those that ended included (from /proc: a
    PostgreSQL backend that exits during a run is counted in its postmaster's children time)."""
    ticks, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if p == pid else 0)
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _ms(out: str, percentile: str) -> float:
    """A latency percentile of wrk's ``--latency`` table in ms (NaN when wrk printed none, e.g. no answer)."""
    found = re.search(rf"{percentile}%\s+([\d.]+)(us|ms|s|m|h)\b", out)
    if found is None:
        return float("nan")
    return float(found.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4, "h": 3.6e6}[found.group(2)]


def run_wrk(url: str, paths: list[str], tokens: list[str], workers: int, seconds: float, workdir: Path, pid: int,
            db_pid: int | None = None):  # fmt: skip
    """(requests, req/s, p50 ms, p99 ms, non-2xx, server CPU ms per request, load before, database server CPU ms
    per request or None) of one wrk run."""
    script = workdir / "rotate.lua"
    script.write_text(LUA % (", ".join(f'"{t}"' for t in tokens), ", ".join(f'"{p}"' for p in paths)))
    load = os.getloadavg()[0]
    cpu0, db0 = cpu_seconds(pid), cpu_seconds(db_pid) if db_pid else 0.0
    command = ["wrk", f"-t{workers}", f"-c{CONNECTIONS_PER_WORKER * workers}", f"-d{seconds:g}s", "--latency",
               "-s", str(script), url]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    (workdir / "wrk-last.txt").write_text(out)
    cpu, db = cpu_seconds(pid) - cpu0, (cpu_seconds(db_pid) - db0 if db_pid else None)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50, p99 = _ms(out, "50"), _ms(out, "99")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(errors.group(1)) if errors else 0
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    per_request = 1e3 / max(requests, 1)
    return requests, rate, p50, p99, errors, cpu * per_request, load, None if db is None else db * per_request


def postmaster_pid(database_url: str) -> int | None:
    """The PostgreSQL server's main process when it runs on this machine (its backends are its children), else
    None (SQLite: the reads run in the server processes)."""
    if not database_url.startswith("postgres"):
        return None
    import psycopg

    with psycopg.connect(database_url) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    try:
        return int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (FileNotFoundError, PermissionError):
        return None


def tokens_for(url: str, cafile: str, creds, n: int) -> list[str]:
    """``n`` bearer tokens of ``creds`` (waiting out ``/auth/token``'s per-client rate limit: 10 at once, 1/s)."""
    tokens = []
    with httpx.Client(base_url=url, verify=cafile) as c:
        while len(tokens) < n:
            r = c.post("/auth/token", data={"grant_type": "client_credentials"}, auth=creds)
            if r.status_code == 429:
                time.sleep(float(r.headers["Retry-After"]))
                continue
            r.raise_for_status()
            tokens.append(r.json()["access_token"])
    return tokens


HEADER = (
    f"{'scenario':<52}{'req/s':>8}{'×base':>7}{'p50 ms':>8}{'p99 ms':>8}{'non-2xx':>8}{'CPU ms/req':>11}"
    f"{'DB ms/req':>10}{'load':>6}"
)


def row(label: str, result, base_rate: float | None) -> str:
    _, rate, p50, p99, errors, cpu, load, db = result
    ratio = f"{rate / base_rate:.2f}" if base_rate else "-"
    db = f"{db:.3f}" if db is not None else "-"
    return f"{label:<52}{rate:>8.0f}{ratio:>7}{p50:>8.1f}{p99:>8.1f}{errors:>8}{cpu:>11.3f}{db:>10}{load:>6.1f}"


def scenarios(n: int) -> list[tuple[str, str, list[str]]]:
    """(label, token owner, paths): wrk picks one of ``paths`` at random for each request. "kept": after its first
    request a page is answered from the page cache; "uncached": more distinct pages than the cache holds."""
    import random

    rng = random.Random(1)
    deep = [f"/3/footprints?limit=100&after={rng.randrange(n // 2, max(n // 2 + 1, n - 100))}" for _ in range(5000)]
    products = [f"/3/footprints?productId=urn:gtin:{4700000000000 + rng.randrange(n)}" for _ in range(200)]
    sparse = [
        f"/3/footprints?geography=CN-SD&validOn=2026-06-01T{h:02d}:{m:02d}:00Z&status=Active&limit=100"
        for h in range(17)
        for m in range(60)
    ][:1000]
    ids = [f"/3/footprints/{uuid.UUID(int=rng.randrange(n) + 1)}" for _ in range(200)]
    return [
        ("ListFootprints, first page of 100 (kept)", "acme", ["/3/footprints?limit=100"]),
        ("ListFootprints, shared view, 2nd company (kept)", "beta", ["/3/footprints?limit=100"]),
        ("ListFootprints, 5,000 deep pages (uncached)", "acme", deep),
        ("ListFootprints, geography+validOn+status (uncached)", "acme", sparse),
        ("ListFootprints, 200 productId filters (kept)", "acme", products),
        ("GetFootprint by id", "acme", ids),
    ]  # fmt: skip


def measure(args, database_url: str, workdir: Path, tls, creds, workers: int) -> None:
    cafile = str(tls[0])
    db_pid = postmaster_pid(database_url)
    server, url = start_coreduce(database_url, workdir, tls, workers)
    try:
        tokens = {who: tokens_for(url, cafile, creds[who], TOKENS) for who in creds}
        body = httpx.get(url + "/3/footprints?limit=100", verify=cafile,
                         headers={"Authorization": f"Bearer {tokens['acme'][0]}"}).content  # fmt: skip
        baseline, base_url = start_baseline(workdir, body, tls, workers)
        try:
            base = run_wrk(base_url, ["/3/footprints"], tokens["acme"], workers, args.seconds, workdir, baseline.pid)
        finally:
            baseline.terminate()
            baseline.wait(timeout=30)
        connections = CONNECTIONS_PER_WORKER * workers
        print(f"\n{workers} worker(s); response body {len(body) / 1024:.0f} KiB (100 footprints); "
              f"wrk: {workers} thread(s), {connections} connections, {args.seconds:g} s each")  # fmt: skip
        print(HEADER)
        print(row("baseline: minimal FastAPI endpoint, same bytes", base, None))
        for i, (label, who, paths) in enumerate(scenarios(args.footprints)):
            result = run_wrk(url, paths, tokens[who], workers, args.seconds, workdir, server.pid, db_pid)
            print(row(label, result, base[1] if paths == ["/3/footprints?limit=100"] else None), flush=True)
            if i == 0:
                first = result
        cpu = first[5] + (first[7] or 0.0)
        print(f"first page of 100: {first[1] / base[1]:.2f} × the baseline's rate; CPU ratio {base[5] / cpu:.2f} "
              "(baseline CPU per request ÷ ListFootprints', database server included: the ratio of rates when both "
              "are CPU-bound on the same cores, less moved by other load on the machine)")  # fmt: skip
        if workers == 1:
            activity_import(url, cafile, tokens["acme"][0], args.activity_rows)
            print(f"server peak resident memory (VmHWM): {peak_rss_mib(server.pid):.0f} MiB")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--footprints", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each wrk run")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to measure")
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file in a temp directory")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="run on a new database of a throw-away PostgreSQL cluster started here (needs the postgresql package)",
    )
    parser.add_argument("--activity-rows", type=int, default=20_000, help="rows in one upload (≤ 2 MB body)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    workdir = Path(tempfile.mkdtemp(prefix="coreduce-bench-"))
    os.environ["COREDUCE_HOME"] = str(workdir / "home")
    with contextlib.ExitStack() as stack:
        database_url = args.database_url or f"sqlite:///{workdir / 'exchange.sqlite3'}"
        if args.postgres:
            from coreduce.exchange.store.scratch import new_database, throwaway_cluster

            database_url = new_database(stack.enter_context(throwaway_cluster()))
        run(args, database_url, workdir)
    shutil.rmtree(workdir, ignore_errors=True)


def run(args, database_url: str, workdir: Path) -> None:
    """Seed ``database_url`` and measure each worker count (see the module docstring)."""
    from coreduce.exchange.tls import self_signed

    backend = database_url.split(":", 1)[0]
    print(f"exchange API benchmark: {args.footprints:,} footprints on {backend}; wrk over TLS on loopback; "
          f"machine load (1/5/15 min) {' / '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} "
          f"cores")  # fmt: skip
    creds, seconds = seed(database_url, args.footprints)
    size = ""
    if backend == "sqlite":
        db = Path(database_url.split("///", 1)[1])
        size = f", database {sum(p.stat().st_size for p in db.parent.glob(db.name + '*')) / 2**20:.0f} MiB"
    print(f"stored {args.footprints:,} validated footprints in {seconds:.1f} s "
          f"({args.footprints / seconds:,.0f} footprints/s, batches of 1,000){size}")  # fmt: skip
    tls = self_signed(workdir / "tls")
    for workers in args.workers:
        measure(args, database_url, workdir, tls, creds, workers)
    print(f"\nmachine load at the end (1/5/15 min): {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
