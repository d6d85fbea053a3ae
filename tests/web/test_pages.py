"""The explorer's pages over HTTP (in-process client): headers, language, selection, downloads, bad input."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from coreduce.data.export import read_export
from coreduce.exchange.api.app import create_app
from coreduce.exchange.settings import Settings
from coreduce.web import router
from coreduce.web.pages import language

QUERY = "variable=co2_ceads&geo=110000&geo=310000&first=2010&last=2015"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    database = tmp_path_factory.mktemp("web") / "exchange.db"
    app = create_app(
        Settings(
            database_url=f"sqlite:///{database}", require_https=False, routers=(router,), allowed_hosts=("testserver",)
        )
    )
    return TestClient(app)


def test_every_page_forbids_other_hosts(client):
    for path in ("/explore", f"/explore?{QUERY}", f"/explore/data.csv?{QUERY}", "/static/web/web.css"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-security-policy"].startswith("default-src 'self';"), path
        assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get("/", follow_redirects=False).headers["location"] == "/explore"
    assert client.get("/static/web/../pages.py").status_code == 404


def test_language_from_switch_then_accept_language(client):
    zh = client.get(f"/explore?{QUERY}", headers={"accept-language": "en"}, params={"lang": "zh"})
    assert "数据浏览" in zh.text and '<html lang="zh-CN">' in zh.text
    en = client.get(f"/explore?{QUERY}", headers={"accept-language": "fr-FR, en-GB;q=0.8, zh;q=0.5"})
    assert "Data explorer" in en.text and "Beijing" in en.text and "Shanghai" in en.text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "zh"),
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en;q=0.2, zh-TW;q=0.7", "zh"),
        ("de, fr", "zh"),
        ("en;q=0", "zh"),
        ("en;q=abc, zh;q=0.1", "zh"),
    ],
)
def test_accept_language(header, expected):
    assert language(SimpleNamespace(headers={"accept-language": header}, cookies={}), None) == expected


def test_table_shows_the_panel_rows_with_status_and_source(client, bundled_panel):
    rows = bundled_panel.series("co2_ceads", ["110000"])
    row = rows[rows["year"] == 2012].iloc[0]
    page = client.get(f"/explore?{QUERY}&lang=en").text
    cell = f'data-geo="110000" data-year="2012" title="{row["status"]}; source: {row["source"]} ('
    assert cell in page
    assert f">{row['value']:g}<" in page
    assert page.count('data-geo="310000"') == 6


def test_csv_download_is_exactly_the_rows_shown(client, bundled_panel):
    body = client.get(f"/explore/data.csv?{QUERY}").content
    shown = pd.read_csv(io.BytesIO(body), dtype={"geo": str}, float_precision="round_trip")
    panel = bundled_panel.data
    expected = panel[
        (panel["variable"] == "co2_ceads") & panel["geo"].isin(["110000", "310000"]) & panel["year"].between(2010, 2015)
    ]
    assert len(shown) == len(expected) == 12
    assert list(shown["geo"].unique()) == ["110000", "310000"]
    merged = shown.merge(expected, on=["geo", "year", "variable"], suffixes=("", "_panel"))
    assert (merged["value"] == merged["value_panel"]).all()
    assert (merged["status"] == merged["status_panel"]).all() and (merged["source"] == merged["source_panel"]).all()


def test_xlsx_download_carries_catalogue_and_sources(client, tmp_path):
    response = client.get(f"/explore/data.xlsx?{QUERY}")
    assert response.headers["content-disposition"] == 'attachment; filename="co2_ceads.xlsx"'
    path = tmp_path / "shown.xlsx"
    path.write_bytes(response.content)
    sheets = read_export(path)
    assert len(sheets["data"]) == 12
    assert list(sheets["catalogue"]["variable"]) == ["co2_ceads"]
    assert set(sheets["sources"]["source"]) == set(sheets["data"]["source"])


def test_bad_input_is_named_and_escaped(client):
    page = client.get("/explore", params={"variable": "<script>alert(1)</script>", "lang": "en"})
    assert page.status_code == 400
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "variable: the panel has no series" in page.text
    assert "geo: the panel has no geography 999999" in client.get("/explore?geo=999999").text
    reversed_span = client.get("/explore?geo=110000&first=2015&last=2010")
    assert reversed_span.status_code == 400 and "first year 2015 is after last year 2010" in reversed_span.text
    assert client.get(f"/explore/data.pdf?{QUERY}").status_code == 400
    assert client.get(f"/explore/data.csv?{QUERY}&geo=<b>").status_code == 400


def test_a_geography_without_values_is_named(client, bundled_panel):
    panel = bundled_panel.data
    national_only = panel[panel["variable"] == "co2_gcb"]["geo"].unique()
    assert list(national_only) == ["100000"]
    with_values = panel[panel["variable"] == "co2_ceads"]["geo"].unique()
    no_ceads = next(g for g in panel["geo"].unique() if g not in with_values)
    page = client.get(f"/explore?variable=co2_ceads&geo=110000&geo={no_ceads}&lang=en").text
    assert "No value of this variable for:" in page


def test_coreduce_serve_serves_the_pages_beside_the_api(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from coreduce.cli.main import app as cli
    from coreduce.exchange import server

    served = []
    monkeypatch.setattr(server, "serve", lambda settings, **kw: served.append(settings))
    database = f"sqlite:///{tmp_path / 'exchange.db'}"
    result = CliRunner().invoke(cli, ["serve", "--dev-insecure-http", "--database-url", database])
    assert result.exit_code == 0, result.output
    assert served[0].routers == (router,)
