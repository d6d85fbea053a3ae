"""Server time per page of the web explorer on the bundled panel (p50 and p99 over repeated requests).

Run: ``python benchmarks/bench_web.py [--requests 200]``.

Starts the real server (uvicorn, plain HTTP on 127.0.0.1, :class:`coreduce.exchange.server.ServerThread`) and sends
``--requests`` sequential requests per page over one keep-alive httpx connection, after a first request (which
opens the panel, or runs the analysis of an analysis page; its time is printed too). Baseline: the stylesheet (no
panel, no template), the floor set by HTTP and the framework.
Prints the panel size and the machine load (``os.getloadavg``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from coreduce.exchange.server import ServerThread
from coreduce.exchange.settings import Settings
from coreduce.web import explorer, router
from coreduce.web.analyses import ANALYSES

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("COREDUCE_HOME", str(Path(folder) / "home"))
        settings = Settings(database_url=f"sqlite:///{Path(folder) / 'exchange.db'}", routers=(router,))
        with ServerThread(settings, tls=None) as server, httpx.Client(base_url=server.url) as client:
            source = explorer.index()
            print(f"panel: {len(source.panel.data):,} rows, {len(source.variables)} variables; load {os.getloadavg()}")
            for name, path in PAGES.items():
                start = time.perf_counter()
                assert client.get(path, timeout=600).status_code == 200, path
                first = (time.perf_counter() - start) * 1000
                times = []
                for _ in range(args.requests):
                    start = time.perf_counter()
                    client.get(path).raise_for_status()
                    times.append((time.perf_counter() - start) * 1000)
                cuts = statistics.quantiles(times, n=100)
                print(
                    f"{name:45s} p50 {cuts[49]:7.1f} ms  p99 {cuts[98]:7.1f} ms  ({args.requests} requests; "
                    f"first request {first:,.0f} ms)"
                )
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
