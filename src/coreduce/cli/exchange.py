"""``coreduce serve`` and ``coreduce exchange …``: run the PACT v3 footprint exchange and manage its data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

exchange_app = typer.Typer(help="The supply-chain footprint exchange (PACT v3): clients, footprints, measures.")

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="sqlite:///path or postgresql://… (default: SQLite in the user directory)."),
]


def _fail(message: str) -> None:
    from rich.console import Console

    Console(stderr=True).print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


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
) -> None:
    """Serve the PACT v3 exchange API over HTTPS (self-signed by default when no certificate is given)."""
    from rich.console import Console

    from coreduce.exchange.server import InsecureHttpRefused, resolve_tls, serve
    from coreduce.exchange.settings import Settings

    if cert is None and key is None and not dev_insecure_http:
        self_signed = True
    try:
        tls = resolve_tls(cert, key, self_signed, dev_insecure_http, host)
    except (InsecureHttpRefused, ValueError, FileNotFoundError) as exc:
        _fail(str(exc))
    scheme = "https" if tls else "http"
    console = Console(stderr=True)
    console.print(f"coreduce exchange on {scheme}://{host}:{port}  (OpenAPI: {scheme}://{host}:{port}/docs)")
    if tls is not None and cert is None:
        console.print(f"self-signed certificate: {tls.certfile}")
    serve(Settings(database_url=database_url, public_base_url=public_base_url), host=host, port=port, tls=tls)


@exchange_app.command("client-add")
def client_add_command(
    company: Annotated[str, typer.Argument(help="Company identifier (URN), e.g. urn:company:acme.")],
    name: Annotated[str | None, typer.Option("--name", help="Company name (when the company is new).")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create client credentials for a company (created if new); the secret is shown only once."""
    from rich.console import Console
    from rich.table import Table

    from coreduce.exchange.errors import ApiError
    from coreduce.exchange.service import open_exchange

    try:
        credentials = open_exchange(database_url).add_client(company, name)
    except ApiError as exc:
        _fail(exc.message)
    table = Table(title=f"client credentials for {company}")
    table.add_column("client_id")
    table.add_column("client_secret (shown once; only its hash is stored)")
    table.add_row(credentials.client_id, credentials.client_secret)
    Console().print(table)


@exchange_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="JSON: one PACT v3 footprint, a list, or a ListFootprints body.")],
    company: Annotated[str, typer.Option("--company", help="URN of the owning company (must exist).")],
    share_with: Annotated[
        list[str] | None, typer.Option("--share-with", help="URN of a company to share with (repeatable).")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Validate and store footprints owned by a company; all or none."""
    from rich.console import Console

    from coreduce.exchange.errors import ApiError
    from coreduce.exchange.service import load_footprints_file, open_exchange

    try:
        footprints = load_footprints_file(file)
        exchange = open_exchange(database_url)
        ids = exchange.add_footprints(exchange.company_id(company), footprints, share_with or [], "footprint.import")
    except ApiError as exc:
        _fail(exc.message)
    shared = f", shared with {', '.join(share_with)}" if share_with else ""
    Console().print(f"stored {len(ids)} footprint(s) for {company}{shared}")


@exchange_app.command("footprint")
def footprint_command(
    footprint_id: Annotated[str | None, typer.Argument(help="Print this footprint as JSON.")] = None,
    company: Annotated[str, typer.Option("--company", help="URN of the company whose view is shown.")] = "",
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows in the list.")] = 50,
    database_url: DatabaseUrl = None,
) -> None:
    """List the footprints a company can see, or print one as JSON."""
    from rich.console import Console
    from rich.table import Table

    from coreduce.exchange.errors import ApiError
    from coreduce.exchange.service import FootprintQuery, open_exchange

    if not company:
        _fail("--company is required (the footprints shown are those this company owns or was shared)")
    try:
        exchange = open_exchange(database_url)
        company_id = exchange.company_id(company)
        if footprint_id:
            typer.echo(json.dumps(exchange.get_footprint(company_id, footprint_id), indent=2, ensure_ascii=False))
            return
        page = exchange.list_footprints(company_id, FootprintQuery(), limit)
    except ApiError as exc:
        _fail(exc.message)
    table = Table(title=f"footprints visible to {company}")
    for column in ("id", "company", "product", "status", "kgCO2e / unit", "declared unit", "geography"):
        table.add_column(column)
    for pf in page.footprints:
        pcf = pf["pcf"]
        geography = pcf.get("geographyCountrySubdivision") or pcf.get("geographyCountry")
        table.add_row(
            pf["id"],
            pf["companyName"],
            pf["productNameCompany"],
            pf["status"],
            pcf["pcfExcludingBiogenicUptake"],
            f"{pcf['declaredUnitAmount']} {pcf['declaredUnitOfMeasurement']}",
            geography or pcf.get("geographyRegionOrSubregion") or "",
        )
    Console().print(table)
    if page.next_after is not None:
        Console(stderr=True).print(f"(first {limit} shown; use --limit for more)")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
    app.add_typer(exchange_app, name="exchange")
