"""Cost of PublishedEvents on ``POST /platform/footprints``: response latency with no recipient host, a working
recipient host and a host that answers 500 (queued in the publish transaction, sent by the delivery worker,
retried with back-off), and the time until the event is delivered or its first failed try is recorded.

Run: ``python benchmarks/bench_published_events.py [--sizes 1,100,1000] [--repeat 5]``.

Three HTTPS servers run in this process on 127.0.0.1 (uvicorn threads, self-signed certificate, SQLite): the
owner's exchange A, the recipient's exchange B (serving Beta) and a host F whose Action Events answers 500
(serving Gamma). For each batch size, footprints are published ``--repeat`` times with ``shareWith`` = [] (the
baseline: no event), [Beta] and [Gamma]; each publish uses a fresh connection. Printed: median publish response
time, median time from the request to the delivered event at B (or to the recorded first failed try for F), the
queue's state at the end, the machine load (1-minute load average, before and after) and this process's peak
resident memory.

Measured with the outbox (2 cores shared, load 32-34 while other work ran, SQLite, --repeat 3): publish p50
1 / 100 / 1,000 footprints = 228 / 251 / 3,726 ms without recipients, 186 / 408 / 2,215 ms to Beta, 153 / 492 /
3,918 ms to Gamma (at this load the spread between runs is larger than the cost of queueing one event row);
event delivered at B 1.0 / 1.0 / 3.0 s after the request (discovery, token with its scrypt check at B, event);
Gamma's first failed try recorded 0.5 / 1.0 / 4.5 s after the request, its next try 5 s later (no longer ~3 s of
in-request retries); peak resident memory 289 MiB. Before the outbox (2 cores, lower load, --repeat 5): publish
48 / 59 / 148 ms without recipients, 47 / 65 / 165 ms to Beta; delivered at B after 141 / 167 / 308 ms.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import ssl
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from coreduce.exchange.server import ServerThread, TlsFiles
from coreduce.exchange.settings import OutboundHost, Settings
from coreduce.exchange.tls import self_signed

ACME, BETA, GAMMA = "urn:company:acme", "urn:company:beta", "urn:company:gamma"


def footprint() -> dict:
    return {
        "id": str(uuid.uuid4()),
        "specVersion": "3.0.0",
        "created": "2025-03-01T00:00:00Z",
        "status": "Active",
        "companyName": "Acme Steel",
        "companyIds": [ACME],
        "productDescription": "benchmark product",
        "productIds": [f"urn:gtin:{uuid.uuid4().int % 10**13}"],
        "productNameCompany": "product",
        "pcf": {
            "declaredUnitOfMeasurement": "kilogram",
            "declaredUnitAmount": "1",
            "productMassPerDeclaredUnit": "1",
            "referencePeriodStart": "2024-01-01T00:00:00Z",
            "referencePeriodEnd": "2025-01-01T00:00:00Z",
            "geographyCountry": "CN",
            "pcfExcludingBiogenicUptake": "2.1",
            "pcfIncludingBiogenicUptake": "2.1",
            "fossilCarbonContent": "0",
            "fossilGhgEmissions": "2.1",
            "ipccCharacterizationFactors": ["AR6"],
            "crossSectoralStandards": ["ISO14067"],
            "exemptedEmissionsPercent": "0",
            "packagingEmissionsIncluded": False,
        },
    }


def failing_host(tls: TlsFiles):
    """(url, server, thread) of an HTTPS host issuing tokens and answering every event with 500."""
    app = FastAPI()
    app.post("/auth/token")(lambda: {"access_token": "t", "token_type": "Bearer", "expires_in": 3600})
    app.post("/3/events")(lambda: JSONResponse({"code": "InternalError", "message": "down"}, status_code=500))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", ssl_certfile=str(tls.certfile), ssl_keyfile=str(tls.keyfile))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return f"https://127.0.0.1:{sock.getsockname()[1]}", server, thread


def wait(predicate, timeout: float = 60) -> float:
    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("event outcome did not appear")
        time.sleep(0.01)
    return time.perf_counter()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,1000", help="footprints per publish, comma-separated")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    root = Path(tempfile.mkdtemp(prefix="bench-published-"))
    tls = TlsFiles(*self_signed(root / "tls"))
    f_url, f_server, f_thread = failing_host(tls)
    with ServerThread(Settings(database_url=f"sqlite:///{root / 'b.sqlite3'}"), tls) as b:
        acme_at_b = b.app.state.exchange.add_client(ACME, "Acme Steel")
        outbound = (
            OutboundHost(b.url, acme_at_b.client_id, acme_at_b.client_secret, companies=(BETA,)),
            OutboundHost(f_url, "acme", "secret", companies=(GAMMA,)),
        )
        settings = Settings(
            database_url=f"sqlite:///{root / 'a.sqlite3'}", outbound=outbound, outbound_verify=str(tls.certfile)
        )
        with ServerThread(settings, tls) as a:
            ex_a, ex_b = a.app.state.exchange, b.app.state.exchange
            acme = ex_a.add_client(ACME, "Acme Steel")
            ex_a.add_company("Beta Motors", BETA)
            ex_a.add_company("Gamma Batteries", GAMMA)
            acme_b = ex_b.company_id(ACME)
            verify = ssl.create_default_context(cafile=str(tls.certfile))
            with httpx.Client(base_url=a.url, verify=verify, timeout=120) as c:
                token = c.post(
                    "/auth/token", data={"grant_type": "client_credentials"}, auth=(acme.client_id, acme.client_secret)
                ).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}

            def first_try_recorded(ids: list[str]):
                def done():
                    return any(row["pfIds"] == ids and row["tries"] >= 1 for row in ex_a.outbox_events(limit=50))

                return done

            print(f"machine load before: {os.getloadavg()[0]:.1f} (1-minute average, {os.cpu_count()} cores)")
            print(f"{'footprints':>10}  {'recipient':<22} {'publish p50 (ms)':>17} {'outcome p50 (ms)':>17}")
            for n in sizes:
                for label, share in (
                    ("none (baseline)", []),
                    ("Beta (host answers)", [BETA]),
                    ("Gamma (host 500)", [GAMMA]),
                ):
                    publish_ms, outcome_ms = [], []
                    for _ in range(args.repeat):
                        docs = [footprint() for _ in range(n)]
                        ids = [d["id"] for d in docs]
                        start = time.perf_counter()
                        with httpx.Client(base_url=a.url, verify=verify, timeout=120) as c:
                            r = c.post(
                                "/platform/footprints", json={"footprints": docs, "shareWith": share}, headers=headers
                            )
                            answered = time.perf_counter()
                        if r.status_code != 201:
                            sys.exit(f"publish failed: {r.status_code} {r.text}")
                        publish_ms.append((answered - start) * 1000)
                        if share == [BETA]:
                            end = wait(lambda ids=ids: any(e["data"].get("pfIds") == ids for e in ex_b.events(acme_b)))
                            outcome_ms.append((end - start) * 1000)
                        elif share == [GAMMA]:
                            end = wait(first_try_recorded(ids))
                            outcome_ms.append((end - start) * 1000)
                    outcome = f"{statistics.median(outcome_ms):17.0f}" if outcome_ms else f"{'-':>17}"
                    print(f"{n:>10}  {label:<22} {statistics.median(publish_ms):17.1f} {outcome}")
            print("queue at the end:", ex_a.outbox_counts(), "(Gamma's events wait for their next try)")
    f_server.should_exit = True
    f_thread.join(timeout=10)
    print(f"machine load after: {os.getloadavg()[0]:.1f}")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the process (3 servers + client): {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
