"""``coreduce cbam …``: CBAM goods and default values, embedded emissions, certificates, the communication template."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Annotated

import typer

cbam_app = typer.Typer(help="EU CBAM: goods and default values, embedded emissions, certificates, communication.")

Lang = Annotated[str, typer.Option("--lang", help="Language of the output: en or zh.")]
Year = Annotated[int, typer.Option("--year", help="Import year (default-value mark-up and CBAM factor), 2026-2034.")]
Out = Annotated[Path | None, typer.Option("--out", help="Write the result to a .csv or .xlsx file.")]
Installation = Annotated[
    Path | None,
    typer.Option("--installation", help="Installation data: JSON, or a communication file (.xlsx/.json)."),
]
Values = Annotated[str, typer.Option("--values", help="actual_else_default, actual or default.")]
ExchangeDb = Annotated[
    str | None,
    typer.Option("--exchange-db", help="Exchange database (sqlite:///… or postgresql://…) to read precursors from."),
]
Company = Annotated[
    str | None, typer.Option("--company", help="The company acting on the exchange database (its URN).")
]
Supplier = Annotated[
    list[str] | None,
    typer.Option(
        "--supplier-footprint",
        help="FOOTPRINT_ID:PROCESS_ID:MASS_T — a footprint visible to --company whose CBAM extension gives a "
        "precursor's SEE, the process consuming it and the tonnes consumed (repeatable).",
    ),
]
Electricity = Annotated[str, typer.Option("--electricity-factor", help="grid or documented.")]


def _fail(message: str) -> None:
    from rich.console import Console

    Console(stderr=True).print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    raise typer.Exit(2)


def _errors():
    from coreduce.cbam.model import CbamInputError
    from coreduce.cbam.reference import ReferenceError
    from coreduce.conventions import ConventionError
    from coreduce.exchange.errors import ExchangeError

    return (CbamInputError, ConventionError, ReferenceError, ExchangeError, OSError, json.JSONDecodeError)


def _imports(path: Path) -> list[dict]:
    """Import lines from JSON (a list of objects) or CSV (columns cn, country, mass_t, route, process_id…)."""
    if path.suffix.lower() == ".csv":
        import pandas as pd

        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        rows = frame.to_dict("records")
        for row in rows:
            with contextlib.suppress(ValueError):  # else left as text: the model names the field and the expectation
                row["mass_t"] = float(row.get("mass_t", ""))
        return rows
    return json.loads(path.read_text(encoding="utf-8"))


def _read_installation(path: Path | None):
    from coreduce.cbam.communication import read_communication
    from coreduce.cbam.model import Installation as Model

    if path is None:
        return None
    if path.suffix.lower() == ".xlsx":
        return read_communication(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    return read_communication(path) if isinstance(data, dict) and "A_InstData" in data else Model.from_mapping(data)


def _supplier(text: str, i: int) -> dict:
    from coreduce.cbam.model import CbamInputError

    parts = text.rsplit(":", 2)
    try:
        return {"footprintId": parts[0], "processId": parts[1], "massT": float(parts[2])}
    except (IndexError, ValueError):
        raise CbamInputError(f"--supplier-footprint[{i}]", "FOOTPRINT_ID:PROCESS_ID:MASS_T", text) from None


def _installation(path: Path | None, db: str | None = None, company: str | None = None, suppliers=None):
    """(installation, factor library or None): from the file, with the suppliers' precursors read from the
    exchange database as ``company`` (only footprints it owns or that were shared with it)."""
    from coreduce.cbam.model import CbamInputError

    inst = _read_installation(path)
    if db is None:
        if suppliers:
            raise CbamInputError("--supplier-footprint", "--exchange-db and --company to read it from")
        return inst, None
    if not company:
        raise CbamInputError("--company", "the company acting on --exchange-db")
    from coreduce.exchange.service import open_exchange

    exchange = open_exchange(db)
    principal = exchange.acting_as(company)
    items = [_supplier(text, i) for i, text in enumerate(suppliers or [])]
    return exchange.cbam_installation(principal.company_id, inst, items), exchange.factor_library()


def _show(result, out: Path | None, lang: str) -> None:
    if out is not None:
        result.write(out, lang=lang)
    typer.echo(result.summary(lang))


def goods(
    cn: Annotated[str, typer.Argument(help="8-digit CN code, e.g. 25231000.")],
    country: Annotated[str, typer.Option("--country", help="Country of origin, ISO 3166 alpha-2.")] = "CN",
    year: Year = 2026,
    lang: Lang = "en",
    out: Out = None,
) -> None:
    """The good, its sector and its default values from a country: direct, indirect, total and the year's mark-up."""
    from coreduce.cbam.defaults import good_defaults

    try:
        _show(good_defaults(cn, country, year), out, lang)
    except _errors() as exc:
        _fail(str(exc))


ImportsArg = Annotated[Path, typer.Argument(help="Import lines: JSON list or CSV (cn, country, mass_t, …).")]


def _conventions(values: str, year: int, electricity: str, **more):
    from coreduce.cbam.conventions import CbamConventions

    return CbamConventions(values=values, year=year, electricity_factor=electricity, **more)


def embedded(
    imports: ImportsArg,
    installation: Installation = None,
    values: Values = "actual_else_default",
    year: Year = 2026,
    electricity_factor: Electricity = "grid",
    exchange_db: ExchangeDb = None,
    company: Company = None,
    supplier_footprint: Supplier = None,
    lang: Lang = "en",
    out: Out = None,
) -> None:
    """Embedded emissions of imported goods: actual values from an installation, else defaults with mark-up."""
    from coreduce.cbam.embedded import embedded_emissions

    try:
        conv = _conventions(values, year, electricity_factor)
        inst, library = _installation(installation, exchange_db, company, supplier_footprint)
        result = embedded_emissions(_imports(imports), installation=inst, conventions=conv, library=library)
        _show(result, out, lang)
    except _errors() as exc:
        _fail(str(exc))


