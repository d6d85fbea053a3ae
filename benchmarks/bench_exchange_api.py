"""Throughput of the exchange's PACT v3 API: ListFootprints requests per second with 100,000 footprints stored.

Run: ``python benchmarks/bench_exchange_api.py [--footprints 100000] [--concurrency 8] [--requests 2000]
[--seconds 15] [--database-url postgresql://…] [--activity-rows 20000]``.

1. Stores ``--footprints`` PACT v3 footprints (validated, in batches of 1,000, through ``Exchange.add_footprints``:
   the path the platform's publish endpoint uses) owned by one company, half of them shared with a second one;
   prints the storage rate and database size.
2. Starts ``coreduce serve`` in a separate process (TLS with a self-signed certificate, one uvicorn worker) on
   127.0.0.1 and drives it with an asyncio httpx load generator on loopback (keep-alive connections,
   ``--concurrency`` in flight), each scenario bounded by ``--requests`` and ``--seconds``. Baseline: the OpenID
   discovery document (no database, no token check) — the floor set by TLS, HTTP and the framework.
3. Activity import: one ``POST /platform/activity`` of ``--activity-rows`` CSV rows (co-accounting + storage).

Prints requests/s, latency p50/p95 and the server's peak resident memory (VmHWM).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ACME, BETA = "urn:company:acme", "urn:company:beta"
GEOGRAPHIES = [("geographyCountry", "CN"), ("geographyCountrySubdivision", "CN-SD"), ("geographyCountry", "DE"),
               ("geographyRegionOrSubregion", "Eastern Asia")]  # fmt: skip


def footprint(i: int) -> dict:
    kind, geo = GEOGRAPHIES[i % len(GEOGRAPHIES)]
    year = 2020 + i % 5
    return {
        "id": str(uuid.UUID(int=i + 1)),
        "specVersion": "3.0.0",
        "created": f"{year}-03-01T00:00:00Z",
        "status": "Deprecated" if i % 10 == 0 else "Active",
        "companyName": "Acme Steel",
        "companyIds": [ACME],
        "productDescription": "benchmark product",
        "productIds": [f"urn:gtin:{4700000000000 + i}"],
        "productClassifications": [f"urn:pact:productclassification:un-cpc:{4100 + i % 50}"],
        "productNameCompany": f"product {i}",
        "pcf": {
            "declaredUnitOfMeasurement": "kilogram",
            "declaredUnitAmount": "1",
            "productMassPerDeclaredUnit": "1",
            "referencePeriodStart": f"{year - 1}-01-01T00:00:00Z",
            "referencePeriodEnd": f"{year}-01-01T00:00:00Z",
            kind: geo,
            "pcfExcludingBiogenicUptake": f"{1 + (i % 1000) / 100:.2f}",
            "pcfIncludingBiogenicUptake": f"{1 + (i % 1000) / 100:.2f}",
            "fossilCarbonContent": "0",
            "fossilGhgEmissions": f"{1 + (i % 1000) / 100:.2f}",
            "ipccCharacterizationFactors": ["AR6"],
            "crossSectoralStandards": ["ISO14067"],
            "exemptedEmissionsPercent": "0",
        },
    }


def seed(database_url: str, n: int):
    from coreduce.exchange.pact.models import ProductFootprint
    from coreduce.exchange.service import open_exchange

    exchange = open_exchange(database_url)
    acme = exchange.add_client(ACME, "Acme Steel")
    beta = exchange.add_client(BETA, "Beta Motors")
    owner = exchange.principal(exchange.issue_token(acme.client_id, acme.client_secret)[0])
    start = time.perf_counter()
    for lo in range(0, n, 1000):
        batch = [ProductFootprint.model_validate(footprint(i)) for i in range(lo, min(n, lo + 1000))]
        exchange.add_footprints(owner, batch, share_with=[BETA] if lo % 2000 == 0 else [])
    seconds = time.perf_counter() - start
    exchange.engine.dispose()
    return acme, beta, seconds


def start_server(database_url: str, workdir: Path) -> tuple[subprocess.Popen, str, str]:
    from coreduce.exchange.tls import self_signed

    cert, key = self_signed(workdir / "tls")
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-c", "from coreduce.cli.main import main; main()", "serve", "--database-url",
               database_url, "--port", str(port), "--cert", str(cert), "--key", str(key)]  # fmt: skip
    env = {**os.environ, "COREDUCE_HOME": str(workdir / "home")}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"https://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/.well-known/openid-configuration", verify=str(cert), timeout=2)
            return server, url, str(cert)
        except httpx.TransportError:
            if server.poll() is not None:
                raise RuntimeError(server.stderr.read().decode()) from None
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("server did not start within 60 s")


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def load(url, cafile, token, make_request, concurrency, max_requests, max_seconds):
    """(requests done, seconds, latencies, non-200 count) for one scenario."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    errors = 0
    issued = 0
    async with httpx.AsyncClient(base_url=url, verify=cafile, headers=headers, limits=limits, timeout=60) as client:
        await client.get("/.well-known/openid-configuration")  # warm up one connection
        start = time.perf_counter()
        deadline = start + max_seconds

        async def worker():
            nonlocal issued, errors
            while issued < max_requests and time.perf_counter() < deadline:
                issued += 1
                path, params = make_request()
                t0 = time.perf_counter()
                response = await client.get(path, params=params)
                latencies.append(time.perf_counter() - t0)
                if response.status_code != 200:
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - start
    return len(latencies), seconds, latencies, errors


