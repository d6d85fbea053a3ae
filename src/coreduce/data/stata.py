"""The panel as a Stata file (``.dta``, format 118) laid out the way a researcher opens it.

Every row carries the province as a numeric GB/T 2260 code (``geo``; 100000 = China) with a value label giving
its Chinese and English names, the names again as strings (``name_zh``, ``name_en``), the region of the chosen
grouping as a labelled number (``region``; 0 = the national total), and the year. Only provinces and the national
total are written (countries and city clusters have no GB/T code); only the years of the window asked for.

* ``wide``: one row per province-year (every year of the window for each place: balanced), one column per
  variable.
  Stata names have at most 32 characters of letters, digits and underscores, so each variable gets a Stata name
  (:func:`stata_names`) and its variable label records the original name and unit as ``name [unit]``.
* ``long``: one row per province-year-variable with ``variable``, ``value``, ``unit``, ``source`` and a labelled
  ``status`` (1 reported, 2 interpolated, 3 corrected, 4 derived).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from coreduce.data.panel import Panel
from coreduce.data.schema import Status
from coreduce.geo import DEFAULT, NATIONAL_CODE, load_grouping, provinces

STATA_NAME_LENGTH = 32
STATA_LABEL_LENGTH = 80
LAYOUTS = ("wide", "long")
STATUS_CODES = {status.value: i for i, status in enumerate(Status, start=1)}
PLACE_COLUMNS = ("geo", "name_zh", "name_en", "region", "year")


class StataError(ValueError):
    """A Stata export that cannot be written (unknown layout, a name no label can hold)."""


@dataclass(frozen=True)
class StataTable:
    """What :func:`stata_table` lays out: the frame and its labels, plus what it left out and why."""

    frame: pd.DataFrame
    variable_labels: dict[str, str]
    value_labels: dict[str, dict[int, str]]
    data_label: str
    left_out_geos: tuple[str, ...]
    empty_variables: tuple[str, ...]


def stata_names(variables: list[str]) -> dict[str, str]:
    """Map each variable to a unique Stata name: lower case, every run of other characters → ``_``, at most
    32 characters; a clash or a truncation is resolved by a numeric suffix (``_2`` …)."""
    out: dict[str, str] = {}
    used = set(PLACE_COLUMNS)
    for variable in variables:
        base = re.sub(r"[^a-z0-9_]+", "_", variable.lower()).strip("_") or "v"
        if base[0].isdigit():
            base = "v_" + base
        name, n = base[:STATA_NAME_LENGTH], 1
        while name in used:
            n += 1
            suffix = f"_{n}"
            name = base[: STATA_NAME_LENGTH - len(suffix)] + suffix
        used.add(name)
        out[variable] = name
    return out


def variable_label(variable: str, unit: str) -> str:
    """``name [unit]``, or the bare name when the unit does not fit Stata's 80 characters."""
    label = f"{variable} [{unit}]"
    if len(label) <= STATA_LABEL_LENGTH:
        return label
    if len(variable) <= STATA_LABEL_LENGTH:
        return variable
    raise StataError(
        f"Stata export: variable name {variable!r} is {len(variable)} characters, longer than a Stata label "
        f"({STATA_LABEL_LENGTH}); it cannot be recorded"
    )


def _places(grouping: str) -> tuple[pd.DataFrame, dict[int, str], dict[int, str]]:
    """One row per province and the nation (geo code text, numeric code, names, region number) and the value
    labels of ``geo`` and ``region``."""
    groups = load_grouping(grouping)
    region_number = {group: i for i, group in enumerate(groups.groups, start=1)}
    group_of = groups.group_of()
    rows = [(NATIONAL_CODE, "全国", "China", 0)]
    rows += [(p.code, p.name_zh, p.name_en, region_number[group_of[p.code]]) for p in provinces()]
    places = pd.DataFrame(rows, columns=["code", "name_zh", "name_en", "region"])
    places["geo"] = places["code"].astype("int32")
    places["region"] = places["region"].astype("int8")
    geo_labels = {int(r.code): f"{r.name_zh} {r.name_en}" for r in places.itertuples()}
    region_labels = {0: "全国 China (national total)"}
    region_labels.update({i: f"{groups.label(g, 'zh')} {g}" for g, i in region_number.items()})
    return places, geo_labels, region_labels


