"""Server time per web page (p50 and p99 over repeated requests): the explorer on the bundled panel, and every
page of the supplier workspace with ``--footprints`` (default 100,000) footprints stored.

Run: ``python benchmarks/bench_web.py [--requests 200] [--footprints 100000] [--skip-explorer]``.

Starts the real server (uvicorn, plain HTTP on 127.0.0.1, :class:`coreduce.exchange.server.ServerThread`) and sends
``--requests`` sequential requests per page over one keep-alive httpx connection, after a first request (which
opens the panel, or runs the analysis of an analysis page; its time is printed too). The
workspace's store holds ``--footprints`` PACT footprints of one company (stored through
``Exchange.add_footprints`` in batches of 1,000, as benchmarks/_exchange_bench.py does; half shared with a
second company) plus one footprint co-accounted from an activity upload; the user signed in is that company's
admin. Form pages are timed for their GET and for one POST each (upload: a 3-row activity sheet, which stores
one more footprint per request). Baseline: the stylesheet (no panel, no template, no session), the floor set by
HTTP and the framework. Prints the problem size and the machine load (``os.getloadavg``) before and after.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from coreduce.exchange.server import ServerThread
from coreduce.exchange.settings import Settings
from coreduce.web import explorer, router
from coreduce.web.analyses import ANALYSES

sys.path.insert(0, str(Path(__file__).parent))
from _exchange_bench import ACME, BETA, footprint

FIVE = "&".join(f"geo={g}" for g in ("110000", "310000", "440000", "510000", "650000"))
PAGES = {
    "stylesheet (baseline)": "/static/web/web.css",
    "explorer, China co2_ceads": "/explore?lang=en",
    "explorer, 5 provinces co2_ceads 2000-2019": f"/explore?variable=co2_ceads&{FIVE}&first=2000&last=2019",
    "CSV download, same 5 provinces": f"/explore/data.csv?variable=co2_ceads&{FIVE}&first=2000&last=2019",
    "xlsx download, same 5 provinces": f"/explore/data.xlsx?variable=co2_ceads&{FIVE}&first=2000&last=2019",
    "explorer, the East region's provinces": "/explore?variable=gdp&region=four_regions:East",
    **{f"analysis page, {name}": f"/explore/analysis/{name}?lang=en" for name in ANALYSES},
}
ACTIVITY = """activity_type,fuel,sector,technology,region,year,mode,material,quantity,unit
fuel,hard_coal,power,old,,2015,,,1000,GJ
electricity,,,,east,2022,,,100,MWh
freight,,,,,2015,hgv_all_diesel/all_hgvs,,10000,t*km
"""
PRODUCT = {
    "productNameCompany": "HR coil",
    "productId": "urn:gtin:4712345060507",
    "producedAmount": "100000",
    "productMassPerDeclaredUnit": "1",
    "declaredUnitOfMeasurement": "kilogram",
    "referencePeriodStart": "2024-01-01",
    "referencePeriodEnd": "2025-01-01",
}
PASSWORD = "benchmark password 1"


def timed(client: httpx.Client, name: str, requests: int, send) -> None:
    """Print p50/p99 of ``requests`` calls of ``send`` after a first call (which must succeed; its time is printed)."""
    start = time.perf_counter()
    assert send().status_code in (200, 303), name
    first = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = send()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 303), (name, response.status_code)
    cuts = statistics.quantiles(times, n=100)
    print(
        f"{name:52s} p50 {cuts[49]:7.1f} ms  p99 {cuts[98]:7.1f} ms  ({requests} requests; first {first:,.0f} ms)",
        flush=True,
    )


def explorer_pages(client: httpx.Client, requests: int) -> None:
    source = explorer.index()
    print(f"panel: {len(source.panel.data):,} rows, {len(source.variables)} variables; load {os.getloadavg()}")
    for name, path in PAGES.items():
        timed(client, name, requests, lambda path=path: client.get(path, timeout=600))


def seed(exchange, n: int) -> tuple[str, int]:
    """``n`` footprints of Acme (half shared with Beta), Acme's admin, one uploaded footprint; (its id, seconds)."""
    from coreduce.exchange.chain.upload import ActivityUpload
    from coreduce.exchange.pact.models import ProductFootprint

    exchange.add_company("Acme Steel", ACME)
    exchange.add_company("Beta Motors", BETA)
    exchange.add_user(ACME, "ann@acme.example", PASSWORD, "admin")
    owner = exchange.acting_as(ACME)
    start = time.perf_counter()
    for lo in range(0, n, 1000):
        batch = [ProductFootprint.model_validate(footprint(i)) for i in range(lo, min(n, lo + 1000))]
        exchange.add_footprints(owner, batch, share_with=[BETA] if lo % 2000 == 0 else [])
    spec = {"productIds": [PRODUCT["productId"]], "productNameCompany": "HR coil", "producedAmount": "100000",
            "productMassPerDeclaredUnit": "1", "declaredUnitOfMeasurement": "kilogram",
            "referencePeriodStart": "2024-01-01T00:00:00Z", "referencePeriodEnd": "2025-01-01T00:00:00Z"}  # fmt: skip
    made = exchange.add_activity(owner, ActivityUpload(products=[spec], activities=ACTIVITY), "http://127.0.0.1")
    return str(made.footprints[0].id), time.perf_counter() - start


