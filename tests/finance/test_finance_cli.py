"""``coreduce finance regions|screen`` on the bundled panel and the shipped example book."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from coreduce.cli.main import app

runner = CliRunner(env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
EXAMPLE = Path(str(files("coreduce.finance") / "data" / "example_book.csv"))


@pytest.mark.slow
def test_regions_runs_without_arguments_and_writes_tables_and_figures(tmp_path):
    out, plot = tmp_path / "regions.xlsx", tmp_path / "regions.png"
    result = runner.invoke(app, ["finance", "regions", "--out", str(out), "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    assert "Parallel trends, gf_index" in result.output and "clustered" in result.output
    assert "UNVERIFIED" in result.output
    assert {"imbalance", "did", "event_study", "relation"} <= set(pd.ExcelFile(out).sheet_names)
    assert (tmp_path / "regions_gini.png").stat().st_size > 0


def test_screen_the_example_book_in_chinese(tmp_path):
    out, plot = tmp_path / "screen.xlsx", tmp_path / "risk.svg"
    result = runner.invoke(app, ["finance", "screen", str(EXAMPLE), "--out", str(out), "--plot", str(plot),
                                 "--lang", "zh"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "committee" in result.output and "PCAF 数据质量得分" in result.output
    risk = pd.read_excel(out, sheet_name="risk")
    assert risk.loc[0, "loan_id"] == "L002" and risk.loc[0, "tier"] == "high"
    assert plot.read_text(encoding="utf-8").startswith("<?xml")


def test_screen_reports_a_bad_book_row_and_exits_1(tmp_path):
    frame = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)
    frame.loc[3, "sector"] = "9A"
    path = tmp_path / "book.csv"
    frame.to_csv(path, index=False)
    result = runner.invoke(app, ["finance", "screen", str(path)])
    assert result.exit_code == 1
    assert "row 5, column 'sector'" in result.output


def test_screen_refuses_an_unknown_cost_base():
    result = runner.invoke(app, ["finance", "screen", str(EXAMPLE), "--cost-base", "profit"])
    assert result.exit_code == 1 and "cost_base" in result.output
