"""The methods section: data sources with publisher and licence, value status counts, coverage of every
series, every convention used by the other sections, and the caveats a reader must know."""

from __future__ import annotations

import pandas as pd

from coreduce.i18n import has_message, message
from coreduce.report.model import ReportTable, Section
from coreduce.report.sections.base import Context

CAVEATS = (
    (
        "各省加总不等于全国总量（跨省电力调入调出、统计口径差异）；全国数据取自全国来源。",
        "Provincial sums differ from national totals (interprovincial electricity, statistical differences); "
        "national figures come from national sources.",
    ),
    (
        "国家统计局 SO₂ 在 2016 年口径变化（环境统计新制度），2015→2016 的下降部分来自口径而非减排。",
        "NBS SO₂ has a definitional break in 2016 (new environmental statistics system): part of the 2015→2016 "
        "drop is a change of scope, not of emissions.",
    ),
    (
        "CEDS 是模型清单（中国部分基于 MEIC），不同于国家统计局统计序列；两者不可混用。",
        "CEDS is a modelled inventory (MEIC-based for China), not the NBS statistical series; the two are not mixed.",
    ),
    (
        "没有省级 PM2.5 序列，也没有国家统计局省级 NOx：这些保持缺失，不作估算。",
        "There is no provincial PM2.5 series and no NBS provincial NOx: they stay missing and are not estimated.",
    ),
)


def sources_table(ctx: Context, previous: list[Section] = ()) -> pd.DataFrame:
    """The panel's sources with publisher and licence, plus the boundary file when a map was drawn."""
    from coreduce.report.maps import BOUNDARY_SOURCE

    used = ctx.panel.attribution()
    if any(fig.key.startswith("fig4") for section in previous for fig in section.figures):
        used = pd.concat([used, pd.DataFrame([BOUNDARY_SOURCE])], ignore_index=True)
    used = used.loc[:, ["source", "publisher", "title", "licence", "citation"]]
    return used.assign(licence=[licence_text(str(x), ctx.lang) for x in used["licence"]])


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


SOURCE_COLUMNS = {
    "source": ("来源代码", "source"),
    "publisher": ("发布机构", "publisher"),
    "title": ("题名", "title"),
    "licence": ("许可", "licence"),
    "citation": ("引用", "citation"),
}
"""Headers of the sources table; the cells (publishers, titles, citations) stay as the publishers wrote them."""


STATUS_NAMES = {
    "reported": ("报告值", "reported"),
    "interpolated": ("插补", "interpolated"),
    "corrected": ("更正", "corrected"),
    "derived": ("派生", "derived"),
}


def family(variable: str) -> str:
    """The series a breakdown belongs to: ``co2_ceads.sector.power`` → ``co2_ceads.sector.*``; others as is."""
    parts = variable.split(".")
    return f"{parts[0]}.{parts[1]}.*" if len(parts) > 2 else variable


def coverage_table(ctx: Context) -> pd.DataFrame:
    """One row per variable (breakdowns such as ``co2_ceads.sector.*`` as one row with their number of
    series): unit, number of places, first and last year, number of values and values by status."""
    data = ctx.panel.data.assign(family=lambda d: d["variable"].map(family))
    grouped = data.groupby("family")
    t = ctx.t
    frame = pd.DataFrame(
        {
            t.pick("单位", "unit"): grouped["unit"].first().map(lambda u: unit_text(str(u), ctx.lang)),
            t.pick("序列数", "series"): grouped["variable"].nunique(),
            t.pick("地区数", "places"): grouped["geo"].nunique(),
            t.pick("起始年", "first year"): grouped["year"].min(),
            t.pick("末期年", "last year"): grouped["year"].max(),
            t.pick("数值个数", "values"): grouped["value"].count(),
        }
    )
    status = data.pivot_table(index="family", columns="status", values="value", aggfunc="size", fill_value=0)
    status = status.reindex(columns=[s for s in STATUS_NAMES if s in status.columns])
    status.columns = [t.pick(*STATUS_NAMES[s]) for s in status.columns]
    frame = frame.join(status).fillna(0)
    return frame.rename_axis(t.pick("变量", "variable")).reset_index()


def conventions_table(sections: list[Section], t) -> pd.DataFrame:
    """Every convention recorded by the sections, one row each: section, convention, value."""
    rows = [(s.title, name, str(value)) for s in sections for name, value in s.conventions.items()]
    columns = [t.pick("章节", "section"), t.pick("约定", "convention"), t.pick("取值", "value")]
    return pd.DataFrame(rows, columns=columns)


def build(ctx: Context, previous: list[Section]) -> Section:
    t = ctx.t
    counts = ctx.panel.status_counts()
    status_text = t.pick("，", ", ").join(
        f"{t.pick(*STATUS_NAMES.get(name, (name, name)))}: {int(n):,}" for name, n in counts.items()
    )
    conventions = conventions_table(previous, t)
    text = [
        t.pick(
            f"面板共 {len(ctx.panel.data):,} 个数值（{status_text}）。",
            f"The panel holds {len(ctx.panel.data):,} values ({status_text}).",
        ),
        t.pick(
            "每个数值都可追溯到面板中的一行及其来源；插补（interpolated）和更正（corrected）的数值按变量计数如下。",
            "Every number traces to a panel row and its source; interpolated and corrected values are counted by "
            "variable below.",
        ),
    ]
    tables = [
        ReportTable(
            "table_sources",
            t("tab.sources"),
            sources_table(ctx, previous).rename(columns={k: t.pick(*v) for k, v in SOURCE_COLUMNS.items()}),
        ),
        ReportTable(
            "table_conventions",
            t.pick("各节使用的方法约定", "Conventions used by each section"),
            conventions,
        ),
        ReportTable(
            "table_coverage",
            t("tab.coverage"),
            coverage_table(ctx),
        ),
    ]
    notes = [t.pick(zh, en) for zh, en in CAVEATS]
    return Section(
        key="methods",
        title=t("sec.methods"),
        text=text,
        tables=tables,
        notes=notes,
    )
