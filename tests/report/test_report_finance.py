"""The green-finance report section: asked for by name, numbered figures and tables, a source line naming the
panel's green-finance publisher, the flagged source values, in Chinese and English."""

from __future__ import annotations

import pytest

from coreduce.report.config import DEFAULT_SECTIONS, ReportConfig, ReportOptions


def test_finance_is_a_section_a_user_names_not_a_default():
    assert "finance" not in DEFAULT_SECTIONS
    assert ReportOptions(sections=("finance",)).sections == ("finance",)


@pytest.mark.slow
def test_finance_section_figures_tables_and_sources(bundled_panel, lang="zh"):
    """In Chinese (the English texts are the same catalogue keys, which the catalogue test keeps in step)."""
    from coreduce.finance.regions import regions
    from coreduce.report.build import make_report

    config = ReportConfig.from_mapping({"report": {"lang": lang, "sections": ["finance"]}})
    report, _ = make_report(bundled_panel, config=config)
    (section,) = [s for s in report.sections if s.key == "finance"]
    assert section.omitted is None
    assert [f.key for f in section.figures] == ["fig13_finance_gini", "fig14_finance_event"]
    assert [f.number for f in section.figures] == [1, 2]  # numbered in report order
    assert all("Yumanlou" in f.source for f in section.figures)  # the panel's publisher of the gf_* series
    keys = [t.key for t in section.tables]
    assert keys == ["tab_finance_gini", "tab_finance_did", "tab_finance_plausibility"]
    result = regions(bundled_panel)
    # the section lays out the analysis: the Gini table holds its numbers, the intro counts the flagged values
    gini = section.tables[0].frame
    assert gini.iloc[:, 1:].to_numpy() == pytest.approx(result.imbalance.reset_index().iloc[:, 1:].to_numpy())
    assert str(len(result.flagged)) in section.text[0]
    plausibility = section.tables[2].frame
    assert plausibility.iloc[:, 2].tolist() == result.plausibility["province_years"].tolist()
    assert ("图1" if lang == "zh" else "Figure 1") in section.text[-1]
