"""``coreduce report`` from the command line: files written, summary printed, bad options refused."""

import pytest
from typer.testing import CliRunner

from coreduce.cli.main import app
from coreduce.data.store import Store


@pytest.fixture(scope="module")
def store(tmp_path_factory, small_panel):
    path = tmp_path_factory.mktemp("store") / "panel.duckdb"
    Store(path).write_panel(small_panel)
    return path


def test_report_command_writes_the_report_and_prints_where(store, tmp_path):
    out = tmp_path / "rep"
    result = CliRunner().invoke(app, ["report", "--panel", str(store), "--out", str(out), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").exists() and not (out / "report.pdf").exists()
    assert (out / "figures" / "fig1_framework.svg").exists()
    assert "report.html" in result.output
    assert "omitted" in result.output  # the synthetic panel lacks the trend series


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "docx"], "convention 'formats' = ('docx',) is not allowed"),
        (["--lang", "fr"], "convention 'lang' = 'fr' is not allowed"),
        (["--pdf-engine", "word"], "convention 'pdf_engine' = 'word' is not allowed"),
        (["--start", "2020", "--end", "2010"], "convention 'end' = 2010"),
        (["--config", "absent.toml"], "config file not found"),
    ],
)
def test_bad_options_are_refused_with_the_reason(store, tmp_path, args, message):
    result = CliRunner().invoke(app, ["report", "--panel", str(store), "--out", str(tmp_path), *args])
    assert result.exit_code != 0
    assert message in " ".join(result.output.split())


def test_panel_files_without_attribution_are_refused(tmp_path, small_panel):
    csv = tmp_path / "panel.csv"
    small_panel.data.to_csv(csv, index=False)
    result = CliRunner().invoke(app, ["report", "--panel", str(csv), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "holds no catalogue or sources" in " ".join(result.output.split())
    missing = CliRunner().invoke(app, ["report", "--panel", str(tmp_path / "absent.duckdb")])
    assert missing.exit_code != 0
    assert "panel file not found" in " ".join(missing.output.split())


def test_without_a_cjk_font_the_report_warns_and_is_drawn_in_english(store, tmp_path, monkeypatch):
    from coreduce.report import fonts

    monkeypatch.setattr(fonts, "find_cjk_font", lambda: None)
    out = tmp_path / "rep"
    args = ["report", "--panel", str(store), "--out", str(out), "--format", "html", "--lang", "zh"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "apt-get install fonts-wqy-zenhei fonts-noto-cjk" in " ".join(result.output.split())
    markup = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in markup
    assert '<p class="warning">' in markup and "labels are drawn in English" in markup


def test_an_output_path_that_is_a_file_is_refused(store, tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(app, ["report", "--panel", str(store), "--out", str(target), "--format", "html"])
    assert result.exit_code == 1
    assert "is an existing file; give a folder" in " ".join(result.output.split())
    assert target.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.slow
def test_default_panel_is_the_embedded_store_with_series_added_to_it(shared_data):
    import pandas as pd

    from coreduce.data import load_bundled
    from coreduce.data.open import open_panel
    from coreduce.data.store import seeded_store

    store = seeded_store()  # the user's store under COREDUCE_HOME, filled from the bundled panel
    rows = pd.DataFrame(
        {"geo": ["110000"], "year": [2020], "variable": ["pm25_grid"], "value": [38.0], "unit": ["ug/m3"],
         "source": ["grid_test"], "status": ["derived"]}
    )  # fmt: skip
    catalogue = pd.DataFrame(
        [{"variable": "pm25_grid", "unit": "ug/m3", "definition": "PM2.5 aggregated from a grid",
          "publisher": "Test grid product", "source": "grid_test"}]
    )  # fmt: skip
    sources = pd.DataFrame(
        [{"source": "grid_test", "publisher": "Test grid product", "title": "t", "licence": "CC BY 4.0",
          "citation": "c", "files": "f"}]
    )  # fmt: skip
    store.add_series(rows, catalogue, sources)
    panel = open_panel(None)
    assert len(panel.data) == len(load_bundled().data) + 1
    assert panel.wide(["pm25_grid"]).loc[("110000", 2020), "pm25_grid"] == 38.0
