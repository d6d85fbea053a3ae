"""``coreduce serve``: run the PACT v3 footprint exchange (API and web pages) over HTTPS, in one or more processes.

With ``--workers N`` each worker process builds the same application from the command's options, which the
command hands to the workers in the environment variable ``COREDUCE_SERVE_OPTIONS`` (file paths, never secrets).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from coreduce.cli import exchange_options as opt
from coreduce.cli.exchange import DatabaseUrl, _fail

OPTIONS_VARIABLE = "COREDUCE_SERVE_OPTIONS"
ApiRatePerAddress = Annotated[
    float,
    typer.Option(
        "--api-rate-per-address",
        min=0,
        help="API requests per second one source address may send (per process; bursts of twice that; 0 = no "
        "limit, e.g. behind a proxy that limits by address itself). Each bearer token keeps its own limit.",
    ),
]


def settings_from_options(options: dict):
    """The exchange settings ``coreduce serve`` runs with, from its options (as JSON-compatible values); ValueError
    or FileNotFoundError naming the file when an outbound option is wrong."""
    from coreduce.exchange.settings import Settings
    from coreduce.web import router as pages

    outbound, ca = options.get("outbound"), options.get("outbound_ca")
    delivery = opt.delivery_settings(
        Path(outbound) if outbound else None,
        Path(ca) if ca else None,
        options["retry_first"],
        options["retry_longest"],
        options["give_up_hours"],
        options.get("keep_delivered_days", 7.0),
        options.get("keep_ended_days", 30.0),
    )
    rate = options.get("api_rate_per_address", 2000.0)
    return Settings(
        database_url=options.get("database_url"),
        api_rate_per_address=(rate, int(2 * rate)),
        public_base_url=options.get("public_base_url"),
        deliver=options.get("deliver", True),
        **delivery,
        allowed_hosts=("localhost", "127.0.0.1", "::1", options["host"], *options.get("allowed_hosts", ())),
        require_https=options.get("https", True),
        routers=(pages,),
    )


def worker_app():
    """The application of one ``--workers`` process (uvicorn calls this factory in each worker)."""
    from coreduce.exchange.api.app import create_app

    return create_app(settings_from_options(json.loads(os.environ[OPTIONS_VARIABLE])))


def serve_command(
    database_url: DatabaseUrl = None,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8443,
    cert: Annotated[Path | None, typer.Option("--cert", help="TLS certificate (PEM).")] = None,
    key: Annotated[Path | None, typer.Option("--key", help="TLS private key (PEM).")] = None,
    self_signed: Annotated[
        bool, typer.Option("--self-signed", help="Generate (once) and use a self-signed certificate.")
    ] = False,
    dev_insecure_http: Annotated[
        bool, typer.Option("--dev-insecure-http", help="Serve plain HTTP (local development only).")
    ] = False,
    public_base_url: Annotated[
        str | None, typer.Option("--public-base-url", help="External base URL written into extension schema links.")
    ] = None,
    outbound: opt.Outbound = None,
    outbound_ca: opt.OutboundCa = None,
    retry_first: opt.RetryFirst = 5.0,
    retry_longest: opt.RetryLongest = 3600.0,
    give_up_hours: opt.GiveUpHours = 72.0,
    keep_delivered_days: opt.KeepDeliveredDays = 7.0,
    keep_ended_days: opt.KeepEndedDays = 30.0,
    no_deliver: Annotated[
        bool, typer.Option("--no-deliver", help="Queue events but leave sending them to coreduce exchange deliver.")
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option("--allowed-host", help="Host name clients may use (repeatable; without --public-base-url)."),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="Server processes sharing the port (about one per core). Rate limits are kept per process: "
            "with N workers a client may get up to N times each limit.",
        ),
    ] = 1,
    access_log: Annotated[bool, typer.Option("--access-log/--no-access-log", help="Log one line per request.")] = True,
    api_rate_per_address: ApiRatePerAddress = 2000.0,
) -> None:
    """Serve the PACT v3 exchange API over HTTPS (self-signed by default when no certificate is given), and send
    the events it queues (unless --no-deliver)."""
    from rich.console import Console

    from coreduce.exchange.server import InsecureHttpRefused, resolve_tls, serve

    if cert is None and key is None and not dev_insecure_http:
        self_signed = True
    options = {
        "database_url": database_url,
        "public_base_url": public_base_url,
        "outbound": str(outbound) if outbound is not None else None,
        "outbound_ca": str(outbound_ca) if outbound_ca else None,
        "retry_first": retry_first,
        "retry_longest": retry_longest,
        "give_up_hours": give_up_hours,
        "keep_delivered_days": keep_delivered_days,
        "keep_ended_days": keep_ended_days,
        "deliver": not no_deliver,
        "host": host,
        "allowed_hosts": list(allowed_host or []),
        "api_rate_per_address": api_rate_per_address,
    }
    try:
        tls = resolve_tls(cert, key, self_signed, dev_insecure_http, host)
        options["https"] = tls is not None
        settings = settings_from_options(options)
    except (InsecureHttpRefused, ValueError, FileNotFoundError) as exc:
        _fail(str(exc))
    scheme = "https" if tls else "http"
    console = Console(stderr=True)
    console.print(f"coreduce exchange on {scheme}://{host}:{port}  (OpenAPI: {scheme}://{host}:{port}/docs)")
    if tls is not None and cert is None:
        console.print(f"self-signed certificate: {tls.certfile}")
    os.environ[OPTIONS_VARIABLE] = json.dumps(options)
    factory = f"{__name__}:worker_app"
    serve(settings, host=host, port=port, tls=tls, workers=workers, factory=factory, access_log=access_log)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
