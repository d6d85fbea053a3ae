"""Helpers shared by the sections: turning an analysis result into report tables in the report's language."""

from __future__ import annotations

import re

import pandas as pd

from coreduce.report.i18n import Text
from coreduce.report.model import ReportTable

COLUMNS = (
    "level",
    "geo",
    "places",
    "name",
    "indicator",
    "unit",
    "start_year",
    "start",
    "end_year",
    "end",
    "annual_rate",
    "years_present",
    "series",
    "years",
    "reason",
    "year",
    "dimension",
    "direction",
    "label_zh",
    "label_en",
    "weight",
    "n",
    "G",
    "G_w",
    "G_nb",
    "G_t",
    "share_G_w",
    "share_G_nb",
    "share_G_t",
)
"""Columns shown under their catalogue label (``report.column.<name>``)."""


def localise(frame: pd.DataFrame, t: Text) -> pd.DataFrame:
    """Rename known columns to the report's language (the CSV keeps the same localised headers)."""
    return frame.rename(columns={k: t.label("column", k) for k in COLUMNS if k in frame.columns})


def conventions_text(result, lang: str) -> dict[str, str]:
    """The result's conventions as ``{name: value}`` in ``lang`` (names and categorical values from the
    catalogue)."""
    return {row.convention: row.value for row in result.conventions_frame(lang).itertuples(index=False)}


def notes_text(result, lang: str) -> list[str]:
    return [note.text(lang) for note in result.notes]


def reason_text(record, t: Text) -> str:
    """A missing-data reason in the report's language; province codes of ``members`` become names."""
    from coreduce.i18n import message
    from coreduce.report.figures.costatus import place_name

    params = dict(record.params)
    if "members" in params:
        codes = [c.strip() for c in str(params["members"]).split(",") if c.strip()]
        params["members"] = t("sep.list_sep").join(place_name(c, t) for c in codes)
    return message(record.reason, t.lang, **params)


def clip_years(years: str, window: tuple[int, int]) -> str:
    """A year list (``"1990–2005, 2010"``) cut to ``window`` (``(2008, 2022)`` → ``"2010"``); text that is not
    a year list is returned as it is."""
    first, last = window
    kept = []
    for token in str(years).split(","):
        found = re.fullmatch(r"\s*(\d{4})(?:\s*[–-]\s*(\d{4}))?\s*", token)
        if found is None:
            return years
        start, end = max(int(found.group(1)), first), min(int(found.group(2) or found.group(1)), last)
        if start <= end:
            kept.append(str(start) if start == end else f"{start}–{end}")
    return ", ".join(kept)


def missing_table(
    result, key: str, t: Text, geos: list[str] | None = None, window: tuple[int, int] | None = None
) -> ReportTable | None:
    """The result's missing-data records (optionally only some geographies) as a table, or None when empty.

    With ``window`` the report shows only the gaps inside the analysis window (years cut to it, records wholly
    outside dropped; None when none is left) and the CSV keeps every record."""
    records = [m for m in result.missing if geos is None or any(code in str(m.geo) for code in geos)]
    if not records:
        return None
    frame = pd.DataFrame(
        [{"series": m.series, "geo": m.geo, "years": m.years, "reason": reason_text(m, t)} for m in records],
        columns=["series", "geo", "years", "reason"],
    )
    full = localise(collapse_places(frame, t), t)
    if window is None:
        return ReportTable(key, t("common.missing_data"), full)
    inside = frame.assign(years=[clip_years(y, window) for y in frame["years"]])
    inside = inside[inside["years"] != ""]
    if inside.empty:
        return None
    shown = localise(collapse_places(inside, t), t)
    return condensed(ReportTable(key, t("common.missing_data"), shown), full, t, "condensed_window", window=window)


def condensed(table: ReportTable, full: pd.DataFrame, t: Text, reason: str, **params) -> ReportTable:
    """``table`` showing fewer rows than ``full``, which its CSV keeps; the caption says so (text
    ``report.table.<reason>``, e.g. the window the table was cut to) and names the CSV."""
    if len(full) == len(table.frame) and full.equals(table.frame):
        return table
    window = params.pop("window", None)
    if window is not None:
        params["window"] = f"{window[0]}–{window[1]}"
    note = t(f"table.{reason}", shown=len(table.frame), total=len(full), file=f"tables/{table.key}.csv", **params)
    table.caption = " ".join(x for x in (table.caption, note) if x)
    table.full = full
    return table


def collapse_places(frame: pd.DataFrame, t: Text) -> pd.DataFrame:
    """One row per identical (series, years, reason) with the places listed together (by name; "all 31
    provinces" when every province is concerned), so a gap shared by every province is one line, not 31."""
    from coreduce.geo import NATIONAL_CODE, load_grouping, provinces
    from coreduce.report.figures.costatus import place_name

    if "geo" not in frame.columns:
        return frame.reset_index(drop=True)
    regions = load_grouping("four_regions").labels_zh

    def name(geo: str) -> str:
        if geo == NATIONAL_CODE:
            return t("common.china")
        if ", " in geo:  # one row naming several regions
            return t("sep.list_sep").join(name(part) for part in geo.split(", "))
        return t.pick(regions[geo], geo) if geo in regions else place_name(geo, t)

    every = {p.code for p in provinces()}
    keys = [c for c in frame.columns if c != "geo"]
    rows = []
    for values, part in frame.astype({c: str for c in keys}).groupby(keys, sort=False, dropna=False):
        geos = list(dict.fromkeys(part["geo"].astype(str)))
        places = t("common.all_31_provinces") if set(geos) == every else t("sep.list_sep").join(name(g) for g in geos)
        values = values if isinstance(values, tuple) else (values,)
        rows.append({**dict(zip(keys, values, strict=True)), "places": places})
    return pd.DataFrame(rows, columns=["places", *keys])


def source_line(result, t: Text) -> str:
    """The 资料来源 / Source line of a table: the publishers of the series behind ``result`` (empty without)."""
    publishers = list(dict.fromkeys(result.sources["publisher"].astype(str))) if not result.sources.empty else []
    return t("source.line", publishers=t("sep.list_sep_2").join(publishers)) if publishers else ""
