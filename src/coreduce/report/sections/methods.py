"""The methods section: data sources with publisher and licence, value status counts, coverage of every
series, every convention used by the other sections, and the caveats a reader must know."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.i18n import has_message, message
from coreduce.report.model import ReportTable, Section
from coreduce.report.sections.base import Context
from coreduce.report.sections.common import condensed

CAVEATS = ("provincial_sums", "so2_break", "ceds_modelled", "no_provincial_pm25")
"""Caveats a reader must know (texts ``report.caveat.<name>``)."""


def sources_table(ctx: Context, previous: list[Section] = ()) -> pd.DataFrame:
    """The panel's sources with publisher and licence, plus the base map when a map was drawn."""
    from coreduce.report.maps import basemap_source

    used = ctx.panel.attribution()
    if any(fig.layers for section in previous for fig in section.figures):
        used = pd.concat([used, pd.DataFrame([basemap_source()])], ignore_index=True)
    used = used.loc[:, ["source", "publisher", "title", "licence", "citation"]]
    return used.assign(licence=[licence_text(str(x), ctx.lang) for x in used["licence"]])


CITATION_SHOWN = 160
"""Characters of a citation shown in the report's sources table (the CSV holds the whole text)."""


def sources_shown(full: pd.DataFrame) -> pd.DataFrame:
    """The sources table as the report shows it: one row per publisher and licence (e.g. a provincial bureau's
    corrections of two years), titles and citations shortened; the CSV keeps every source in full."""
    import textwrap

    shown = full.astype(str)

    def joined(values: pd.Series) -> str:
        return textwrap.shorten("; ".join(dict.fromkeys(values)), CITATION_SHOWN, placeholder=" …")

    # one row per publisher and licence (e.g. a provincial bureau's corrections of two years)
    grouped = shown.groupby(["publisher", "licence"], sort=False)
    rows = grouped.agg(source=("source", ", ".join), title=("title", joined), citation=("citation", joined))
    return rows.reset_index()[["source", "publisher", "title", "licence", "citation"]]


def licence_text(text: str, lang: str) -> str:
    """A licence cell in ``lang``: the project's own wording from the catalogue (``none stated``, ``official
    statistics (public)``, ``none stated (<terms>)``); a publisher's licence name (``CC BY 4.0``) as written."""
    own = {"none stated": "licence.none_stated", "official statistics (public)": "licence.official_public"}
    if text in own:
        return message(own[text], lang)
    if text.startswith("none stated (") and text.endswith(")"):
        return message("licence.none_stated_terms", lang, terms=text.removeprefix("none stated (")[:-1])
    return text


def unit_text(unit: str, lang: str) -> str:
    """A unit of the coverage table in ``lang`` (``unit.<unit>`` in the catalogue; symbols such as Mt as is)."""
    key = f"unit.{unit}"
    return message(key, lang) if has_message(key, lang) else unit


SOURCE_COLUMNS = ("source", "publisher", "title", "licence", "citation")
"""Headers of the sources table; the cells (publishers, titles, citations) stay as the publishers wrote them."""


STATUS_NAMES = ("reported", "interpolated", "corrected", "derived")


def family(variable: str) -> str:
    """The series a breakdown belongs to: ``co2_ceads.sector.power`` → ``co2_ceads.sector.*``; others as is."""
    parts = variable.split(".")
    return f"{parts[0]}.{parts[1]}.*" if len(parts) > 2 else variable


