"""``coreduce exchange …``: manage the PACT v3 footprint exchange's data (``coreduce serve`` runs it)."""

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


@exchange_app.command("client-add")
def client_add_command(
    company: Annotated[str, typer.Argument(help="Company identifier (URN), e.g. urn:company:acme.")],
    name: Annotated[str | None, typer.Option("--name", help="Company name (when the company is new).")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create client credentials for a company (created if new); the secret is shown only once."""
    from rich.console import Console
    from rich.table import Table

    from coreduce.exchange.errors import ExchangeError
    from coreduce.exchange.service import open_exchange

    try:
        credentials = open_exchange(database_url).add_client(company, name)
    except ExchangeError as exc:
        _fail(exc.message)
    table = Table(title=f"client credentials for {company}")
    table.add_column("client_id")
    table.add_column("client_secret (shown once; only its hash is stored)")
    table.add_row(credentials.client_id, credentials.client_secret)
    Console().print(table)


@exchange_app.command("client")
def client_command(
    action: Annotated[str, typer.Argument(help="revoke or rotate.")],
    client_id: Annotated[str, typer.Argument(help="The client id (cr_…).")],
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke a client (its secret and tokens are refused) or rotate its secret (the new one is shown once)."""
    from rich.console import Console

    from coreduce.exchange.errors import ExchangeError
    from coreduce.exchange.service import open_exchange

    if action not in ("revoke", "rotate"):
        _fail(f"action must be 'revoke' or 'rotate', got {action!r}")
    try:
        exchange = open_exchange(database_url)
        if action == "revoke":
            exchange.revoke_client(client_id)
            Console().print(f"client {client_id} revoked: its secret and tokens are refused from now on")
        else:
            made = exchange.rotate_secret(client_id)
            Console().print(f"new client_secret for {client_id} (shown once): {made.client_secret}")
    except ExchangeError as exc:
        _fail(exc.message)


@exchange_app.command("delegate")
def delegate_command(
    action: Annotated[str, typer.Argument(help="grant or revoke.")],
    delegator: Annotated[str, typer.Option("--from", help="URN of the company whose name may be used.")],
    delegate: Annotated[str, typer.Option("--to", help="URN of the company whose clients may publish in it.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Let a company's clients publish footprints in another company's name (grant), or stop it (revoke); audited."""
    from rich.console import Console

    from coreduce.exchange.errors import ExchangeError
    from coreduce.exchange.service import open_exchange

    if action not in ("grant", "revoke"):
        _fail(f"action must be 'grant' or 'revoke', got {action!r}")
    try:
        changed = open_exchange(database_url).delegate(delegator, delegate, granted=action == "grant")
    except ExchangeError as exc:
        _fail(exc.message)
    verb = "may now" if action == "grant" else "may no longer"
    note = "" if changed else " (unchanged)"
    Console().print(f"clients of {delegate} {verb} publish in the name of {delegator}{note}")


@exchange_app.command("import")
def import_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="PACT v3 footprints (JSON: one, a list, or a ListFootprints body); with --products, activity "
            "rows (CSV or JSON) to co-account into footprints."
        ),
    ],
    company: Annotated[str, typer.Option("--company", help="URN of the owning company (must exist).")],
    share_with: Annotated[
        list[str] | None, typer.Option("--share-with", help="URN of a company to share with (repeatable).")
    ] = None,
    products: Annotated[
        Path | None,
        typer.Option("--products", help="JSON list of the products the activity rows made (see ActivityUpload)."),
    ] = None,
    public_base_url: Annotated[
        str, typer.Option("--public-base-url", help="Base URL of the exchange, for the extension schema link.")
    ] = "https://127.0.0.1:8443",
    database_url: DatabaseUrl = None,
) -> None:
    """Validate and store footprints owned by a company, or co-account activity rows into footprints; all or none."""
    from rich.console import Console

    from coreduce.exchange.errors import ExchangeError
    from coreduce.exchange.service import load_footprints_file, open_exchange

    if products is not None:
        return _import_activity(file, company, share_with or [], products, public_base_url, database_url)
    try:
        footprints = load_footprints_file(file)
        exchange = open_exchange(database_url)
        ids = exchange.add_footprints(exchange.acting_as(company), footprints, share_with or [], "footprint.import")
    except ExchangeError as exc:
        _fail(exc.message)
    shared = f", shared with {', '.join(share_with)}" if share_with else ""
    Console().print(f"stored {len(ids)} footprint(s) for {company}{shared}")


def _import_activity(file: Path, company: str, share_with: list[str], products: Path, base_url: str, database_url):
    from pydantic import ValidationError
    from rich.console import Console
    from rich.table import Table

    from coreduce.exchange.chain.upload import ActivityUpload
    from coreduce.exchange.errors import ExchangeError, describe
    from coreduce.exchange.service import open_exchange

    try:
        specs = json.loads(products.read_text(encoding="utf-8"))
        rows = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        _fail(f"{exc.filename}: file not found")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        _fail(f"{products}: not a JSON list of products ({exc})")
    try:
        upload = ActivityUpload(products=specs if isinstance(specs, list) else [specs], activities=rows,
                                shareWith=share_with)  # fmt: skip
    except ValidationError as exc:
        _fail(f"{products}: {describe(exc)}")
    try:
        exchange = open_exchange(database_url)
        accounted = exchange.add_activity(exchange.acting_as(company), upload, base_url)
    except ExchangeError as exc:
        _fail(f"{file}: {exc.message}")
    table = Table(title=f"footprints co-accounted from {file.name} for {company}")
    for column in ("footprint id", "product", "rows", "kgCO2e / unit", "SO2 kg", "NOx kg", "PM2.5 kg"):
        table.add_column(column)
    for pf in accounted.footprints:
        data = pf.extensions[0].data
        table.add_row(str(pf.id), pf.productNameCompany, str(next(t["rows"] for t in accounted.totals if
                      t["footprintId"] == str(pf.id))), pf.pcf.pcfExcludingBiogenicUptake, data["so2"], data["nox"],
                      data["pm25"])  # fmt: skip
    Console().print(table)
    Console(stderr=True).print("values per declared unit amount; convention: " + accounted.conventions["carbon"])


@exchange_app.command("measures")
def measures_command(
    file: Annotated[Path, typer.Argument(help="Activity rows (CSV or JSON) of one company or site.")],
    weighting: Annotated[
        str, typer.Option("--weighting", help="equal_normalised, env_tax (needs --co2-price) or custom.")
    ] = "equal_normalised",
    co2_price: Annotated[float | None, typer.Option("--co2-price", help="CNY per t CO2 (env_tax).")] = None,
    tax_per_equivalent: Annotated[
        float, typer.Option("--tax-per-equivalent", help="CNY per pollution equivalent, 1.2-12 (env_tax).")
    ] = 1.2,
    grid_region: Annotated[str | None, typer.Option("--grid-region", help="Grid of extra electricity.")] = None,
    grid_year: Annotated[int | None, typer.Option("--grid-year", help="Year of the grid factor.")] = None,
    mac: Annotated[Path | None, typer.Option("--mac", help="Write the MAC curve (SVG) here.")] = None,
) -> None:
    """Rank the measure catalogue for the activity: CO2 + pollutant reduction per yuan, trade-offs flagged."""
    from pydantic import ValidationError
    from rich.console import Console
    from rich.table import Table

    from coreduce.accounting import load_factor_library
    from coreduce.exchange.chain import advice
    from coreduce.exchange.errors import ExchangeError, describe

    try:
        rows = file.read_text(encoding="utf-8-sig")
    except (FileNotFoundError, UnicodeDecodeError) as exc:
        _fail(f"{file}: cannot read activity rows ({exc})")
    try:
        request = advice.MeasuresRequest(activities=rows, weighting=weighting, co2_price=co2_price,
                                         tax_per_equivalent=tax_per_equivalent, grid_region=grid_region,
                                         grid_year=grid_year)  # fmt: skip
    except ValidationError as exc:
        _fail(describe(exc))
    try:
        ranking = advice.rank(request, load_factor_library())
        svg = advice.mac_svg(ranking, "co2") if mac is not None else None
    except ExchangeError as exc:
        _fail(f"{file}: {exc.message}")
    table = Table(title=f"measures for {file.name}, ranked by weighted reduction per yuan ({weighting})")
    pollutants = ranking.pollutants
    for column in ("rank", "measure", "cost CNY/yr", *(f"Δ{p} kg" for p in pollutants), "W / yuan", "trade-off"):
        table.add_column(column, justify="left" if column in ("measure", "trade-off") else "right")
    for r in ranking.table.to_dict("records"):
        cells = [f"{r[f'reduction_{p}_kg']:,.1f}" for p in pollutants]
        flag = f"raises {r['raises']}" if r["tradeoff"] else ""
        table.add_row(str(r["rank"]), r["measure_id"], f"{r['cost_cny']:,.0f}", *cells, f"{r['score_per_yuan']:.3g}",
                      flag)  # fmt: skip
    Console().print(table)
    if ranking.conventions.get("not_applicable"):
        Console(stderr=True).print("not applicable to these rows: " + ", ".join(ranking.conventions["not_applicable"]))
    if svg is not None:
        from coreduce.fileio import atomic_write

        with atomic_write(mac) as tmp:
            tmp.write_bytes(svg)
        Console(stderr=True).print(f"MAC curve written to {mac}")


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

    from coreduce.exchange.errors import ExchangeError
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
    except ExchangeError as exc:
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
    app.add_typer(exchange_app, name="exchange")
