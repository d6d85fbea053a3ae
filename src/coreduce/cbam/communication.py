"""Operator → importer communication: the installation's data and embedded emissions as xlsx or JSON, and back.

The workbook follows the structure of the Commission's "CBAM Communication template for installations"
(version 2024-12-13: data sheets ``A_InstData``, ``B_EmInst``, ``C_Emissions&Energy``, ``D_Processes``,
``E_PurchPrec`` and the summaries ``Summary_Processes``, ``Summary_Products``, ``Summary_Communication``) with
one table per sheet (header in row 1) rather than the template's formatted forms; a ``coreduce_meta`` sheet
names the format and version. The JSON holds the same tables. :func:`read_communication` rebuilds the
:class:`~coreduce.cbam.model.Installation` from the data sheets (errors name sheet, row and column) and the
summaries can be recomputed from it: a round trip gives the same specific embedded emissions.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from coreduce.cbam.model import CbamInputError, Installation
from coreduce.cbam.results import EmbeddedResult
from coreduce.fileio import atomic_write

FORMAT = "coreduce-cbam-communication"
VERSION = "1.0"
TEMPLATE = "CBAM Communication template for installations (European Commission, version 2024-12-13)"
STREAM_FIELDS = ["process_id", "name", "kind", "quantity", "unit", "fuel", "emission_factor", "factor_source"]
PROCESS_FIELDS = [
    "process_id",
    "cn",
    "route",
    "activity_level_t",
    "electricity_mwh",
    "electricity_factor",
    "electricity_evidence",
    "heat_imported_tj",
    "heat_imported_factor",
    "heat_exported_tj",
    "heat_exported_factor",
    "waste_gas_imported_tj",
    "waste_gas_exported_tj",
    "electricity_produced_mwh",
    "electricity_produced_factor",
]
PRECURSOR_FIELDS = [
    "process_id",
    "cn",
    "mass_t",
    "from_process",
    "see_direct",
    "see_indirect",
    "country",
    "route",
    "supplier_footprint_id",
    "evidence",
]
ENERGY_FIELDS = PROCESS_FIELDS[:1] + PROCESS_FIELDS[4:]
SUMMARY_PRODUCT_FIELDS = [
    "process_id",
    "cn",
    "route",
    "activity_level_t",
    "see_direct",
    "see_indirect",
    "see_default_direct",
    "see_default_indirect",
    "level",
]


def communication_tables(installation: Installation, embedded: EmbeddedResult) -> dict[str, pd.DataFrame]:
    """The communication as tables keyed by the template's sheet names."""
    inst = asdict(installation)
    info = {k: inst[k] for k in ("installation_id", "name", "country", "region", "company_id")}
    info |= {
        "period_start": str(installation.period.start),
        "period_end": str(installation.period.end),
        "product_ids": ";".join(installation.product_ids),
    }
    streams = [{"process_id": p["process_id"], **s} for p in inst["processes"] for s in p["source_streams"]]
    precursors = [{"process_id": p["process_id"], **q} for p in inst["processes"] for q in p["precursors"]]
    processes = pd.DataFrame([{k: p[k] for k in PROCESS_FIELDS} for p in inst["processes"]])
    summary = embedded.processes
    products = summary[SUMMARY_PRODUCT_FIELDS].copy()
    communication = products.assign(
        installation_id=installation.installation_id,
        country=installation.country,
        period_start=str(installation.period.start),
        period_end=str(installation.period.end),
        default_share=np.where(products["see_direct"] > 0, products["see_default_direct"] / products["see_direct"], 0),
    )
    return {
        "A_InstData": pd.DataFrame({"field": list(info), "value": [str(v) for v in info.values()]}),
        "B_EmInst": pd.DataFrame(streams, columns=STREAM_FIELDS),
        "C_Emissions&Energy": processes[ENERGY_FIELDS],
        "D_Processes": processes[["process_id", "cn", "route", "activity_level_t"]],
        "E_PurchPrec": pd.DataFrame(precursors, columns=PRECURSOR_FIELDS),
        "Summary_Processes": summary.drop(columns=["see_default_direct", "see_default_indirect"]),
        "Summary_Products": products,
        "Summary_Communication": communication,
        "coreduce_meta": pd.DataFrame(
            {"field": ["format", "version", "structure"], "value": [FORMAT, VERSION, TEMPLATE]}
        ),
    }


