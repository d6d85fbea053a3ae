"""Helpers of the report sections: missing-data rows shared by many places are listed once."""

import pandas as pd

from coreduce.geo import provinces
from coreduce.report.i18n import Text
from coreduce.report.sections.common import collapse_places


def test_a_gap_shared_by_every_province_is_one_row():
    codes = [p.code for p in provinces()]
    rows = [{"series": "rd_expenditure", "geo": c, "years": "1990–2009", "reason": "absent"} for c in codes]
    rows += [{"series": "energy_total", "geo": g, "years": "2021–2022", "reason": "x"} for g in ("110000", "650000")]
    rows += [{"series": "co2", "geo": g, "years": "2008", "reason": "left out"} for g in ("100000", "East")]
    frame = pd.DataFrame(rows)
    zh = collapse_places(frame, Text("zh"))
    assert list(zh["places"]) == ["全部 31 个省份", "北京、新疆", "全国、东部"]
    assert list(zh["series"]) == ["rd_expenditure", "energy_total", "co2"]
    en = collapse_places(frame, Text("en"))
    assert list(en["places"]) == ["all 31 provinces", "Beijing, Xinjiang", "China, East"]
