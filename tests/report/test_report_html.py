import math
import re

import pandas as pd
import pytest

from coreduce.report.html import external_references, format_number, table_html
from coreduce.report.i18n import unicode_text
from coreduce.report.model import ReportTable


@pytest.mark.parametrize(
    ("value", "shown"),
    [(2.32512, "2.325"), (7492.34, "7,492"), (150.26, "150.3"), (0.01234, "0.0123"), (3, "3"), (12806, "12,806")],
)
def test_format_number(value, shown):
    assert format_number(value) == shown


def test_missing_numbers_are_shown_as_a_dash():
    assert format_number(math.nan) == "–"
    assert format_number(None) == "–"


def test_external_references_are_found():
    markup = (
        '<img src="data:image/png;base64,AAA"><a href="#x">x</a><img src="https://cdn.example.org/a.png">'
        "<style>body{background:url('http://e.org/b.png')}</style><link href='style.css'>"
    )
    assert external_references(markup) == ["https://cdn.example.org/a.png", "style.css", "http://e.org/b.png"]


def test_report_html_is_self_contained(small_report):
    markup = small_report.files["html"].read_text(encoding="utf-8")
    assert external_references(markup) == []
    assert "<script" not in markup
    images = re.findall(r'<img src="data:image/png;base64,', markup)
    assert len(images) == len(small_report.report.figures) >= 1


def test_every_table_and_figure_file_is_written(small_report):
    out = small_report.out_dir
    for fig in small_report.report.figures:
        assert (out / "figures" / f"{fig.key}.png").stat().st_size > 1000
        assert (out / "figures" / f"{fig.key}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
        assert (out / "data" / f"{fig.key}.csv").exists()
    for tab in small_report.report.tables:
        assert (out / "tables" / f"{tab.key}.csv").exists()
    assert not list(out.rglob(".*.tmp"))


def test_methods_section_attributes_sources_and_counts_status(small_report):
    markup = small_report.files["html"].read_text(encoding="utf-8")
    assert "CC BY 4.0" in markup and "Global Carbon Budget / OWID" in markup
    assert "插补: 1" in markup  # one interpolated value in the synthetic panel (status named in Chinese)
    assert "2016" in markup  # the SO2 break caveat


def test_short_text_stays_on_one_line_and_long_text_wraps():
    frame = pd.DataFrame({"province": ["北京", "内蒙古"], "reason": ["x" * 40, "y"], "value": [1.5, 2.25]})
    markup = table_html(ReportTable("t", "t", frame))
    assert '<td class="text nowrap">内蒙古</td>' in markup
    assert f'<td class="text">{"x" * 40}</td>' in markup
    assert '<td class="num">2.250</td>' in markup


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("CO$_2$ 排放强度", "CO₂ 排放强度"),
        ("PM$_{2.5}$", "PM₂.₅"),
        ("NO$_x$", "NOₓ"),
        ("t per $10^4$ yuan", "t per 10⁴ yuan"),
    ],
)
def test_figure_labels_become_unicode_text(label, text):
    assert unicode_text(label) == text


def test_year_columns_have_no_thousands_separator():
    frame = pd.DataFrame({"起始年": [2008], "年份": [2010], "end year": [2022], "半衰期（年）": [18.64]})
    markup = table_html(ReportTable("t", "t", frame))
    assert ">2008<" in markup and ">2010<" in markup and ">2022<" in markup and "2,0" not in markup
    assert '<td class="num">18.640</td>' in markup
