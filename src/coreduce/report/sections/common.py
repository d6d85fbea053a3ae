"""Helpers shared by the sections: turning an analysis result into report tables in the report's language."""

from __future__ import annotations

import pandas as pd

from coreduce.report.i18n import Text
from coreduce.report.model import ReportTable

COLUMN_LABELS = {
    "level": ("层级", "level"),
    "geo": ("地区代码", "geo"),
    "places": ("地区", "places"),
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
    "dimension": ("维度", "dimension"),
    "direction": ("方向", "direction"),
    "label_zh": ("指标名称", "label_zh"),
    "label_en": ("指标名称", "label_en"),
    "weight": ("权重", "weight"),
    "n": ("省份数", "n"),
    "G": ("总体基尼系数 G", "G"),
    "G_w": ("区域内差异 G_w", "G_w"),
    "G_nb": ("区域间差异 G_nb", "G_nb"),
    "G_t": ("超变密度 G_t", "G_t"),
    "share_G_w": ("区域内贡献率", "share_G_w"),
    "share_G_nb": ("区域间贡献率", "share_G_nb"),
    "share_G_t": ("超变密度贡献率", "share_G_t"),
}


def localise(frame: pd.DataFrame, t: Text) -> pd.DataFrame:
    """Rename known columns to the report's language (the CSV keeps the same localised headers)."""
    return frame.rename(columns={k: t.pick(*v) for k, v in COLUMN_LABELS.items() if k in frame.columns})


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
        params["members"] = t.pick("、", ", ").join(place_name(c, t) for c in codes)
    return message(record.reason, t.lang, **params)


def missing_table(result, key: str, t: Text, geos: list[str] | None = None) -> ReportTable | None:
    """The result's missing-data records (optionally only some geographies) as a table, or None when empty."""
    records = [m for m in result.missing if geos is None or any(code in str(m.geo) for code in geos)]
    if not records:
        return None
    frame = pd.DataFrame(
        [{"series": m.series, "geo": m.geo, "years": m.years, "reason": reason_text(m, t)} for m in records],
        columns=["series", "geo", "years", "reason"],
    )
    return ReportTable(key, t.pick("缺失数据", "Missing data"), localise(collapse_places(frame, t), t))


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
            return t.pick("全国", "China")
        if ", " in geo:  # one row naming several regions
            return t.pick("、", ", ").join(name(part) for part in geo.split(", "))
        return t.pick(regions[geo], geo) if geo in regions else place_name(geo, t)

    every = {p.code for p in provinces()}
    keys = [c for c in frame.columns if c != "geo"]
    rows = []
    for values, part in frame.astype({c: str for c in keys}).groupby(keys, sort=False, dropna=False):
        geos = list(dict.fromkeys(part["geo"].astype(str)))
        if set(geos) == every:
            places = t.pick("全部 31 个省份", "all 31 provinces")
        else:
            places = t.pick("、", ", ").join(name(g) for g in geos)
        values = values if isinstance(values, tuple) else (values,)
        rows.append({**dict(zip(keys, values, strict=True)), "places": places})
    return pd.DataFrame(rows, columns=["places", *keys])
