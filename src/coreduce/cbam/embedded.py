"""Embedded emissions of imported goods: actual values from an installation, else default values with mark-up.

For each import line (Art. 7 and Annex IV of Regulation (EU) 2023/956):

* **actual**: the line names a production process of the installation; its specific embedded emissions come from
  :func:`coreduce.cbam.see.solve` over the installation's processes (attributed emissions from
  :mod:`coreduce.cbam.attributed`, precursors from other processes, from suppliers' values — e.g. a PACT
  footprint — or from default values);
* **default**: otherwise (or when the convention ``values`` is ``default``), the default value of IR 2025/2621
  Annex I for the origin and route × the mark-up of the year (:func:`coreduce.cbam.defaults.default_value`).

``embedded_t = mass × (SEE_direct + SEE_indirect if the good counts indirect emissions else SEE_direct)``, with
direct and indirect also reported separately; ``embedded_default_t`` is the part that comes from default values.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from coreduce.accounting import load_factor_library
from coreduce.cbam.attributed import attributed_emissions, electricity_emissions, stream_emissions
from coreduce.cbam.conventions import CbamConventions
from coreduce.cbam.defaults import counts_indirect, default_value, good, precursor_default
from coreduce.cbam.imports import import_frame
from coreduce.cbam.model import CbamInputError, ImportLine, Installation, PrecursorInput
from coreduce.cbam.reference import CbamReference, load_reference
from coreduce.cbam.results import EmbeddedResult
from coreduce.cbam.see import CycleError, solve
from coreduce.results import Missing, Note


def _precursor_see(
    ref: CbamReference, pre: PrecursorInput, conv: CbamConventions, where: str, notes: list
) -> tuple[float, float, bool]:
    """(SEE direct, SEE indirect, from defaults?) of a bought precursor."""
    if pre.source == "supplier":
        return pre.see_direct, pre.see_indirect or 0.0, False
    if conv.values == "actual":
        raise CbamInputError(f"{where}see_direct", "the supplier's actual value (convention values = 'actual')")
    if pre.country and len(pre.cn) == 8:
        value = default_value(ref, pre.cn, pre.country, pre.route, conv.year)
        indirect = value.indirect_marked_up if np.isfinite(value.indirect) else 0.0
        return value.direct_marked_up, indirect, True
    highest, markup, _ = precursor_default(ref, pre.cn, pre.route, conv.year)
    notes.append(Note.of("note.cbam.annex_iv_precursor", cn=pre.cn, value=round(highest * markup, 4)))
    return highest * markup, 0.0, True


PRECURSOR_COLUMNS = [
    "k",
    "process_id",
    "cn",
    "mass_t",
    "source",
    "from_process",
    "see_direct",
    "see_indirect",
    "supplier_footprint_id",
    "evidence",
]


def _precursor_table(inst: Installation, ref, conv: CbamConventions, notes: list) -> pd.DataFrame:
    """One row per precursor consumed: process, CN, mass, source, and the SEE of bought ones (t CO2e / t)."""
    items = [(k, j, p.process_id, pre) for k, p in enumerate(inst.processes) for j, pre in enumerate(p.precursors)]
    seen: dict[tuple, tuple[float, float, bool]] = {}
    see = []
    for k, j, _, pre in items:
        if pre.source == "internal":
            see.append((np.nan, np.nan))
            continue
        key = (pre.cn, pre.country, pre.route, pre.see_direct, pre.see_indirect)
        if key not in seen:
            seen[key] = _precursor_see(ref, pre, conv, f"processes[{k}].precursors[{j}].", notes)
        see.append(seen[key][:2])
    rows = [
        (k, pid, pre.cn, pre.mass_t, pre.source, pre.from_process, d, i, pre.supplier_footprint_id, pre.evidence)
        for (k, _, pid, pre), (d, i) in zip(items, see, strict=True)
    ]
    return pd.DataFrame(rows, columns=PRECURSOR_COLUMNS)


def _installation_see(inst: Installation, ref, library, conv: CbamConventions, notes: list) -> dict[str, pd.DataFrame]:
    """Attributed emissions, precursors and SEE per process of ``inst``."""
    known = set(ref.goods["cn"])
    for i, p in enumerate(inst.processes):
        if p.cn not in known:
            good(ref, p.cn, f"processes[{i}].cn")  # raises, naming the field
    streams = stream_emissions(inst, library)
    electricity = electricity_emissions(inst, library, conv)
    processes = attributed_emissions(inst, streams, electricity, conv)
    n = len(processes)
    pre = _precursor_table(inst, ref, conv, notes)
    ids = {pid: k for k, pid in enumerate(processes["process_id"])}
    internal = (pre["source"] == "internal").to_numpy()
    bought = pre[~internal]
    given, given_def = np.zeros((n, 2)), np.zeros((n, 2))
    is_default = (bought["source"] == "default").to_numpy()
    for c, column in enumerate(("see_direct", "see_indirect")):
        amount = bought["mass_t"].to_numpy() * bought[column].to_numpy()
        given[:, c] = np.bincount(bought["k"], weights=amount, minlength=n)
        given_def[:, c] = np.bincount(bought["k"], weights=amount * is_default, minlength=n)
    links = pre[internal]
    src = links["from_process"].map(ids).to_numpy(dtype=int)
    attr = processes[["attributed_direct_t", "attributed_indirect_t"]].to_numpy()
    try:
        solved = solve(
            attr,
            processes["activity_level_t"].to_numpy(),
            given,
            given_def,
            (src, links["k"].to_numpy(dtype=int), links["mass_t"].to_numpy(dtype=float)),
        )
    except CycleError as exc:
        names = [inst.processes[i].process_id for i in exc.nodes]
        raise CbamInputError("processes.precursors.from_process", f"precursor links without a cycle ({names})") from exc
    processes = processes.assign(
        see_direct=solved.direct,
        see_indirect=solved.indirect,
        see_default_direct=solved.default_direct,
        see_default_indirect=solved.default_indirect,
        level=solved.level,
    )
    pre = pre.drop(columns="k")
    return {"processes": processes, "streams": streams, "electricity": electricity, "precursors": pre}


def _goods_of(ref: CbamReference, lines: pd.DataFrame) -> pd.DataFrame:
    """Sector and category of every line; the first line whose CN code is not a CBAM good is an error."""
    known = ref.goods.drop_duplicates("cn").set_index("cn")
    for i in np.flatnonzero(~lines["cn"].isin(known.index)):
        good(ref, lines.at[i, "cn"], f"imports[{i}].cn")
    return known.loc[lines["cn"], ["sector", "category"]].reset_index(drop=True)


def _actual_values(lines: pd.DataFrame, actual: np.ndarray, tables: dict) -> pd.DataFrame:
    """SEE (direct, indirect and default parts) and route of the lines with actual values, from their process."""
    processes = tables.get("processes")
    known = processes.set_index("process_id") if processes is not None else pd.DataFrame()
    for i in np.flatnonzero(actual & ~lines["process_id"].isin(known.index)):
        raise CbamInputError(
            f"imports[{i}].process_id", "a process of the installation given", lines.at[i, "process_id"]
        )
    picked = known.reindex(lines["process_id"].where(actual)).reset_index(drop=True)
    for i in np.flatnonzero(actual & (picked["cn"] != lines["cn"]).to_numpy()):
        raise CbamInputError(f"imports[{i}].cn", f"the good of process {lines.at[i, 'process_id']}", lines.at[i, "cn"])
    return picked


def _default_values(ref, lines: pd.DataFrame, use: np.ndarray, conv: CbamConventions, notes, missing) -> pd.DataFrame:
    """Default value (× the year's mark-up) of every line in ``use``, looked up once per CN, origin and route."""
    keys = ["cn", "country", "route"]
    columns = ["see_direct", "see_indirect", "see_counted", "markup", "default_route", "default_country"]
    rows = []
    for key in lines.loc[use, keys].drop_duplicates().itertuples(index=False):
        v = default_value(ref, *key, conv.year)
        counted = v.counted_marked_up(counts_indirect(v.sector, conv.indirect))
        rows.append((*key, v.direct_marked_up, v.indirect_marked_up, counted, v.markup, v.route, v.used_country))
        if v.fallback:
            notes.append(Note.of("note.cbam.default_fallback", cn=key[0], country=key[1]))
            missing.append(
                Missing.of("cbam_default_value", key[1], str(conv.year), f"missing.cbam.{v.fallback}", cn=key[0])
            )
    values = pd.DataFrame(rows, columns=[*keys, *columns])
    values = values.astype(dict.fromkeys(["see_direct", "see_indirect", "see_counted", "markup"], float))
    merged = lines[keys].where(pd.Series(use, index=lines.index), None).merge(values, on=keys, how="left")
    return merged[columns].rename(columns={"default_route": "route"}).set_axis(lines.index)


def _lines(ref, lines: pd.DataFrame, tables, conv: CbamConventions, notes: list, missing: list):
    """The goods table: one row per import line with its SEE, embedded emissions and default share."""
    g = lines.copy()
    g.insert(0, "line", np.arange(len(g)))
    g = pd.concat([g, _goods_of(ref, g)], axis=1)
    g["indirect_counted"] = [counts_indirect(s, conv.indirect) for s in g["sector"]]
    actual = (g["process_id"] != "").to_numpy() & (conv.values != "default")
    if conv.values == "actual" and not actual.all():
        i = int(np.flatnonzero(~actual)[0])
        raise CbamInputError(f"imports[{i}].process_id", "an installation process (convention values = 'actual')")
    real = _actual_values(g, actual, tables) if actual.any() else None
    dflt = _default_values(ref, g, ~actual, conv, notes, missing)
    g["values"] = np.where(actual, "actual", "default")
    g["markup"] = dflt["markup"]
    g["default_country"] = dflt["default_country"].fillna("")
    for k in ("direct", "indirect"):
        given = real[f"see_{k}"] if real is not None else np.nan
        g[f"see_{k}"] = np.where(actual, given, dflt[f"see_{k}"])
        part = real[f"see_default_{k}"] if real is not None else np.nan
        g[f"default_{k}"] = np.where(actual, part, dflt[f"see_{k}"])
    route = real["route"] if real is not None else ""
    g["route"] = np.where(g["route"] != "", g["route"], np.where(actual, route, dflt["route"]))
    counts = g["indirect_counted"].to_numpy()
    counted_i = np.where(counts, np.nan_to_num(g["see_indirect"]), 0.0)
    counted_def_i = np.where(counts, np.nan_to_num(g["default_indirect"]), 0.0)
    g["see_counted"] = np.where(actual, g["see_direct"] + counted_i, dflt["see_counted"])  # defaults: total column
    g["embedded_direct_t"] = g["mass_t"] * g["see_direct"]
    g["embedded_indirect_t"] = g["mass_t"] * g["see_indirect"]
    g["embedded_t"] = g["mass_t"] * g["see_counted"]
    g["embedded_default_t"] = np.where(actual, g["mass_t"] * (g["default_direct"] + counted_def_i), g["embedded_t"])
    g["default_share"] = np.where(
        g["embedded_t"] > 0, g["embedded_default_t"] / g["embedded_t"].where(g["embedded_t"] > 0), 0.0
    )
    return g.drop(columns=["default_direct", "default_indirect"])


def embedded_emissions(
    imports: Sequence[ImportLine] | Sequence[dict],
    *,
    installation: Installation | None = None,
    conventions: CbamConventions | None = None,
    reference: CbamReference | None = None,
    library=None,
) -> EmbeddedResult:
    """Embedded emissions of ``imports`` (see the module docstring); ``library``: the factor library (loaded when
    an installation needs it)."""
    conv = conventions or CbamConventions()
    ref = reference or load_reference()
    lines = import_frame(list(imports))
    notes: list[Note] = []
    missing: list[Missing] = []
    tables: dict[str, pd.DataFrame] = {}
    if installation is not None and conv.values != "default":
        library = library if library is not None else load_factor_library()
        tables = _installation_see(installation, ref, library, conv, notes)
        if not tables["electricity"]["verified"].all() or not tables["streams"]["verified"].all():
            notes.append(Note.of("note.cbam.unverified_factor"))
    goods = _lines(ref, lines, tables, conv, notes, missing)
    if (goods["values"] == "default").any():
        notes.append(Note.of("note.cbam.defaults_unverified"))
    return EmbeddedResult(
        goods=goods,
        conventions=conv.records(),
        notes=tuple(dict.fromkeys(notes)),
        missing=tuple(dict.fromkeys(missing)),
        sources=ref.sources(),
        **tables,
    )
