"""The explorer in a real Chromium (Debian's, driven by Playwright) against the real server (uvicorn).

A user picks a province, a variable and years, sees the table and chart, downloads the CSV; the file must hold
the values ``coreduce data show`` prints for the same choice. No console error and no request to another host
may occur; a screenshot is kept under the test's tmp directory.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

import pandas as pd
import pytest
from typer.testing import CliRunner

from coreduce.cli.data import _number
from coreduce.cli.main import app as cli
from helpers.browser import CHROMIUM, NO_CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]


def _data_show(variable: str, geo: str, years: str) -> list[str]:
    """The cells of the one geography row that ``coreduce data show`` prints."""
    result = CliRunner().invoke(
        cli, ["data", "show", variable, "--geo", geo, "--years", years], env={"COLUMNS": "400"}, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.startswith("│") and "Beijing" in line)
    return [cell.strip() for cell in row.strip("│").split("│")][1:]


def test_explorer_download_matches_data_show(server, browser, tmp_path):
    origin = urlsplit(server.url).netloc
    requests, errors = [], []
    context = browser.new_context(accept_downloads=True, locale="en-GB")
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{server.url}/explore")
    assert page.locator("h1").inner_text() == "Data explorer"
    page.select_option("#variable", "co2_ceads")
    page.select_option("#geo", ["110000"])
    page.fill("#first", "2005")
    page.fill("#last", "2015")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/explore\?.*geo=110000"))
    cells = page.locator("#values tbody td")
    assert cells.count() == 11
    assert "source: ceads_provinces" in cells.first.get_attribute("title")
    assert page.locator("#chart polyline").count() >= 1
    page.screenshot(path=tmp_path / "explorer.png", full_page=True)

    with page.expect_download() as info:
        page.click("#download-csv")
    download = tmp_path / "download.csv"
    info.value.save_as(download)
    shown = pd.read_csv(download, dtype={"geo": str}, float_precision="round_trip")
    assert list(shown["geo"].unique()) == ["110000"] and list(shown["year"]) == list(range(2005, 2016))
    marks = {"interpolated": "*", "corrected": "†"}
    from_file = [
        "—" if math.isnan(v) else _number(v) + marks.get(s, "")
        for v, s in zip(shown["value"], shown["status"], strict=True)
    ]
    assert from_file == _data_show("co2_ceads", "Beijing", "2005:2015")

    page.goto(f"{server.url}/explore?variable=co2_ceads&geo=110000&lang=zh")
    assert page.locator("h1").inner_text() == "数据浏览"
    assert "北京" in page.locator("#values tbody th").first.inner_text()
    context.close()

    assert errors == []
    assert requests and all(urlsplit(url).netloc == origin for url in requests), requests


def test_an_analysis_page_by_keyboard(server, browser, tmp_path):
    """From the explorer to the co-control analysis by links, the window changed by keyboard; the page shows the
    conventions it used; no console error, no other host."""
    origin = urlsplit(server.url).netloc
    requests, errors = [], []
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(180_000)  # the first visit runs the analysis; a shared CI machine may be loaded
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{server.url}/explore?region=four_regions:Northeast&variable=gdp")
    assert page.locator("#values tbody tr").count() == 3
    page.click("a[href^='/explore/analysis/synergy']")
    page.wait_for_url(re.compile(r".*/explore/analysis/synergy.*"))
    page.focus("#c-start")
    page.keyboard.type("2012")
    page.focus("#c-end")
    page.keyboard.type("2019")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*start=2012.*end=2019"))
    conventions = page.locator("#conventions tbody tr")
    assert conventions.count() > 10
    assert page.locator("#result tbody tr").count() > 0
    page.screenshot(path=tmp_path / "analysis.png", full_page=True)
    context.close()

    assert errors == []
    assert requests and all(urlsplit(url).netloc == origin for url in requests), requests
