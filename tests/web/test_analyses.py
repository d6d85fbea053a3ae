"""The explorer's analysis pages, region picks and Stata download over HTTP (in-process client).

An analysis page must show the typed result the CLI prints (same function, same conventions), the conventions
it used, what it lacked, and offer the whole result as CSV/xlsx; bad choices are named, never a traceback.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from coreduce.analysis.conventions import ProvinceConventions
from coreduce.analysis.costatus import costatus
from coreduce.exchange.api.app import create_app
from coreduce.exchange.settings import Settings
from coreduce.geo.groupings import load_grouping
from coreduce.web import router
from coreduce.web.analyses import ANALYSES, result
from helpers.html_tables import table_rows


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    database = tmp_path_factory.mktemp("web") / "exchange.db"
    settings = Settings(
        database_url=f"sqlite:///{database}", require_https=False, routers=(router,), allowed_hosts=("testserver",)
    )
    return TestClient(create_app(settings))


def _table(html: str, table_id: str) -> pd.DataFrame:
    header, *rows = table_rows(html, table_id)
    return pd.DataFrame(rows, columns=header)


@pytest.mark.parametrize("name", ["synergy", "decompose", "nqpf"])
def test_an_analysis_page_shows_its_result_and_conventions(client, name):
    page = client.get(f"/explore/analysis/{name}", params={"lang": "en", "start": "2010", "end": "2019"})
    assert page.status_code == 200, page.text[-500:]
    assert page.headers["content-security-policy"].startswith("default-src 'self';")
    assert "style=" not in page.text  # the CSP forbids inline styles; none may be emitted
    shown = result(name, ProvinceConventions(start=2010, end=2019))
    conventions = _table(page.text, "conventions")
    values = dict(zip(conventions.iloc[:, 0], conventions.iloc[:, 1].astype(str), strict=True))
    expected = shown.conventions_frame("en")
    assert len(conventions) == len(expected)
    assert values[expected.set_index("key").loc["start", "convention"]] == "2010"
    main = _table(page.text, "result")
    assert len(main) == min(200, len(shown.to_frame()))


def test_the_synergy_page_equals_the_cli_analysis(client, bundled_panel):
    """The CSV download is the result of costatus() itself under the same conventions, value for value."""
    csv = client.get("/explore/analysis/synergy.csv", params={"start": "2008", "end": "2022"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    downloaded = pd.read_csv(io.StringIO(csv.text), dtype={"geo": str})
    direct = costatus(bundled_panel, ProvinceConventions(start=2008, end=2022)).to_frame()
    direct = direct.reset_index() if not isinstance(direct.index, pd.RangeIndex) else direct
    numbers = direct.select_dtypes("number").columns
    pd.testing.assert_frame_equal(
        downloaded[numbers].reset_index(drop=True), direct[numbers].reset_index(drop=True), check_dtype=False
    )


def test_the_xlsx_download_carries_conventions_and_missing(client):
    book = client.get("/explore/analysis/decompose.xlsx")
    assert book.status_code == 200
    sheets = pd.read_excel(io.BytesIO(book.content), sheet_name=None)
    assert {"conventions", "missing", "notes", "sources"} <= set(sheets)


def test_the_page_names_a_bad_choice_and_an_unknown_analysis(client):
    bad_year = client.get("/explore/analysis/trends", params={"start": "20x0"})
    assert bad_year.status_code == 400 and "start: expected a year" in bad_year.text
    reversed_window = client.get("/explore/analysis/synergy", params={"start": "2020", "end": "2010"})
    assert reversed_window.status_code == 400 and 'role="alert"' in reversed_window.text
    unknown = client.get("/explore/analysis/<script>")
    assert unknown.status_code == 404 and "<script>" not in unknown.text
    assert client.get("/explore/analysis/synergy.pdf").status_code == 400


def test_sources_name_publishers_not_server_paths(client):
    page = client.get("/explore/analysis/synergy", params={"lang": "en"})
    assert page.status_code == 200
    assert "shared/data" not in page.text and "/work/" not in page.text


def test_every_analysis_has_a_title_in_both_languages(client):
    for lang, word in (("zh", "分析"), ("en", "Analyses")):
        page = client.get("/explore", params={"lang": lang, "geo": "110000"})
        assert word in page.text
        for name in ANALYSES:
            assert f"/explore/analysis/{name}?lang={lang}" in page.text


def test_a_region_adds_its_provinces(client):
    east = load_grouping("four_regions").members("East")
    page = client.get("/explore", params={"variable": "gdp", "region": "four_regions:East", "lang": "en"})
    assert page.status_code == 200
    assert len(_table(page.text, "values")) == len(east)
    unknown = client.get("/explore", params={"region": "four_regions:Atlantis"})
    assert unknown.status_code == 400 and "Atlantis" in unknown.text


def test_the_stata_download_holds_the_rows_shown(client, bundled_panel):
    query = {"variable": "gdp", "geo": ["110000", "310000"], "first": "2010", "last": "2012"}
    dta = client.get("/explore/data.dta", params=query)
    assert dta.status_code == 200
    frame = pd.read_stata(io.BytesIO(dta.content))
    assert len(frame) == 6
    expected = bundled_panel.data.query("variable == 'gdp' and geo == '110000' and year == 2011")["value"].iloc[0]
    in_2011 = frame[frame["year"] == 2011].select_dtypes("number").drop(columns="year").to_numpy().ravel()
    assert any(v == pytest.approx(expected) for v in in_2011)


def test_countries_are_named_and_a_country_group_names_who_it_left_out(client, bundled_panel):
    """BRICS from 2024 (the built-in, cited grouping): every member the panel has is shown by name; a member
    with no row would be named as left out rather than dropped silently."""
    from coreduce.geo.country_groups import load_country_grouping

    members = load_country_grouping("brics_2024").members("BRICS")
    page = client.get("/explore", params={"variable": "co2_owid", "region": "brics_2024:BRICS", "lang": "en"})
    assert page.status_code == 200, page.text[-400:]
    rows = _table(page.text, "values")
    in_panel = set(bundled_panel.data["geo"])
    assert len(rows) == len([m for m in members if m in in_panel])
    assert "India" in set(rows.iloc[:, 0]) and "Brazil" in set(rows.iloc[:, 0])
    missing = [m for m in members if m not in in_panel]
    assert ('id="left-out"' in page.text) == bool(missing)
    zh = client.get("/explore", params={"variable": "co2_owid", "geo": "IND", "lang": "zh"})
    assert "印度" in zh.text


def test_a_report_is_built_from_the_page_and_opened(client, tmp_path, monkeypatch):
    """The framework section alone (the quickest build): the form asks for it, the progress page follows it, the
    finished report opens under its own policy and its report.toml rebuilds it with the CLI."""
    import time

    from coreduce.report.config import ReportConfig
    from coreduce.web import reports

    monkeypatch.setenv("COREDUCE_HOME", str(tmp_path))
    choice = {"lang": "en", "sections": "framework", "start": "2010", "end": "2020"}
    asked = client.get("/explore/report/build", params=choice, follow_redirects=False)
    assert asked.status_code == 303
    key = asked.headers["location"].split("key=")[1].split("&")[0]
    again = client.get("/explore/report/build", params=choice, follow_redirects=False)
    assert again.headers["location"] == asked.headers["location"]  # the same choices: the same build
    deadline = time.monotonic() + 900
    while reports.job(key).state in ("queued", "running") and time.monotonic() < deadline:
        page = client.get("/explore/report", params={"key": key, "lang": "en"})
        assert 'http-equiv="refresh"' in page.text or reports.job(key).state == "done"
        time.sleep(1)
    assert reports.job(key).state == "done", reports.job(key).error
    page = client.get("/explore/report", params={"key": key, "lang": "en"})
    assert 'id="open-report"' in page.text and 'http-equiv="refresh"' not in page.text
    opened = client.get(f"/explore/report/{key}/report.html")
    assert opened.status_code == 200 and "img-src 'self' data:" in opened.headers["content-security-policy"]
    written = tmp_path / "report.toml"
    written.write_text(client.get(f"/explore/report/{key}/report.toml").text, encoding="utf-8")
    config = ReportConfig.load(written)
    assert config.report.sections == ("framework",) and config.conventions.start == 2010
    assert client.get(f"/explore/report/{key}/../../etc/passwd").status_code == 404
    assert client.get(f"/explore/report/{key}/report.pdf").status_code == 404
    assert client.get("/explore/report", params={"key": "0" * 16}).status_code == 404


def test_a_bad_report_choice_is_named(client):
    page = client.get("/explore/report/build", params={"start": "twenty", "lang": "en"})
    assert page.status_code == 400 and "start: expected a year" in page.text
    page = client.get("/explore/report/build", params={"sections": "everything", "lang": "en"})
    assert page.status_code == 400 and "sections" in page.text


def test_the_map_shows_the_province_values_on_the_standard_base_map(client):
    """The explorer's map is the report's China map (ten-dash line, scale bar, north arrow, inset) of the latest
    year shown; its caption names the base map's publisher and licence."""
    from coreduce.report.maps import MAP_LAYERS, choropleth, map_layers
    from coreduce.web.explorer_map import map_year, province_values

    page = client.get("/explore", params={"variable": "co2_ceads", "geo": "110000", "last": "2015", "lang": "en"})
    assert page.status_code == 200
    assert map_year("co2_ceads", None, 2015) == 2015
    assert "/explore/map.png?variable=co2_ceads&amp;year=2015&amp;lang=en" in page.text
    assert "Amap" in page.text and "MIT" in page.text
    image = client.get("/explore/map.png", params={"variable": "co2_ceads", "year": 2015, "lang": "en"})
    assert image.status_code == 200 and image.content[:8] == b"\x89PNG\r\n\x1a\n"
    values = province_values("co2_ceads", 2015)
    assert 25 <= len(values) <= 31 and "100000" not in values.index
    assert set(MAP_LAYERS) <= set(map_layers(choropleth(values)))
    assert client.get("/explore/map.png", params={"variable": "nope", "year": 2015}).status_code == 400
    assert client.get("/explore/map.png", params={"variable": "co2_ceads", "year": 1066}).status_code == 400
