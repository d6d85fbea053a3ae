"""``coreduce market …`` runs with no arguments on the GEM units and writes tables and figures."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from coreduce.cli.main import app

runner = CliRunner()


@pytest.mark.slow
def test_allocate_and_positions_run_without_arguments(shared_data, tmp_path):
    result = runner.invoke(
        app, ["market", "allocate", "--out", str(tmp_path / "a.xlsx"), "--plot", str(tmp_path / "a.png")]
    )
    assert result.exit_code == 0, result.output
    assert "Shandong" in result.output and "Allocation plan year: 2022" in result.output
    sheets = pd.read_excel(tmp_path / "a.xlsx", sheet_name=None)
    assert {"provinces", "units", "parameters", "conventions"} <= set(sheets)
    assert (tmp_path / "a.png").stat().st_size > 1000
    result = runner.invoke(app, ["market", "positions", "--lang", "zh", "--plot", str(tmp_path / "p.png")])
    assert result.exit_code == 0, result.output
    assert "各省份履约配额盈缺" in result.output


def test_unsupported_plan_year_is_a_one_line_error(shared_data):
    result = runner.invoke(app, ["market", "units", "--plan-year", "2023"])
    assert result.exit_code == 1
    assert "plan_year" in result.output and "2023" in result.output


def test_gas_units_from_a_user_file(tmp_path):
    path = tmp_path / "gas.csv"
    pd.DataFrame(
        [
            dict(
                unit_id="G1",
                province="Guangdong",
                capacity_mw=460,
                fuel="gas",
                technology="ccgt",
                heat_rate_btu_kwh=6400,
                ef_kg_per_tj=56100,
            )
        ]
    ).to_csv(path, index=False)
    result = runner.invoke(app, ["market", "allocate", "--no-gem", "--units-file", str(path)])
    assert result.exit_code == 0, result.output
    assert "Guangdong" in result.output


@pytest.mark.slow
def test_clear_and_simulate_write_their_figures(shared_data, tmp_path):
    result = runner.invoke(
        app,
        [
            "market",
            "clear",
            "--mechanism",
            "continuous",
            "--plot",
            str(tmp_path / "c.png"),
            "--out",
            str(tmp_path / "c.xlsx"),
            "--trades-map",
            str(tmp_path / "map.png"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "continuous" in result.output and (tmp_path / "c.png").stat().st_size > 1000
    assert (tmp_path / "map.png").stat().st_size > 10_000  # the map of trades on the China map
    sheets = pd.read_excel(tmp_path / "c.xlsx", sheet_name=None)
    assert {"summary_table", "trades", "flows", "provinces", "sources"} <= set(sheets)
    result = runner.invoke(app, ["market", "simulate", "--lang", "zh", "--plot", str(tmp_path / "m.png")])
    assert result.exit_code == 0, result.output
    assert "bilateral" in result.output and (tmp_path / "m.png").stat().st_size > 1000


def test_any_convention_can_be_set(shared_data):
    result = runner.invoke(app, ["market", "positions", "--set", "offsets=none", "--set", "cap_level=owner"])
    assert result.exit_code == 0, result.output
    assert "CCER offsets: none" in result.output and "owner (key emitting entity)" in result.output
    result = runner.invoke(app, ["market", "positions", "--set", "offset=none"])
    assert result.exit_code == 1 and "offset" in result.output
    for command in ("clear", "simulate"):  # every command reads --set, none ignores it
        result = runner.invoke(app, ["market", command, "--set", "offset=none"])
        assert result.exit_code == 1 and "offset" in result.output, command