def coverage_table(ctx: Context) -> pd.DataFrame:
    """One row per variable (breakdowns such as ``co2_ceads.sector.*`` as one row with their number of
    series): unit, number of places, first and last year, number of values and values by status.

    Counted on integer codes: each row's family through its variable (a few hundred names, not 296k strings)."""
    data = ctx.panel.data
    variable, variables = pd.factorize(data["variable"])
    of_variable, families = pd.factorize(pd.Index([family(v) for v in variables]), sort=True)
    row = of_variable[variable].astype(np.int64)  # each row's family, numbered in name order
    n = len(families)
    geo = pd.factorize(data["geo"])[0]
    span = int(geo.max(initial=-1)) + 1
    places = np.bincount(pd.unique(row * span + geo) // max(span, 1), minlength=n)  # distinct (family, geo)
    status, statuses = pd.factorize(data["status"])
    by_status = np.bincount(row * len(statuses) + status, minlength=n * len(statuses)).reshape(n, len(statuses))
    first = pd.Series(np.arange(len(row))).groupby(row).min().to_numpy()  # each family's first row
    year = data["year"].groupby(row)
    t = ctx.t
    return pd.DataFrame(
        {
            t("methods.variable"): families,
            t("methods.unit"): [unit_text(str(u), ctx.lang) for u in data["unit"].to_numpy()[first]],
            t("methods.series"): np.bincount(of_variable, minlength=n),
            t("methods.places"): places,
            t("methods.first_year"): year.min().to_numpy(),
            t("methods.last_year"): year.max().to_numpy(),
            t("methods.values"): np.bincount(row[data["value"].notna().to_numpy()], minlength=n),
            **{t.label("status", s): by_status[:, list(statuses).index(s)] for s in STATUS_NAMES if s in statuses},
        }
    )


def conventions_table(sections: list[Section], t) -> pd.DataFrame:
    """Every convention recorded by the sections, one row each: section, convention, value."""
    rows = [(s.title, name, str(value)) for s in sections for name, value in s.conventions.items()]
    columns = [t("methods.section"), t("methods.convention"), t("methods.value")]
    return pd.DataFrame(rows, columns=columns)


def shared_conventions(full: pd.DataFrame, t) -> pd.DataFrame:
    """The conventions several sections share, and those whose value differs between sections: one row per
    convention and value with its sections listed (each section also prints its own conventions)."""
    section, name, value = full.columns
    grouped = full.groupby([name, value], sort=False)[section].agg(t("sep.list_sep").join).reset_index()
    counts = full.groupby([name, value], sort=False)[section].size().to_numpy()
    differs = grouped[name].map(grouped[name].value_counts()) > 1
    return grouped[(counts > 1) | differs.to_numpy()].loc[:, [section, name, value]].reset_index(drop=True)


def series_used(ctx: Context, previous: list[Section]) -> set[str]:
    """The panel series (``co2_ceads`` also for its breakdowns) the report's analyses read: those the sections
    and their results' conventions name, the inputs of an indicator system, series columns of result tables
    (e.g. the CO2 series compared) and series named as missing."""
    named = {s for section in previous for s in section.series}
    results = [r for value in ctx.results.values() for r in (value if isinstance(value, tuple) else (value,))]
    for result in results:
        for record in getattr(result, "conventions", ()) or ():
            named |= {v for v in (record.value if isinstance(record.value, tuple) else (record.value,))}
        named |= set(getattr(getattr(result, "system", None), "variables", ()))
        named |= {str(m.series) for m in getattr(result, "missing", ()) or ()}
        for frame in vars(result).values() if hasattr(result, "__dict__") else ():
            if isinstance(frame, pd.DataFrame):
                named |= {v for c in ("series", "variable") if c in frame.columns for v in frame[c].astype(str)}
    families = {v.split(".")[0] for v in ctx.panel.variables}
    return {n.split(".")[0] for n in named if isinstance(n, str)} & families


def build(ctx: Context, previous: list[Section]) -> Section:
    t = ctx.t
    counts = ctx.panel.status_counts()
    status_text = t("sep.list_sep_2").join(f"{t.label('status', name)}: {int(n):,}" for name, n in counts.items())
    conventions = conventions_table(previous, t)
    text = [
        t("methods.panel_holds_len_ctx_panel", len_ctx_panel_data=len(ctx.panel.data), status_text=status_text),
        t("methods.every_number_traces_panel_row"),
    ]
    headers = {k: t.label("source_column", k) for k in SOURCE_COLUMNS}
    full = sources_table(ctx, previous)
    sources = ReportTable("table_sources", t("tab.sources"), sources_shown(full).rename(columns=headers))
    shared = shared_conventions(conventions, t)
    coverage = coverage_table(ctx)
    used = series_used(ctx, previous)
    in_use = coverage[[str(v).split(".")[0] in used for v in coverage.iloc[:, 0]]].reset_index(drop=True)
    tables = [
        condensed(sources, full.rename(columns=headers), t, "condensed_sources"),
        condensed(
            ReportTable("table_conventions", t("methods.conventions_used_each_section"), shared),
            conventions,
            t,
            "condensed_conventions",
        )
        if len(shared)
        else ReportTable("table_conventions", t("methods.conventions_used_each_section"), conventions),
        condensed(ReportTable("table_coverage", t("tab.coverage"), in_use), coverage, t, "condensed_series")
        if len(in_use)
        else ReportTable("table_coverage", t("tab.coverage"), coverage),
    ]
    if ctx.config is not None:
        text.append(t("methods.config_rerun"))
        frame = pd.DataFrame(ctx.config.items(), columns=[t("methods.setting"), t("methods.value")])
        tables.append(ReportTable("table_config", t("tab.config"), frame))
    notes = [t.label("caveat", name) for name in CAVEATS]
    return Section(
        key="methods",
        title=t("sec.methods"),
        text=text,
        tables=tables,
        notes=notes,
    )
