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
from coreduce.cbam.model import CbamInputError, ImportLine, Installation, PrecursorInput, import_lines
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


def _installation_see(inst: Installation, ref, library, conv: CbamConventions, notes: list) -> dict[str, pd.DataFrame]:
    """Attributed emissions, precursors and SEE per process of ``inst``."""
    for i, p in enumerate(inst.processes):
        good(ref, p.cn, f"processes[{i}].cn")
    streams = stream_emissions(inst, library)
    electricity = electricity_emissions(inst, library, conv)
    processes = attributed_emissions(inst, streams, electricity, conv)
    ids = {p.process_id: k for k, p in enumerate(inst.processes)}
    n = len(ids)
    given, given_def = np.zeros((n, 2)), np.zeros((n, 2))
    src, dst, mass, rows = [], [], [], []
    for k, p in enumerate(inst.processes):
        for j, pre in enumerate(p.precursors):
            where = f"processes[{k}].precursors[{j}]."
            if pre.source == "internal":
                src.append(ids[pre.from_process])
                dst.append(k)
                mass.append(pre.mass_t)
                rows.append(
                    {
                        "process_id": p.process_id,
                        "cn": pre.cn,
                        "mass_t": pre.mass_t,
                        "source": "internal",
                        "from_process": pre.from_process,
                    }
                )
                continue
            see_d, see_i, is_default = _precursor_see(ref, pre, conv, where, notes)
            given[k] += pre.mass_t * np.array([see_d, see_i])
            if is_default:
                given_def[k] += pre.mass_t * np.array([see_d, see_i])
            rows.append(
                {
                    "process_id": p.process_id,
                    "cn": pre.cn,
                    "mass_t": pre.mass_t,
                    "source": "default" if is_default else "supplier",
                    "see_direct": see_d,
                    "see_indirect": see_i,
                    "supplier_footprint_id": pre.supplier_footprint_id,
                    "evidence": pre.evidence,
                }
            )
    attr = processes[["attributed_direct_t", "attributed_indirect_t"]].to_numpy()
    try:
        solved = solve(
            attr,
            processes["activity_level_t"].to_numpy(),
            given,
            given_def,
            (np.array(src, int), np.array(dst, int), np.array(mass, float)),
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
    return {"processes": processes, "streams": streams, "electricity": electricity, "precursors": pd.DataFrame(rows)}


def _line(ref, line: ImportLine, i: int, tables, conv: CbamConventions, notes: list, missing: list) -> dict:
    item = good(ref, line.cn, f"imports[{i}].cn")
    indirect_counts = counts_indirect(item["sector"], conv.indirect)
    row = {
        "line": i,
        "cn": line.cn,
        "sector": item["sector"],
        "category": item["category"],
        "country": line.country,
        "route": line.route,
        "mass_t": line.mass_t,
        "installation_id": line.installation_id,
        "process_id": line.process_id,
        "indirect_counted": indirect_counts,
    }
    use_actual = line.process_id and conv.values != "default"
    if use_actual:
        processes = tables.get("processes")
        if processes is None or line.process_id not in set(processes["process_id"]):
            raise CbamInputError(f"imports[{i}].process_id", "a process of the installation given", line.process_id)
        p = processes.set_index("process_id").loc[line.process_id]
        if p["cn"] != line.cn:
            raise CbamInputError(f"imports[{i}].cn", f"the good of process {line.process_id} (CN {p['cn']})", line.cn)
        see_d, see_i = p["see_direct"], p["see_indirect"]
        def_d, def_i = p["see_default_direct"], p["see_default_indirect"]
        row.update(values="actual", markup=np.nan, route=line.route or p["route"])
    elif conv.values == "actual":
        raise CbamInputError(f"imports[{i}].process_id", "an installation process (convention values = 'actual')")
    else:
        value = default_value(ref, line.cn, line.country, line.route, conv.year)
        see_d = value.direct_marked_up
        see_i = value.indirect_marked_up
        def_d, def_i = see_d, see_i
        row.update(values="default", markup=value.markup, route=value.route, default_country=value.used_country)
        if value.fallback:
            notes.append(Note.of("note.cbam.default_fallback", cn=line.cn, country=line.country))
            missing.append(
                Missing.of(
                    "cbam_default_value", line.country, str(conv.year), f"missing.cbam.{value.fallback}", cn=line.cn
                )
            )
    counted_i = see_i if indirect_counts and np.isfinite(see_i) else 0.0
    counted_def_i = def_i if indirect_counts and np.isfinite(def_i) else 0.0
    row.update(
        see_direct=see_d,
        see_indirect=see_i,
        see_counted=see_d + counted_i,
        embedded_direct_t=line.mass_t * see_d,
        embedded_indirect_t=line.mass_t * see_i if np.isfinite(see_i) else np.nan,
        embedded_t=line.mass_t * (see_d + counted_i),
        embedded_default_t=line.mass_t * (def_d + counted_def_i),
    )
    row["default_share"] = row["embedded_default_t"] / row["embedded_t"] if row["embedded_t"] > 0 else 0.0
    return row


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
    lines = tuple(imports) if imports and isinstance(imports[0], ImportLine) else import_lines(list(imports))
    notes: list[Note] = []
    missing: list[Missing] = []
    tables: dict[str, pd.DataFrame] = {}
    if installation is not None and conv.values != "default":
        library = library if library is not None else load_factor_library()
        tables = _installation_see(installation, ref, library, conv, notes)
        if not tables["electricity"]["verified"].all() or not tables["streams"]["verified"].all():
            notes.append(Note.of("note.cbam.unverified_factor"))
    goods = pd.DataFrame([_line(ref, line, i, tables, conv, notes, missing) for i, line in enumerate(lines)])
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
