"""Attributed emissions of production processes (Annex IV of Regulation (EU) 2023/956; IR (EU) 2025/2547).

For process *p* in the monitoring period (t CO2e):

* direct emissions ``DirEm_p = Σ_s AD_s × EF_s`` over its source streams (mass-balance outputs negative): a fuel's
  factor comes from the factor library through :func:`coreduce.accounting.account` (quantity × unit conversion ×
  factor, e.g. natural gas 56.1 kg CO2 / GJ, IPCC 2006 default via CEDS) unless the operator states a factor with
  its source; a process material (carbonates, electrodes…) always carries its stated factor (e.g. 0.440 t CO2 / t
  CaCO3);
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


IDENTITY = ["activity_type", "fuel", "region", "year", "unit"]


def _account(frame: pd.DataFrame, library, where: list[str]) -> pd.DataFrame:
    """CO2 (kg) of activity rows through the factor library: one factor choice per distinct activity (the choice
    depends only on :data:`IDENTITY`), then quantity × kg per unit for every row; a row without a factor is an
    error naming its field (``where[i]`` for row *i*)."""
    frame = frame.reset_index(drop=True)
    for column in ("sector", "technology", "material", "mode"):
        frame[column] = "*"
    frame["year"] = frame["year"].astype("Int64")
    distinct = frame.drop_duplicates(IDENTITY)
    for i in distinct.index:
        if problem := unmatched_field(frame.loc[i].to_dict(), library):
            raise CbamInputError(where[i], f"an activity the factor library covers ({problem})")
    unit = distinct.assign(quantity=1.0, row=np.arange(len(distinct)))
    try:
        factors = account(unit, library, pollutants=("co2",), strict=True)
    except AccountingError as exc:
        raise CbamInputError(where[0], f"an activity with a CO2 factor ({exc})") from exc
    factors = factors.rename(columns={"emission": "kg_per_unit"}).set_index("row")
    keys = unit[IDENTITY].assign(**factors[["kg_per_unit", "factor_id", "publisher", "citation", "verified"]])
    out = frame.merge(keys, on=IDENTITY, how="left", validate="many_to_one")
    out["emission"] = out["quantity"] * out["kg_per_unit"]
    return out


def stream_emissions(installation: Installation, library) -> pd.DataFrame:
    """One row per source stream: process, stream, quantity, unit, emission (t CO2e), factor and its source."""
    cols: dict[str, list] = {k: [] for k in ("process_id", "stream", "kind", "quantity", "unit", "fuel", "ef", "src")}
    where = []
    for i, p in enumerate(installation.processes):
        for j, s in enumerate(p.source_streams):
            for key, value in zip(
                cols,
                (p.process_id, s.name, s.kind, s.quantity, s.unit, s.fuel.lower(), s.emission_factor, s.factor_source),
                strict=True,
            ):
                cols[key].append(value)
            where.append(f"processes[{i}].source_streams[{j}].fuel")
    frame = pd.DataFrame(cols)
    ef = frame.pop("ef").astype(float)
    frame["emission_t"] = frame["quantity"] * ef * np.where(frame["kind"] == "output", -1.0, 1.0)
    pairs = list(zip(ef, frame["unit"], strict=True))
    labels = {(e, u): f"stated:{e:g} t/{u}" if e == e else "" for e, u in set(pairs)}
    frame["factor_id"] = [labels[pair] for pair in pairs]
    frame["factor_source"] = frame.pop("src")
    frame["verified"] = True
    fuels = np.flatnonzero(ef.isna().to_numpy())
    if fuels.size:
        rows = frame.iloc[fuels][["fuel", "quantity", "unit"]].assign(activity_type="fuel", region="*", year=None)
        result = _account(rows, library, [where[i] for i in fuels])
        frame.loc[fuels, "emission_t"] = result["emission"].to_numpy() / 1000.0
        frame.loc[fuels, "factor_id"] = result["factor_id"].to_numpy()
        frame.loc[fuels, "factor_source"] = (result["publisher"] + "; " + result["citation"]).to_numpy()
        frame.loc[fuels, "verified"] = result["verified"].astype(bool).to_numpy()
    return frame.drop(columns="fuel")


def electricity_emissions(installation: Installation, library, conventions: CbamConventions) -> pd.DataFrame:
    """Per process: electricity consumed (MWh), the factor used (t / MWh), its source, and indirect emissions (t)."""
    ps = installation.processes
    documented = conventions.electricity_factor == "documented"
    stated = np.array([documented and p.electricity_factor is not None for p in ps], dtype=bool)
    frame = pd.DataFrame(
        {
            "process_id": [p.process_id for p in ps],
            "electricity_mwh": [p.electricity_mwh for p in ps],
            "factor_t_per_mwh": [p.electricity_factor if ok else np.nan for p, ok in zip(ps, stated, strict=True)],
            "factor_source": [p.electricity_evidence if ok else "" for p, ok in zip(ps, stated, strict=True)],
            "verified": True,
        }
    )
    grid = ~stated & (frame["electricity_mwh"] > 0).to_numpy()
    frame.loc[~stated & ~grid, "factor_t_per_mwh"] = 0.0
    if grid.any():
        region = installation.region or "national"
        row = pd.DataFrame(
            {
                "activity_type": ["electricity"],
                "fuel": ["*"],
                "region": [region],
                "year": [installation.period.year],
                "quantity": [1.0],
                "unit": ["MWh"],
            }
        )
        f = _account(row, library, ["region"]).iloc[0]
        frame.loc[grid, "factor_t_per_mwh"] = f["emission"] / 1000.0
        frame.loc[grid, "factor_source"] = f"{f['factor_id']} ({f['publisher']}); {GRID_NOTE}"
        frame.loc[grid, "verified"] = bool(f["verified"])
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
