"""The Chinese rendering of the analyses' English conventions, notes and missing-data reasons."""

from __future__ import annotations

import pytest

from coreduce.report.i18n import Text
from coreduce.report.model import Section
from coreduce.report.translate import (
    NOTES,
    REASONS,
    UNTRANSLATED,
    VALUES,
    conventions,
    has_english,
    notes,
    reason,
    render,
    section,
)

ZH, EN = Text("zh"), Text("en")


def test_convention_keys_and_values_are_translated_with_their_numbers_kept():
    out = conventions(
        {
            "average annual rate": "geometric, (x_end / x_start)^(1/(end − start)) − 1",
            "imbalance: groups": "four_regions: East (10); Central (6); West (12); Northeast (3)",
            "channels": "scale → economic scale; energy_mix → energy revolution",
            "sample": "30 provinces, 2010–2022, 376 complete province-years",
            "E": "energy_total",
        },
        ZH,
    )
    assert out == {
        "年均变化率": "几何平均，(x_end / x_start)^(1/(end − start)) − 1",
        "区域差异：分组": "four_regions：东部（10）；中部（6）；西部（12）；东北（3）",
        "作用渠道": "经济规模 → 经济规模；能源结构 → 能源革命",
        "样本": "30 个省份，2010–2022 年，376 个完整省份-年份",
        "E": "energy_total",  # a symbol and a series code need no translation
    }


def test_unknown_english_is_kept_and_marked_codes_are_not():
    assert conventions({"a new option": "some value"}, ZH) == {
        UNTRANSLATED + "a new option": UNTRANSLATED + "some value"
    }
    assert render("co2_ceds/gdp", VALUES) == "co2_ceds/gdp"
    assert not has_english("nqpf_default（nqpf_default.toml）：11 项指标")
    assert has_english("〔英文原文〕left out")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not in panel", "面板中无此数据"),
        ("left out of the region (incomplete data): 110000, 650000", "数据不全，未计入合计：北京、新疆"),
        ("absent; needed by rd_intensity, invention_share", "缺失；计算 rd_intensity、invention_share 需要此序列"),
    ],
)
def test_missing_reasons(text, expected):
    assert reason(text, ZH) == expected


def test_notes_keep_every_number():
    note = (
        "National CO2 intensity 2008: 2.321 t per 10^4 yuan here vs 2.325 in the paper (-0.2 %); at this GDP the "
        "paper's value implies 7,505 Mt of CO2 against 7,492 Mt in co2_gcb."
    )
    (out,) = notes([note], ZH)
    assert out.startswith("2008 年全国 CO2 排放强度：本报告 2.321 吨/万元，论文 2.325（差异 -0.2%）")
    assert "7,505" in out and "7,492" in out and "co2_gcb" in out and not has_english(out)
    assert render("indicator not available: something new: not in the panel", NOTES) == (
        f"指标不可用：{UNTRANSLATED}something new：面板中无此数据"
    )


def test_english_report_is_unchanged():
    values = {"average annual rate": "geometric, (x_end / x_start) − 1", "imbalance: Gini": "Dagum (1997)"}
    built = Section("x", "X", conventions=values, notes=["not in panel"])
    assert section(built, EN) is built
    assert conventions(values, EN) == values and notes(["a note"], EN) == ["a note"]
    assert reason("not in panel", EN) == "not in panel"
    translated = section(built, ZH)
    expected = {"年均变化率": "几何平均，(x_end / x_start) − 1", "区域差异：基尼系数": "Dagum (1997)"}
    assert translated.conventions == expected
    assert translated.notes == [UNTRANSLATED + "not in panel"]  # a note is not a missing-data reason


def test_every_template_compiles_and_matches_whole_text_only():
    import re

    for pattern, _ in VALUES + NOTES + REASONS:
        re.compile(pattern)
    assert render("not in panel yet", REASONS) == UNTRANSLATED + "not in panel yet"


def test_reasons_a_section_is_omitted():
    from coreduce.report.translate import omission

    text = (
        "nqpf_default.toml: indicator 'rd_intensity' (rd_expenditure / gdp) needs variable(s) rd_expenditure, gdp "
        "that the panel does not have; the analysis module coreduce.analysis.imbalance is not available in this "
        "installation"
    )
    assert omission(text, ZH) == (
        "nqpf_default.toml：指标 rd_intensity（rd_expenditure / gdp）需要面板中没有的变量 rd_expenditure、gdp；"
        "本安装中没有分析模块 coreduce.analysis.imbalance"
    )
    assert omission("the panel has no series co2_ceds, population", ZH) == "面板中没有序列 co2_ceds、population"
    assert omission(text, EN) == text


def test_omitted_sections_of_a_chinese_report_say_why_in_chinese(small_panel):
    from coreduce.report.build import make_report

    report, _ = make_report(small_panel, lang="zh")
    omitted = {s.key: s.omitted for s in report.sections if s.omitted}
    assert omitted["national_trends"] == "面板中没有序列 co2_ceds"  # the synthetic panel lacks the trend series
    assert len(omitted) == 5 and all(UNTRANSLATED not in reason for reason in omitted.values())
    assert omitted["nqpf"].startswith("nqpf_default.toml：指标 rd_intensity（rd_expenditure / gdp）需要")
