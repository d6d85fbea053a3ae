"""coreduce world trends|decompose|decouple|imbalance|compare on the bundled panel."""

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from coreduce.cli.main import app
from coreduce.data.bundled import HERE as BUNDLED

runner = CliRunner()


@pytest.mark.parametrize("command", ["trends", "decompose", "decouple", "imbalance", "compare"])
def test_every_command_runs_with_no_arguments(command, tmp_path):
    out, plot = tmp_path / f"{command}.xlsx", tmp_path / f"{command}.png"
    result = runner.invoke(app, ["world", command, "--panel", str(BUNDLED), "--out", str(out), "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    assert "owid_2024" in result.output or "OWID 2024-06-26" in result.output
    sheets = pd.read_excel(out, sheet_name=None)
    assert {"conventions", "notes", "sources"} <= set(sheets)
    assert plot.stat().st_size > 10_000


def test_trends_csv_in_chinese_with_china_beside(tmp_path: Path):
    out = tmp_path / "trends.csv"
    args = ["world", "trends", "--panel", str(BUNDLED), "--china", "beside", "--start", "2020", "--country", "India",
            "--lang", "zh", "--out", str(out)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "中国单列" in result.output
    table = pd.read_csv(out)
    assert {"China", "Global South excl. China", "Global North", "World", "India"} == set(table["group"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "Indai"], "closest: India"),
        (["--country", "World"], "aggregate"),
        (["--china", "nowhere"], "china_position"),
        (["--start", "2022", "--end", "2000"], "end_year"),
    ],
)
def test_bad_input_is_one_clear_line(args, message):
    result = runner.invoke(app, ["world", "trends", "--panel", str(BUNDLED), *args])
    assert result.exit_code == 1
    assert message in result.output
