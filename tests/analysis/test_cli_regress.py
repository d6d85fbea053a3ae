"""``coreduce regress`` on the bundled panel: from a spec file, with options, and with bad input."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from coreduce.cli.main import app

runner = CliRunner(env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})

SPEC = """
outcome = "log(co2_ceds / gdp)"
years = [2011, 2020]
effects = ["entity", "time"]
heterogeneity = false

[controls]
ln_gdp_pc = "log(gdp / population)"

[mediators]
energy = "electricity_nonfossil / electricity_generation"

[bootstrap]
n = 99
seed = 7
"""


@pytest.mark.slow
def test_regress_from_a_spec_writes_tables(tmp_path):
    spec = tmp_path / "model.toml"
    spec.write_text(SPEC, encoding="utf-8")
    tex, xlsx = tmp_path / "table.tex", tmp_path / "result.xlsx"
    result = runner.invoke(app, ["regress", "--spec", str(spec), "--table", str(tex), "--out", str(xlsx)])
    assert result.exit_code == 0, result.output
    assert "log(co2_ceds / gdp)" in result.output and "Year FE" in result.output
    text = " ".join(result.output.split())  # the conventions line wraps at the terminal width
    assert "Channels (mediation)" in text and "Mediation (replicates, level, seed) = 99, 0.95, 7" in text
    assert r"\begin{tabular}" in tex.read_text(encoding="utf-8")
    book = pd.read_excel(xlsx, sheet_name=None)
    assert {"table", "coefficients", "mediation", "data", "conventions"} <= set(book)
    assert set(book["data"]["year"]) == set(range(2011, 2021))


@pytest.mark.slow
def test_regress_options_override_the_spec_and_bad_formulas_name_the_series(tmp_path):
    spec = tmp_path / "model.toml"
    spec.write_text(SPEC, encoding="utf-8")
    result = runner.invoke(
        app,
        ["regress", "--spec", str(spec), "--no-mediation", "--control", "openness=fdi / gdp"],
    )
    assert result.exit_code == 1
    assert "control openness: the panel has no series fdi" in result.output


def test_bad_command_line_input(tmp_path):
    result = runner.invoke(app, ["regress", "--control", "ln_gdp_pc"])
    assert result.exit_code != 0 and "name=formula" in result.output
    result = runner.invoke(app, ["regress", "--table", str(tmp_path / "t.docx")])
    assert result.exit_code != 0 and "--table must end in" in result.output
    spec = tmp_path / "bad.toml"
    spec.write_text('outcome = "coupling"\nclusters = "entity"\n', encoding="utf-8")
    result = runner.invoke(app, ["regress", "--spec", str(spec)])
    assert result.exit_code == 1 and "bad.toml: unknown key(s) clusters" in result.output
    spec.write_text("years = [2020, 2010]\n", encoding="utf-8")
    result = runner.invoke(app, ["regress", "--spec", str(spec)])
    assert result.exit_code == 1 and "years must be two years, first before last" in result.output
    spec.write_text("outcome = \n", encoding="utf-8")
    result = runner.invoke(app, ["regress", "--spec", str(spec)])
    assert result.exit_code == 1 and "not valid TOML" in result.output


@pytest.mark.slow
def test_regress_with_the_spatial_durbin_panel(tmp_path):
    args = ["regress", "--outcome", "log(co2_ceds / gdp)", "--no-mediation", "--no-heterogeneity"]
    args += ["--start", "2012", "--end", "2019", "--spatial", "distance", "--out", str(tmp_path / "r.csv")]
    args += ["--table", str(tmp_path / "t.rtf")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Direct, indirect, total" in result.output and "inverse geodesic distance" in result.output
    spatial = pd.read_csv(tmp_path / "r_spatial.csv")
    assert spatial["term"].tolist()[-1] == "rho (W·y)"
    assert (tmp_path / "t.rtf").exists() and r"\rtf1" in (tmp_path / "t_spatial.rtf").read_text(encoding="utf-8")