def write_communication(path: str | Path, installation: Installation, embedded: EmbeddedResult) -> Path:
    """Write the communication atomically as ``.xlsx`` (one sheet per table) or ``.json``."""
    path = Path(path)
    tables = communication_tables(installation, embedded)
    if path.suffix.lower() not in (".xlsx", ".json"):
        raise CbamInputError("path", "a .xlsx or .json file", str(path))
    with atomic_write(path) as tmp:
        if path.suffix.lower() == ".json":
            data = {name: json.loads(frame.to_json(orient="records")) for name, frame in tables.items()}
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            with pd.ExcelWriter(tmp, engine="xlsxwriter") as writer:
                for name, frame in tables.items():
                    frame.to_excel(writer, sheet_name=name, index=False)
    return path


def _clean(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _records(tables: dict[str, pd.DataFrame], sheet: str, columns: list[str], origin: str) -> list[dict]:
    if sheet not in tables:
        raise CbamInputError(f"{origin}, sheet {sheet!r}", "the sheet of the communication template")
    frame = tables[sheet]
    if missing := [c for c in columns if c not in frame.columns]:
        raise CbamInputError(f"{origin}, sheet {sheet!r}, column {missing[0]!r}", "a column of that name in row 1")
    rows = []
    for i, rec in enumerate(frame.to_dict("records")):
        rows.append({k: _clean(v) for k, v in rec.items() if k in columns and _clean(v) not in (None, "")})
        rows[-1]["_row"] = i + 2  # spreadsheet row (header = row 1)
    return rows


def _read_tables(path: Path) -> dict[str, pd.DataFrame]:
    if path.suffix.lower() == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise CbamInputError(str(path), "a JSON object with one list of records per sheet")
        return {name: pd.DataFrame(rows) for name, rows in data.items()}
    text = {c: str for c in ("cn", "route", "process_id", "from_process", "country", "value", "field")}
    return pd.read_excel(path, sheet_name=None, dtype=text, engine="calamine")


def read_communication(path: str | Path) -> Installation:
    """The installation of a communication file written by :func:`write_communication` (xlsx or JSON)."""
    path = Path(path)
    tables = _read_tables(path)
    origin = str(path)
    info = {r["field"]: r.get("value", "") for r in _records(tables, "A_InstData", ["field", "value"], origin)}
    streams = _records(tables, "B_EmInst", STREAM_FIELDS, origin)
    energy = {r["process_id"]: r for r in _records(tables, "C_Emissions&Energy", ENERGY_FIELDS, origin)}
    precursors = _records(tables, "E_PurchPrec", PRECURSOR_FIELDS, origin)
    processes = []
    for row in _records(tables, "D_Processes", ["process_id", "cn", "route", "activity_level_t"], origin):
        pid = row["process_id"]
        merged = {**energy.get(pid, {}), **row}
        merged.pop("_row")
        merged["source_streams"] = [_strip(s) for s in streams if s["process_id"] == pid]
        merged["precursors"] = [_strip(q) for q in precursors if q["process_id"] == pid]
        processes.append(merged)
    data = {
        "installation_id": info.get("installation_id", ""),
        "name": info.get("name", ""),
        "country": info.get("country", ""),
        "region": info.get("region", ""),
        "company_id": info.get("company_id", ""),
        "product_ids": [p for p in str(info.get("product_ids", "")).split(";") if p],
        "period": {"start": info.get("period_start"), "end": info.get("period_end")},
        "processes": processes,
    }
    try:
        return Installation.from_mapping(data)
    except CbamInputError as exc:
        where = _locate(exc.field, [p["process_id"] for p in processes], streams, precursors)
        raise CbamInputError(f"{origin}: {where}", exc.expected, exc.value) from exc


def _strip(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in ("process_id", "_row")}


def _locate(field: str, process_ids: list[str], streams: list[dict], precursors: list[dict]) -> str:
    """Sheet, row and column of a model field path such as ``processes[0].source_streams[1].quantity``."""
    column = field.rsplit(".", 1)[-1]
    for key, sheet, rows in (("source_streams", "B_EmInst", streams), ("precursors", "E_PurchPrec", precursors)):
        if f".{key}[" in field:
            pid = process_ids[int(field.split("[")[1].split("]")[0])]
            item = int(field.split(f"{key}[")[1].split("]")[0])
            return (
                f"sheet {sheet!r}, row {[r for r in rows if r['process_id'] == pid][item]['_row']}, column {column!r}"
            )
    if field.startswith("processes["):
        pid = process_ids[int(field.split("[")[1].split("]")[0])]
        return f"sheet 'D_Processes' / 'C_Emissions&Energy', process {pid!r}, column {column!r}"
    return f"sheet 'A_InstData', field {column!r}"