def workspace_pages(client: httpx.Client, uploaded: str, requests: int) -> None:
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/workspace/login").text).group(1)
    client.post("/workspace/login", data={"login": "ann@acme.example", "password": PASSWORD, "csrf": token})
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/workspace").text).group(1)
    gets = {
        "workspace: footprints, first page (50)": "/workspace",
        "workspace: footprints, page after 50,000": "/workspace?after=50000",
        "workspace: footprint detail": f"/workspace/footprints/{uploaded}",
        "workspace: upload form": "/workspace/upload",
        "workspace: API clients": "/workspace/clients",
        "workspace: roll-up form (200 footprints listed)": "/workspace/rollup",
        "workspace: measures form": "/workspace/measures",
        "workspace: CBAM form": "/workspace/cbam",
        "workspace: events": "/workspace/events",
    }
    for name, path in gets.items():
        timed(client, name, requests, lambda path=path: client.get(path))
    sheet = {"file": ("activity.csv", ACTIVITY.encode(), "text/csv")}
    posts = {
        "workspace: POST upload (3 rows, stores 1 footprint)": ("/workspace/upload", PRODUCT, sheet),
        "workspace: POST measures (3 rows)": ("/workspace/measures", {"weighting": "equal_normalised"}, sheet),
        "workspace: POST roll-up (1 input)": (
            "/workspace/rollup",
            {"product": uploaded, "from0": str(footprint(1)["id"]), "amount0": "0.5"},
            None,
        ),
        "workspace: POST CBAM (1 line)": (
            "/workspace/cbam",
            {"cn0": "25231000", "country0": "CN", "mass0": "500"},
            None,
        ),
    }
    for name, (path, data, files) in posts.items():
        send = lambda path=path, data=data, files=files: client.post(path, data={**data, "csrf": csrf}, files=files)  # noqa: E731
        timed(client, name, max(requests // 4, 10), send)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--footprints", type=int, default=100_000)
    parser.add_argument("--skip-explorer", action="store_true")
    args = parser.parse_args()
    print(f"load before: {os.getloadavg()}; {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("COREDUCE_HOME", str(Path(folder) / "home"))
        settings = Settings(database_url=f"sqlite:///{Path(folder) / 'exchange.db'}", routers=(router,))
        with ServerThread(settings, tls=None) as server, httpx.Client(base_url=server.url, timeout=120) as client:
            if not args.skip_explorer:
                explorer_pages(client, args.requests)
            uploaded, seconds = seed(server.app.state.exchange, args.footprints)
            stored = server.app.state.exchange.count_footprints()
            print(f"workspace store: {stored:,} footprints (SQLite), seeded in {seconds:.0f} s; load {os.getloadavg()}")
            workspace_pages(client, uploaded, args.requests)
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
