"""The ``nqpf``, ``imbalance`` and ``obstacles`` commands on a synthetic panel folder, and their bad options."""

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from coreduce.cli.main import app
from coreduce.geo import provinces
from helpers.panels import nqpf_panel

runner = CliRunner(env={"COLUMNS": "220", "TERMINAL_WIDTH": "220"})


@pytest.fixture(scope="module")
def panel_dir(tmp_path_factory):
    panel = nqpf_panel()
    folder = tmp_path_factory.mktemp("nqpf_panel")
    panel.data.to_parquet(folder / "panel.parquet")
    panel.catalogue.to_csv(folder / "catalogue.csv", index=False)
    panel.sources.to_csv(folder / "sources.csv", index=False)
    return folder


def test_nqpf_prints_weights_and_ranking_and_writes_excel(panel_dir, tmp_path):
    out = tmp_path / "nqpf.xlsx"
    result = runner.invoke(app, ["nqpf", "--panel", str(panel_dir), "--year", "2015", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Indicator weights" in result.output and "rd_expenditure / gdp" in result.output
    assert "2015" in result.output and "Zero handling" in result.output
    book = pd.read_excel(out, sheet_name=None)
    assert {"scores", "weights", "standardised", "indicators", "regions", "conventions", "missing"} <= set(book)
    assert book["weights"]["weight"].sum() == pytest.approx(1.0)
    assert (book["scores"]["year"].min(), book["scores"]["year"].max()) == (2008, 2022)  # --start, --end defaults
    assert book["scores"]["geo"].nunique() == 31


def test_nqpf_options_reach_the_index(panel_dir, tmp_path):
    out = tmp_path / "n.csv"
    args = ["nqpf", "--panel", str(panel_dir), "--system", "long", "--method", "critic", "--normalisation", "yearly"]
    result = runner.invoke(app, [*args, "--start", "2012", "--end", "2020", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, dtype={"geo": str})
    assert (frame["year"].min(), frame["year"].max()) == (2012, 2020)
    np.testing.assert_allclose(frame[["technology", "industry", "energy"]].sum(axis=1), frame["overall"])
    assert "CRITIC weights" in " ".join(result.output.split()) and "weights per year" in " ".join(result.output.split())
    assert "Indicator weights in 2020" in result.output  # the last year shown by default
    result = runner.invoke(app, [*args, "--year", "2015", "--show", "regions"])
    assert result.exit_code == 0, result.output
    assert "Indicator weights in 2015" in result.output
    assert all(region in result.output for region in ("East", "Central", "West", "Northeast"))
    assert "mean of member provinces" in result.output


def test_imbalance_of_nqpf(panel_dir, tmp_path):
    out = tmp_path / "imb.csv"
    result = runner.invoke(app, ["imbalance", "--panel", str(panel_dir), "--bootstrap", "99", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "G interval" in result.output
    assert "Dagum" in result.output and "β-convergence" in result.output
    table = pd.read_csv(out)
    np.testing.assert_allclose(table["G_w"] + table["G_nb"] + table["G_t"], table["G"], atol=1e-12)


def test_imbalance_of_coupling_coordination(panel_dir):
    result = runner.invoke(app, ["imbalance", "--panel", str(panel_dir), "--measure", "coupling"])
    assert result.exit_code == 0, result.output
    assert "coupling_D" in result.output


@pytest.mark.slow
def test_imbalance_of_an_intensity_with_options_and_controls(panel_dir, tmp_path):
    out = tmp_path / "co2.xlsx"
    args = ["imbalance", "--panel", str(panel_dir), "--measure", "co2_ceads / gdp", "--kernel", "gaussian"]
    result = runner.invoke(app, [*args, "--bandwidth", "0.0005", "--span", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = pd.read_excel(out, sheet_name=None)
    assert {"matrix", "theil", "kde", "sigma", "beta"} <= set(book)
    assert (book["kde"]["bandwidth"] == 0.0005).all()
    conventions = dict(zip(book["conventions"]["key"], book["conventions"]["value"], strict=True))
    assert str(conventions["span"]) == "3" and conventions["kernel"] == "Gaussian"
    out = tmp_path / "cond.xlsx"
    args = ["imbalance", "--panel", str(panel_dir), "--system", "long", "--control", "log(gdp / population)"]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    beta = pd.read_excel(out, sheet_name="beta")
    assert beta.query("form == 'conditional'")["beta"].notna().all()


def test_obstacles_print_dimensions_and_top_indicators(panel_dir, tmp_path):
    out = tmp_path / "obs.xlsx"
    result = runner.invoke(
        app, ["obstacles", "--panel", str(panel_dir), "--system", "long", "--top", "2", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Obstacle degree" in result.output
    book = pd.read_excel(out, sheet_name=None)
    degree = book["degrees"].drop(columns=["geo", "year"])
    np.testing.assert_allclose(degree.sum(axis=1), 1.0)
    assert book["top"].groupby(["geo", "year"]).size().max() == 2


def test_bad_options_name_the_cause(panel_dir, tmp_path):
    base = ["--panel", str(panel_dir)]
    result = runner.invoke(app, ["nqpf", *base, "--system", str(tmp_path / "nope.toml")])
    assert result.exit_code == 1 and "no such indicator system file" in result.output
    result = runner.invoke(app, ["nqpf", "--panel", str(tmp_path)])
    assert result.exit_code == 1 and "panel.parquet" in result.output
    result = runner.invoke(app, ["nqpf", *base, "--method", "pca"])
    assert result.exit_code == 1 and "'nqpf_method' = 'pca'" in result.output
    result = runner.invoke(app, ["nqpf", *base, "--zero", "drop"])
    assert result.exit_code == 1 and "'zero_rule'" in result.output
    result = runner.invoke(app, ["nqpf", *base, "--show", "map"])
    assert result.exit_code == 2 and "--show must be ranking or regions" in result.output
    result = runner.invoke(app, ["nqpf", *base, "--year", "1990"])
    assert result.exit_code == 2 and "1990" in result.output
    result = runner.invoke(app, ["obstacles", *base, "--start", "2020", "--end", "2010"])
    assert result.exit_code == 1 and "a year from start" in result.output
    result = runner.invoke(app, ["imbalance", *base, "--measure", "co2_nope / gdp"])
    assert result.exit_code == 1 and "co2_nope" in result.output
    result = runner.invoke(app, ["imbalance", *base, "--control", "rd_nope / gdp"])
    assert result.exit_code == 1 and "rd_nope" in result.output
    result = runner.invoke(app, ["imbalance", *base, "--kernel", "box"])
    assert result.exit_code == 1 and "'kernel' = 'box'" in result.output
    grouping = tmp_path / "solo.toml"
    others = ", ".join(f'"{p.name_en}"' for p in provinces() if p.name_en != "Tibet")
    grouping.write_text(f'[groups.Plateau]\nmembers = ["Tibet"]\n[groups.Rest]\nmembers = [{others}]\n')
    result = runner.invoke(app, ["imbalance", *base, "--system", "long", "--grouping", str(grouping)])
    assert result.exit_code == 1 and "group 'Plateau' has 1 member" in result.output
    system = tmp_path / "digital.toml"
    system.write_text(
        'name = "digital"\n[[dimensions]]\nkey = "d"\nname_en = "Digital"\n'
        '[[indicators]]\nkey = "ports"\ndimension = "d"\nformula = "broadband_ports / population"\ndirection = "+"\n'
        '[[indicators]]\nkey = "gdp_pc"\ndimension = "d"\nformula = "gdp / population"\ndirection = "+"\n'
    )
    result = runner.invoke(app, ["obstacles", *base, "--system", str(system)])
    assert result.exit_code == 1 and "indicator 'ports'" in result.output and "broadband_ports" in result.output
