"""Publication layout: every figure and table is numbered in report order, every figure has a source line
naming publishers from the catalogue (not series codes), and the section text refers to them."""

from __future__ import annotations

import pytest

from coreduce.report.build import make_report


@pytest.mark.parametrize(("lang", "figure", "source"), [("zh", "图", "资料来源："), ("en", "Figure ", "Source: ")])
def test_figures_and_tables_are_numbered_with_a_source_line(rich_panel, lang, figure, source):
    report, _ = make_report(rich_panel, lang)
    assert report.figures, "the trend panel draws figures"
    assert [f.number for f in report.figures] == list(range(1, len(report.figures) + 1))
    assert [t.number for t in report.tables] == list(range(1, len(report.tables) + 1))
    publishers = set(rich_panel.sources["publisher"].astype(str))
    for fig in report.figures:
        assert fig.label == f"{figure}{fig.number}"
        assert fig.source.startswith(source), fig.key
        if fig.key in ("fig2_national_trends", "fig4a_map_co2_intensity", "fig7_lmdi_channels"):
            assert any(name in fig.source for name in publishers), fig.source
        assert "co2_ceds" not in fig.source and "so2_nbs" not in fig.source
    for section in report.sections:
        for item in (*section.figures, *section.tables):
            assert item.label in section.text[-1]
