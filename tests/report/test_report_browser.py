"""The HTML report in a real browser: every figure and table is in the DOM, and the page fetches nothing."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_report_loads_offline_with_every_figure_and_table(small_report, load_in_chromium):
    dom, requests = load_in_chromium(small_report.files["html"])
    assert requests == []
    for fig in small_report.report.figures:
        assert re.search(rf'<figure id="{fig.key}"[^>]*>\s*<img src="data:image/png;base64,', dom), fig.key
    for tab in small_report.report.tables:
        assert f'data-key="{tab.key}"' in dom, tab.key
    assert dom.count("<section ") == len(small_report.report.sections)


def test_the_network_check_sees_a_page_that_fetches(tmp_path, load_in_chromium):
    # the same check on a page with an external image and stylesheet must report both
    page = tmp_path / "fetching.html"
    page.write_text(
        '<html><body><img src="http://example.com/x.png"><link rel="stylesheet" href="https://cdn.example.org/a.css">'
        "</body></html>",
        encoding="utf-8",
    )
    _, requests = load_in_chromium(page)
    assert {r["url"] for r in requests} == {"http://example.com/x.png", "https://cdn.example.org/a.css"}