def token_for(url, cafile, creds) -> str:
    r = httpx.post(url + "/auth/token", data={"grant_type": "client_credentials"}, auth=creds, verify=cafile)
    r.raise_for_status()
    return r.json()["access_token"]


def activity_csv(rows: int) -> str:
    lines = ["activity_type,fuel,sector,technology,region,year,mode,material,quantity,unit"]
    kinds = [
        "fuel,hard_coal,power,old,,2015,,,{q},GJ",
        "electricity,,,,east,2022,,,{q},MWh",
        "freight,,,,,2015,hgv_all_diesel/all_hgvs,,{q},t*km",
        "material,,,,,,,aggregates,{q},t",
        "fuel,natural_gas,industry,,,2015,,,{q},GJ",
    ]
    lines += [kinds[i % len(kinds)].format(q=10 + i) for i in range(rows)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--footprints", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000, help="at most this many requests per scenario")
    parser.add_argument("--seconds", type=float, default=15.0, help="at most this long per scenario")
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file in a temp directory")
    parser.add_argument("--activity-rows", type=int, default=20_000, help="rows in one upload (≤ 2 MB body)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="coreduce-bench-"))
    os.environ["COREDUCE_HOME"] = str(workdir / "home")
    database_url = args.database_url or f"sqlite:///{workdir / 'exchange.sqlite3'}"
    backend = database_url.split(":", 1)[0]
    print(
        f"exchange API benchmark: {args.footprints:,} footprints on {backend}; load generator on loopback, "
        f"{args.concurrency} in flight, each scenario ≤ {args.requests:,} requests and ≤ {args.seconds:g} s; "
        f"machine load (1/5/15 min) {' / '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )

    acme, beta, seconds = seed(database_url, args.footprints)
    size = ""
    if backend == "sqlite":
        db = Path(database_url.split("///", 1)[1])
        size = f", database {sum(p.stat().st_size for p in db.parent.glob(db.name + '*')) / 2**20:.0f} MiB"
    print(f"stored {args.footprints:,} validated footprints in {seconds:.1f} s "
          f"({args.footprints / seconds:,.0f} footprints/s, batches of 1,000){size}\n")  # fmt: skip

    server, url, cafile = start_server(database_url, workdir)
    try:
        acme_token = token_for(url, cafile, (acme.client_id, acme.client_secret))
        beta_token = token_for(url, cafile, (beta.client_id, beta.client_secret))
        rng = random.Random(1)
        n = args.footprints
        scenarios = [
            ("baseline: OpenID discovery (no DB)", None, lambda: ("/.well-known/openid-configuration", None)),
            ("ListFootprints, first page of 100", acme_token, lambda: ("/3/footprints", {"limit": 100})),
            ("ListFootprints, page of 10", acme_token, lambda: ("/3/footprints", {"limit": 10})),
            ("ListFootprints, deep page (after)", acme_token,
             lambda: ("/3/footprints", {"limit": 100, "after": rng.randrange(n // 2, max(n // 2 + 1, n - 100))})),
            ("ListFootprints, productId filter", acme_token,
             lambda: ("/3/footprints", {"productId": f"urn:gtin:{4700000000000 + rng.randrange(n)}"})),
            ("ListFootprints, geography+validOn+status", acme_token,
             lambda: ("/3/footprints", {"geography": "CN-SD", "validOn": "2026-06-01T00:00:00Z",
                                        "status": "Active", "limit": 100})),
            ("ListFootprints, shared view (2nd company)", beta_token, lambda: ("/3/footprints", {"limit": 100})),
            ("GetFootprint by id", acme_token, lambda: (f"/3/footprints/{uuid.UUID(int=rng.randrange(n) + 1)}", None)),
        ]  # fmt: skip
        print(f"{'scenario':<44}{'requests':>9}{'seconds':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'non-200':>9}")
        for label, token, make in scenarios:
            done, secs, lat, errors = asyncio.run(
                load(url, cafile, token, make, args.concurrency, args.requests, args.seconds)
            )
            lat.sort()
            p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
            print(f"{label:<44}{done:>9,}{secs:>9.2f}{done / secs:>9.0f}{statistics.median(lat) * 1e3:>9.1f}"
                  f"{p95 * 1e3:>9.1f}{errors:>9}")  # fmt: skip

        product = {
            "productIds": ["urn:gtin:1"],
            "productNameCompany": "bench",
            "declaredUnitOfMeasurement": "kilogram",
            "producedAmount": "1000000",
            "productMassPerDeclaredUnit": "1",
            "referencePeriodStart": "2024-01-01T00:00:00Z",
            "referencePeriodEnd": "2025-01-01T00:00:00Z",
        }
        body = {"products": [product], "activities": activity_csv(args.activity_rows)}
        t0 = time.perf_counter()
        r = httpx.post(url + "/platform/activity", json=body, verify=cafile, timeout=600,
                       headers={"Authorization": f"Bearer {acme_token}"})  # fmt: skip
        secs = time.perf_counter() - t0
        status = "" if r.status_code == 201 else f" (status {r.status_code}: {r.text[:200]})"
        print(f"\nactivity import: {args.activity_rows:,} CSV rows ({len(body['activities']) / 1024:.0f} KiB) "
              f"co-accounted and stored in {secs:.2f} s = {args.activity_rows / secs:,.0f} rows/s{status}")  # fmt: skip
        client_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"server peak resident memory (VmHWM): {peak_rss_mib(server.pid):.0f} MiB; "
            f"load generator + seeding process peak RSS: {client_peak:.0f} MiB"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