def stata_table(panel: Panel, years: tuple[int, int], layout: str = "wide", grouping: str = DEFAULT) -> StataTable:
    """Lay out ``panel`` for Stata: provinces and the nation, ``years`` (first, last) inclusive, ``layout``
    wide or long, regions of ``grouping`` (a built-in name or a grouping file)."""
    if layout not in LAYOUTS:
        raise StataError(f"Stata layout must be wide or long, not {layout!r}")
    first, last = years
    places, geo_labels, region_labels = _places(grouping)
    data = panel.data[panel.data["year"].between(first, last)]
    left_out = tuple(sorted(set(data["geo"]) - set(places["code"])))
    data = data[data["geo"].isin(places["code"])]
    units = dict(zip(panel.catalogue["variable"], panel.catalogue["unit"], strict=True))
    present = set(data.loc[data["value"].notna(), "variable"])
    empty = tuple(v for v in panel.variables if v not in present)
    keep = [v for v in panel.variables if v in present]
    labels = {"geo": "province (GB/T 2260 code; 100000 = China)", "name_zh": "province (Chinese)",
              "name_en": "province (English)", "region": f"region ({grouping})", "year": "year"}  # fmt: skip
    value_labels = {"geo": geo_labels, "region": region_labels}
    key = places.set_index("code")[["geo", "name_zh", "name_en", "region"]]
    if layout == "wide":
        names = stata_names(keep)
        labels.update({names[v]: variable_label(v, units.get(v, "")) for v in keep})
        table = data[data["variable"].isin(keep)].pivot_table(
            index=["geo", "year"], columns="variable", values="value", aggfunc="first"
        )
        shown = [c for c in places["code"] if c in set(data["geo"])]  # the places of the selection, every year
        grid = pd.MultiIndex.from_product([shown, range(first, last + 1)], names=["geo", "year"])
        body = table.reindex(index=grid, columns=keep).rename(columns=names).reset_index()  # balanced: xtset-ready
    else:
        columns = ["geo", "year", "variable", "value", "unit", "source", "status"]
        body = data[data["variable"].isin(keep)].loc[:, columns]
        body = body.assign(status=body["status"].map(STATUS_CODES).astype("int8"))
        labels.update(variable="variable (coreduce name)", value="value (in unit)", unit="unit", source="source id",
                      status="status of the value")  # fmt: skip
        value_labels["status"] = {code: status for status, code in STATUS_CODES.items()}
    frame = key.join(body.set_index("geo"), how="inner").reset_index(drop=True)
    frame["year"] = frame["year"].astype("int16")
    frame = frame.sort_values(["geo", "year", *(["variable"] if layout == "long" else [])], ignore_index=True)
    return StataTable(frame, labels, value_labels, f"coreduce panel ({layout}), {first}-{last}", left_out, empty)


def write_stata_table(table: StataTable, path) -> None:
    """Write ``table`` to ``path`` (format 118: Unicode names and labels)."""
    table.frame.to_stata(
        path,
        write_index=False,
        version=118,
        variable_labels=table.variable_labels,
        value_labels=table.value_labels,
        data_label=table.data_label,
    )


def _from_label(label: str, name: str) -> str:
    match = re.fullmatch(r"(.*) \[[^\[\]]*\]", label)
    return match.group(1) if match else (label or name)


def read_stata_export(path) -> pd.DataFrame:
    """A coreduce ``.dta`` read back: wide → (geo, year) × original variable names; long → the long rows with
    status as text. ``geo`` is the GB/T code as text, as in the panel."""
    with pd.io.stata.StataReader(path) as reader:
        frame = reader.read(convert_categoricals=False)
        labels = reader.variable_labels()
    frame = frame.drop(columns=[c for c in ("name_zh", "name_en", "region") if c in frame.columns])
    frame["geo"] = frame["geo"].astype(int).astype(str)
    if "variable" in frame.columns:
        status = {code: text for text, code in STATUS_CODES.items()}
        return frame.assign(status=frame["status"].map(status))
    rename = {c: _from_label(labels.get(c, ""), c) for c in frame.columns if c not in ("geo", "year")}
    return frame.rename(columns=rename).set_index(["geo", "year"])
