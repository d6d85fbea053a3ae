"""Attributed emissions of production processes (Annex IV of Regulation (EU) 2023/956; IR (EU) 2025/2547).

For process *p* in the monitoring period (t CO2e):

* direct emissions ``DirEm_p = Σ_s AD_s × EF_s`` over its source streams: a fuel's factor comes from the factor
  library through :func:`coreduce.accounting.account` (quantity × unit conversion × factor, e.g. natural gas
  56.1 kg CO2 / GJ, IPCC 2006 default via CEDS) unless the operator states a factor with its source; a process
  material (carbonates, electrodes…) always carries its stated factor (e.g. 0.440 t CO2 / t CaCO3);
* attributed direct emissions (calculation-based approach, the formula of IR 2023/1773 Annex III F.1 that
  IR 2025/2547 carries on)::

      AttrEm_dir = DirEm + Q_H,imp × EF_H,imp − Q_H,exp × EF_H,exp
                   + WG_imp × EF_NG × Corr_η − WG_exp × EF_NG × Corr_η − E_el,prod × EF_el,prod

  with heat Q in TJ (factor stated, else the convention ``heat_factor_t_per_tj`` = a natural gas boiler at 90 %
  efficiency), waste gases in TJ corrected against natural gas (``waste_gas_reference_t_per_tj`` = 56.1,
  ``waste_gas_efficiency`` = Corr_η) and electricity produced in MWh × its factor (t / MWh) deducted;
* attributed indirect emissions ``AttrEm_ind = E_el × EF_el`` (Annex IV point 4.3): electricity consumed (MWh)
  × the grid factor of the installation's region and year from the factor library (China: MEE provincial or
  national averages), or a documented actual factor (PPA or own generation, with its evidence).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.accounting import AccountingError, account
from coreduce.accounting.matching import unmatched_field
from coreduce.cbam.conventions import CbamConventions
from coreduce.cbam.model import CbamInputError, Installation

GRID_NOTE = "regulation default: IR 2025/2621 Annex II (IEA, CC BY-NC-SA; not shipped)"


def _account(rows: list[dict], library, where: list[str]) -> pd.DataFrame:
    """CO2 (kg) of activity rows through the factor library; a row without a factor is an error naming its field."""
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    for i, row in enumerate(frame.to_dict("records")):
        if problem := unmatched_field(row, library):
            raise CbamInputError(where[i], f"an activity the factor library covers ({problem})")
    try:
        return account(frame, library, pollutants=("co2",), strict=True)
    except AccountingError as exc:
        raise CbamInputError(where[0], f"an activity with a CO2 factor ({exc})") from exc


def _activity(kind: str, quantity: float, unit: str, row: int, **fields) -> dict:
    base = dict.fromkeys(("fuel", "sector", "technology", "region", "material", "mode"), "*")
    return {
        **base,
        "year": fields.pop("year", None),
        **fields,
        "row": row,
        "activity_type": kind,
        "quantity": quantity,
        "unit": unit,
    }


def stream_emissions(installation: Installation, library) -> pd.DataFrame:
    """One row per source stream: process, stream, quantity, unit, emission (t CO2e), factor and its source."""
    rows, library_rows, where = [], [], []
    for i, process in enumerate(installation.processes):
        for j, s in enumerate(process.source_streams):
            row = {
                "process_id": process.process_id,
                "stream": s.name,
                "kind": s.kind,
                "quantity": s.quantity,
                "unit": s.unit,
                "emission_t": np.nan,
                "factor_id": "",
                "factor_source": s.factor_source,
                "verified": True,
            }
            if s.emission_factor is not None:
                row["emission_t"] = s.quantity * s.emission_factor
                row["factor_id"] = f"stated:{s.emission_factor:g} t/{s.unit}"
            else:
                library_rows.append(_activity("fuel", s.quantity, s.unit, len(rows), fuel=s.fuel.lower()))
                where.append(f"processes[{i}].source_streams[{j}].fuel")
            rows.append(row)
    frame = pd.DataFrame(
        rows,
        columns=[
            "process_id",
            "stream",
            "kind",
            "quantity",
            "unit",
            "emission_t",
            "factor_id",
            "factor_source",
            "verified",
        ],
    )
    if library_rows:
        result = _account(library_rows, library, where).set_index("row")
        frame.loc[result.index, "emission_t"] = result["emission"] / 1000.0
        frame.loc[result.index, "factor_id"] = result["factor_id"]
        frame.loc[result.index, "factor_source"] = result["publisher"] + "; " + result["citation"]
        frame.loc[result.index, "verified"] = result["verified"].astype(bool)
    return frame


def electricity_emissions(installation: Installation, library, conventions: CbamConventions) -> pd.DataFrame:
    """Per process: electricity consumed (MWh), the factor used (t / MWh), its source, and indirect emissions (t)."""
    rows, library_rows, where = [], [], []
    region = installation.region or "national"
    for i, p in enumerate(installation.processes):
        documented = conventions.electricity_factor == "documented" and p.electricity_factor is not None
        row = {
            "process_id": p.process_id,
            "electricity_mwh": p.electricity_mwh,
            "factor_t_per_mwh": np.nan,
            "factor_source": p.electricity_evidence if documented else "",
            "verified": True,
        }
        if documented:
            row["factor_t_per_mwh"] = p.electricity_factor
        elif p.electricity_mwh > 0:
            library_rows.append(_activity("electricity", 1.0, "MWh", i, region=region, year=installation.period.year))
            where.append("region")
        else:
            row["factor_t_per_mwh"] = 0.0
        rows.append(row)
    frame = pd.DataFrame(rows)
    if library_rows:
        result = _account(library_rows, library, where).set_index("row")
        frame.loc[result.index, "factor_t_per_mwh"] = result["emission"] / 1000.0
        frame.loc[result.index, "factor_source"] = result["factor_id"] + " (" + result["publisher"] + "); " + GRID_NOTE
        frame.loc[result.index, "verified"] = result["verified"].astype(bool)
    frame["indirect_t"] = frame["electricity_mwh"] * frame["factor_t_per_mwh"]
    return frame


def attributed_emissions(
    installation: Installation, streams: pd.DataFrame, electricity: pd.DataFrame, conventions: CbamConventions
) -> pd.DataFrame:
    """Per process: every term of the attributed-emissions formula (module docstring), t CO2e, and the activity
    level (t of good)."""
    ps = installation.processes
    ids = [p.process_id for p in ps]
    direct = streams.groupby("process_id")["emission_t"].sum().reindex(ids, fill_value=0.0).to_numpy()
    heat = conventions.heat_factor_t_per_tj
    wg = conventions.waste_gas_reference_t_per_tj * conventions.waste_gas_efficiency
    arr = {
        "heat_imported_t": [
            p.heat_imported_tj * (heat if p.heat_imported_factor is None else p.heat_imported_factor) for p in ps
        ],
        "heat_exported_t": [
            p.heat_exported_tj * (heat if p.heat_exported_factor is None else p.heat_exported_factor) for p in ps
        ],
        "waste_gas_imported_t": [p.waste_gas_imported_tj * wg for p in ps],
        "waste_gas_exported_t": [p.waste_gas_exported_tj * wg for p in ps],
        "electricity_produced_t": [p.electricity_produced_mwh * p.electricity_produced_factor for p in ps],
    }
    frame = pd.DataFrame(
        {
            "process_id": ids,
            "cn": [p.cn for p in ps],
            "route": [p.route for p in ps],
            "activity_level_t": [p.activity_level_t for p in ps],
            "direct_t": direct,
            **arr,
        }
    )
    frame["attributed_direct_t"] = (
        frame["direct_t"]
        + frame["heat_imported_t"]
        - frame["heat_exported_t"]
        + frame["waste_gas_imported_t"]
        - frame["waste_gas_exported_t"]
        - frame["electricity_produced_t"]
    )
    frame["attributed_indirect_t"] = electricity.set_index("process_id").loc[ids, "indirect_t"].to_numpy()
    if (bad := frame[frame["attributed_direct_t"] < 0]).shape[0]:
        i = ids.index(bad["process_id"].iloc[0])
        raise CbamInputError(f"processes[{i}]", "exports and deductions not larger than the direct emissions")
    return frame