def certificates(
    imports: ImportsArg,
    installation: Installation = None,
    values: Values = "actual_else_default",
    year: Year = 2026,
    electricity_factor: Electricity = "grid",
    price: Annotated[float | None, typer.Option("--price", help="Certificate price, EUR/t (default: EU ETS)")] = None,
    evidence: Annotated[
        Path | None, typer.Option("--evidence", help="JSON evidence of a carbon price paid in the country of origin.")
    ] = None,
    cscf: Annotated[float, typer.Option("--cscf", help="Cross-sectoral correction factor.")] = 1.0,
    no_de_minimis: Annotated[bool, typer.Option("--no-de-minimis", help="Do not apply the 50 t threshold.")] = False,
    exchange_db: ExchangeDb = None,
    company: Company = None,
    supplier_footprint: Supplier = None,
    lang: Lang = "en",
    out: Out = None,
) -> None:
    """CBAM certificates due and their cost, for the year and as scenarios 2026-2034."""
    from coreduce.cbam.certificates import CarbonPriceEvidence
    from coreduce.cbam.certificates import certificates as compute

    try:
        proof = CarbonPriceEvidence(**json.loads(evidence.read_text(encoding="utf-8"))) if evidence else None
        conv = _conventions(
            values,
            year,
            electricity_factor,
            certificate_price_eur=price,
            cscf=cscf,
            de_minimis=not no_de_minimis,
            carbon_price_paid_eur=proof.price_eur if proof else 0.0,
        )
        inst, library = _installation(installation, exchange_db, company, supplier_footprint)
        result = compute(_imports(imports), installation=inst, conventions=conv, evidence=proof, library=library)
        _show(result, out, lang)
        typer.echo("\n" + result.scenarios.to_string(index=False))
    except (*_errors(), TypeError) as exc:
        _fail(str(exc))


def template(
    installation: Annotated[Path, typer.Argument(help="Installation JSON (to export) or a communication file.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the communication (.xlsx or .json) for the importer.")
    ] = None,
    values: Values = "actual_else_default",
    year: Year = 2026,
    electricity_factor: Electricity = "grid",
    exchange_db: ExchangeDb = None,
    company: Company = None,
    supplier_footprint: Supplier = None,
) -> None:
    """Operator → importer communication: export an installation's data and SEE, or read one back and check it."""
    from coreduce.cbam.communication import write_communication
    from coreduce.cbam.embedded import embedded_emissions

    try:
        inst, library = _installation(installation, exchange_db, company, supplier_footprint)
        lines = [
            {"cn": p.cn, "country": inst.country, "mass_t": p.activity_level_t, "process_id": p.process_id}
            for p in inst.processes
        ]
        conv = _conventions(values, year, electricity_factor)
        result = embedded_emissions(lines, installation=inst, conventions=conv, library=library)
        if out is not None:
            write_communication(out, inst, result)
            typer.echo(f"wrote {out}")
        columns = ["process_id", "cn", "route", "activity_level_t", "see_direct", "see_indirect", "level"]
        typer.echo(result.processes[columns].to_string(index=False))
    except _errors() as exc:
        _fail(str(exc))


def measures(
    installation: Annotated[Path, typer.Argument(help="Installation JSON or communication file.")],
    process: Annotated[str, typer.Option("--process", help="The production process of the exported good.")],
    imports: Annotated[Path, typer.Option("--imports", help="Import lines (JSON or CSV) naming that process.")],
    eur_cny: Annotated[float, typer.Option("--eur-cny", help="EUR → CNY exchange rate.")],
    price: Annotated[float | None, typer.Option("--price", help="Certificate price, EUR/t (default: EU ETS)")] = None,
    tax_per_equivalent: Annotated[
        float, typer.Option("--tax-per-equivalent", help="CNY per pollution equivalent (law: 1.2-12).")
    ] = 1.2,
    year: Year = 2026,
    lang: Lang = "en",
    out: Out = None,
) -> None:
    """Catalogue measures ranked by CBAM cost saved plus local-pollutant co-benefit, trade-offs flagged."""
    from coreduce.accounting import load_factor_library, parse_activity
    from coreduce.cbam.certificates import certificates as compute
    from coreduce.cbam.measures import process_activity, rank_for_cbam
    from coreduce.exchange.chain.measures import TAX_EQUIVALENT_KG, MeasureError, load_measures, rank_measures

    try:
        inst = _read_installation(installation)
        library = load_factor_library()
        conv = _conventions("actual_else_default", year, "grid", certificate_price_eur=price)
        certs = compute(_imports(imports), installation=inst, conventions=conv, library=library)
        catalogue = load_measures()
        activity = parse_activity(process_activity(inst, process), library=library)
        ranking = rank_measures(activity, library, catalogue).table
        level = next(p.activity_level_t for p in inst.processes if p.process_id == process)
        values = {p: tax_per_equivalent / kg for p, kg in TAX_EQUIVALENT_KG.items()}
        result = rank_for_cbam(
            ranking,
            catalogue,
            certs,
            process_id=process,
            activity_level_t=level,
            eur_cny=eur_cny,
            pollutant_value_cny_per_kg=values,
        )
        _show(result, out, lang)
    except (*_errors(), MeasureError) as exc:
        _fail(str(exc))


def register(app: typer.Typer) -> None:
    cbam_app.command("goods")(goods)
    cbam_app.command("embedded")(embedded)
    cbam_app.command("certificates")(certificates)
    cbam_app.command("template")(template)
    cbam_app.command("measures")(measures)
    app.add_typer(cbam_app, name="cbam")
