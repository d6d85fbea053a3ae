"""The ``trends``, ``synergy`` and ``decompose`` commands on a synthetic panel folder."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from coreduce.cli.main import app

runner = CliRunner(env={"COLUMNS": "220", "TERMINAL_WIDTH": "220"})


@pytest.fixture(scope="module")
def panel_dir(tmp_path_factory, synthetic_panel):
    folder = tmp_path_factory.mktemp("panel")
    synthetic_panel.data.to_parquet(folder / "panel.parquet")
    synthetic_panel.catalogue.to_csv(folder / "catalogue.csv", index=False)
    synthetic_panel.sources.to_csv(folder / "sources.csv", index=False)
    return folder


def test_trends_prints_and_writes_excel(panel_dir, tmp_path):
    out = tmp_path / "trends.xlsx"
    result = runner.invoke(app, ["trends", "--panel", str(panel_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "co2_intensity" in result.output and "conventions" in result.output
    book = pd.read_excel(out, sheet_name=None)
    assert {"indicators", "overview", "plans", "conventions", "missing"} <= set(book)


def test_synergy_and_decompose_write_csv(panel_dir, tmp_path):
    result = runner.invoke(
        app, ["synergy", "--panel", str(panel_dir), "--level", "region", "--out", str(tmp_path / "s.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "East" in result.output
    assert len(pd.read_csv(tmp_path / "s.csv")) == 36
    result = runner.invoke(
        app, ["decompose", "--panel", str(panel_dir), "--level", "nation", "--out", str(tmp_path / "d.csv")]
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(tmp_path / "d.csv")
    assert frame["level"].tolist() == ["nation"]


def test_bad_options_give_clear_errors(panel_dir, tmp_path):
    result = runner.invoke(app, ["trends", "--panel", str(panel_dir), "--co2", "co2_nope"])
    assert result.exit_code == 1 and "co2_nope" in result.output
    result = runner.invoke(app, ["decompose", "--panel", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "panel not found" in result.output
    result = runner.invoke(app, ["synergy", "--panel", str(panel_dir), "--level", "city"])
    assert result.exit_code != 0


def test_constant_prices_and_plan_table(panel_dir, tmp_path, deflated_panel):
    result = runner.invoke(app, ["trends", "--panel", str(panel_dir), "--prices", "constant"])
    assert result.exit_code == 1 and "gdp_deflator" in result.output
    deflated = deflated_panel
    folder = tmp_path / "deflated"
    folder.mkdir()
    deflated.data.to_parquet(folder / "panel.parquet")
    deflated.catalogue.to_csv(folder / "catalogue.csv", index=False)
    deflated.sources.to_csv(folder / "sources.csv", index=False)
    out = tmp_path / "plans.csv"
    args = ["trends", "--panel", str(folder), "--prices", "constant", "--show", "plans", "--end", "2019"]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "five-year plans" in result.output and "12th" in result.output
    result = runner.invoke(
        app,
        [
            "decompose",
            "--panel",
            str(folder),
            "--level",
            "nation",
            "--end",
            "2019",
            "--prices",
            "constant",
            "--out",
            str(tmp_path / "d.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["synergy", "--panel", str(folder), "--prices", "real"])
    assert result.exit_code == 1 and "'prices' = 'real'" in result.output


def test_decompose_over_sectors(tmp_path):
    from test_sector_drivers import _panel

    panel = _panel()
    folder = tmp_path / "sectors"
    folder.mkdir()
    panel.data.to_parquet(folder / "panel.parquet")
    panel.catalogue.to_csv(folder / "catalogue.csv", index=False)
    panel.sources.to_csv(folder / "sources.csv", index=False)
    out = tmp_path / "s.xlsx"
    args = ["decompose", "--panel", str(folder), "--identity", "sectors", "--level", "nation", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "sector_intensity" in result.output and "2019" in result.output
    assert {"effects", "by_sector", "conventions"} <= set(pd.read_excel(out, sheet_name=None))
    result = runner.invoke(app, ["decompose", "--panel", str(folder), "--identity", "fuels"])
    assert result.exit_code != 0 and "--identity must be energy or sectors" in result.output


def test_geo_filters_rows_by_province_region_or_area_and_names_sit_beside_codes(panel_dir):
    area = runner.invoke(app, ["synergy", "--panel", str(panel_dir), "--geo", "京津冀"])
    assert area.exit_code == 0, area.output
    rows = [line for line in area.output.splitlines() if "province" in line and "│" in line]
    assert [r.split("│")[3].strip() for r in rows] == ["Beijing (北京)", "Tianjin (天津)", "Hebei (河北)"]
    region = runner.invoke(app, ["decompose", "--panel", str(panel_dir), "--geo", "东部", "--geo", "China"])
    assert region.exit_code == 0, region.output
    shown = [line.split("│")[3].strip() for line in region.output.splitlines() if line.startswith("│")]
    assert shown[:2] == ["Beijing (北京)", "Tianjin (天津)"] and "East (东部)" in shown and shown[-1] == "China"
    assert len(shown) == 10 + 2  # the ten provinces of the East, the East itself and China
    trends = runner.invoke(app, ["trends", "--panel", str(panel_dir), "--geo", "West"])
    assert trends.exit_code == 0 and "West (西部)" in trends.output
    table_rows = [line for line in trends.output.splitlines() if line.startswith("│")]
    assert table_rows and not any("China " in row for row in table_rows)  # notes below the table may name China
    province = runner.invoke(app, ["trends", "--panel", str(panel_dir), "--geo", "Hebei"])
    assert province.exit_code == 1 and "trends (China and the regions of the grouping) has no rows" in province.output
    unknown = runner.invoke(app, ["synergy", "--panel", str(panel_dir), "--geo", "Atlantis"])
    assert unknown.exit_code == 1 and "also accepted: China, East, Central, West, Northeast, 京津冀" in unknown.output


def test_plot_writes_the_figures_the_report_draws(panel_dir, tmp_path):
    plot = ["--plot", str(tmp_path / "t.png"), "--lang", "en"]
    result = runner.invoke(app, ["trends", "--panel", str(panel_dir), *plot])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.glob("t_*.png"))  # the national and the regional figure
    assert len(written) == 2 and "national" in written[0] and "regional" in written[1]
    assert all((tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for name in written)
    bad = runner.invoke(app, ["trends", "--panel", str(panel_dir), "--plot", str(tmp_path / "t.gif")])
    assert bad.exit_code == 1 and "a figure is written as .png, .svg, .pdf" in bad.output
