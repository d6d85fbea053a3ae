"""The five-year-plan tables of the national section: change over each plan against the binding target and the
official figure (with the reason for a difference), and PM2.5 against the WHO 2021 levels and GB 3095-2012."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.analysis.plans import plans
from coreduce.data.panel import MissingSeriesError
from coreduce.report.i18n import plain
from coreduce.report.model import ReportTable
from coreduce.report.sections.base import Context
from coreduce.report.sections.common import conventions_text, missing_table, notes_text

INDICATOR_LABELS = {"so2": "so2_total", "nox": "nox_total"}
"""Plan indicators shown under another label key than their own (totals, not intensities)."""


def result(ctx: Context):
    """The plans analysis over the plans up to the report's last year (always from the 11th plan's base)."""
    return ctx.cached("plans", lambda: plans(ctx.panel, ctx.conventions))


def conventions(ctx: Context) -> dict[str, str]:
    """The plans analysis' conventions in the report's language (none when it could not run)."""
    res = ctx.results.get("plans")
    return conventions_text(res, ctx.lang) if res is not None else {}


def notes(ctx: Context) -> list[str]:
    res = ctx.results.get("plans")
    return notes_text(res, ctx.lang) if res is not None else []


def _indicator(key: str, t) -> str:
    label = INDICATOR_LABELS.get(key, key)
    return t(f"plans.indicator.{label}")


def _official(row, t) -> object:
    if not np.isfinite(row.official):
        return np.nan
    value = round(row.official * 100, 2)
    return value if row.official_verified == "yes" else f"{value} ({t('plans.unverified')})"


def _status(row, t) -> str:
    text = t(f"plans.status.{row.status}") if row.status != "complete" else ""
    if row.status == "break":
        text += "; " + t("plans.since", year=int(row.since_year), change=f"{row.change_since * 100:.1f}")
    return text


def plans_table(res, t) -> pd.DataFrame:
    """The plan table laid out in the report's language (change, target and official in %)."""
    table = res.table
    return pd.DataFrame(
        {
            t("plans.plan"): [t.label("plan", p) for p in table["plan"]],
            t("plans.indicator"): [_indicator(i, t) for i in table["indicator"]],
            t("plans.series"): table["series"].to_numpy(),
            t("plans.years"): [f"{b}–{e}" for b, e in zip(table["base_year"], table["end_year"], strict=True)],
            t("plans.change"): (table["change"] * 100).to_numpy(),
            t("plans.target"): (table["target"] * 100).to_numpy(),
            t("plans.official"): [_official(r, t) for r in table.itertuples(index=False)],
            t("plans.difference"): table["difference_pp"].to_numpy(),
            t("plans.status"): [_status(r, t) for r in table.itertuples(index=False)],
        }
    )


def reasons(res, lang: str) -> list[str]:
    """One sentence per reason met in the table, in ``lang`` (shown below it)."""
    from coreduce.i18n import message

    keys = [k for k in dict.fromkeys(res.table["reason"]) if k]
    return [message(k, lang) for k in keys]


def pm25_table(res, t) -> pd.DataFrame:
    frame = res.pm25
    national = frame[frame["geo"] == frame["geo"].iloc[0]] if not frame.empty else frame
    return pd.DataFrame(
        {
            t("column.year"): national["year"].to_numpy(),
            "PM2.5 (µg/m³)": national["value"].to_numpy(),
            t("plans.times_aqg"): national["times_who_aqg"].to_numpy(),
            t("plans.who_level"): [t(f"plans.who_level.{v}") for v in national["who_level"]],
            t("plans.grade2"): [t(f"plans.{v}") for v in national["gb3095_grade2"]],
        }
    )


def tables(ctx: Context) -> tuple[list[ReportTable], list[str]]:
    """The plan and PM2.5 tables of the national section and the sentences explaining the differences."""
    t = ctx.t
    try:
        res = result(ctx)
    except (MissingSeriesError, ValueError) as exc:  # a panel without the plan series: the rest of the section stays
        return [], [t("plans.unavailable", reason=str(exc))]
    out = [
        ReportTable(
            "table_five_year_plans",
            t("plans.title"),
            plans_table(res, t),
            caption=t("plans.caption"),
        )
    ]
    if not res.pm25.empty:
        out.append(
            ReportTable("table_pm25_standards", t("plans.pm25_title"), pm25_table(res, t), t("plans.pm25_caption"))
        )
    missing = missing_table(res, "table_plans_missing", t)
    return out + ([missing] if missing else []), [plain(s) for s in reasons(res, ctx.lang)]
