"""Helpers shared by the sections: turning an analysis result into report tables in the report's language."""

from __future__ import annotations

import pandas as pd

from coreduce.report.i18n import Text
from coreduce.report.model import ReportTable

COLUMN_LABELS = {
    "level": ("层级", "level"),
    "geo": ("地区代码", "geo"),
    "name": ("地区", "name"),
    "indicator": ("指标", "indicator"),
    "unit": ("单位", "unit"),
    "start_year": ("起始年", "start year"),
    "start": ("起始值", "start"),
    "end_year": ("末期年", "end year"),
    "end": ("末期值", "end"),
    "annual_rate": ("年均变化率", "annual rate"),
    "years_present": ("有数据年份", "years present"),
    "series": ("序列", "series"),
    "years": ("年份", "years"),
    "reason": ("原因", "reason"),
    "year": ("年份", "year"),
}


def localise(frame: pd.DataFrame, t: Text) -> pd.DataFrame:
    """Rename known columns to the report's language (the CSV keeps the same localised headers)."""
    return frame.rename(columns={k: t.pick(*v) for k, v in COLUMN_LABELS.items() if k in frame.columns})


def missing_table(result, key: str, t: Text, geos: list[str] | None = None) -> ReportTable | None:
    """The result's ``missing`` rows (optionally only some geographies) as a table, or None when empty."""
    frame = result.missing
    if geos is not None and not frame.empty:
        frame = frame[frame["geo"].astype(str).apply(lambda g: any(code in g for code in geos))]
    if frame.empty:
        return None
    return ReportTable(key, t.pick("缺失数据", "Missing data"), localise(frame.reset_index(drop=True), t))
