"""``coreduce report --config``: the configuration is read from TOML and options, written beside the report,
printed in its methods section, and rebuilds identical tables."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from coreduce.cli.main import app
from coreduce.conventions import ConventionError
from coreduce.report.config import ReportConfig


def test_options_replace_the_file_and_round_trip_through_toml(tmp_path):
    path = tmp_path / "report.toml"
    path.write_text('[report]\nlang = "en"\ndpi = 150\n[conventions]\nstart = 2010\nco2 = "co2_ceads"\n')
    config = ReportConfig.load(path, dpi=300, end=2019, sections=("national_trends",))
    assert (config.report.lang, config.report.dpi, config.report.sections) == ("en", 300, ("national_trends",))
    assert (config.conventions.start, config.conventions.end, config.conventions.co2) == (2010, 2019, "co2_ceads")
    again = tmp_path / "again.toml"
    again.write_text(config.to_toml())
    assert ReportConfig.load(again) == config
    assert ("conventions.co2", '"co2_ceads"') in config.items()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[report]\ndpi = 20\n", "dpi"),
        ("[report]\nsections = ['maps']\n", "sections"),
        ("[conventions]\nwindow = 3\n", "window"),
        ("[style]\nx = 1\n", "style"),
    ],
)
def test_a_wrong_key_or_value_names_the_key(tmp_path, text, key):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConventionError) as caught:
        ReportConfig.load(path)
    assert caught.value.key == key


@pytest.mark.slow
def test_rerunning_the_written_config_gives_identical_tables(tmp_path):
    from coreduce.data import BundledDataMissingError, load_bundled

    try:
        panel = load_bundled()
    except BundledDataMissingError as exc:
        pytest.skip(str(exc))
    store = tmp_path / "panel.duckdb"
    from coreduce.data.store import Store

    Store(store).write_panel(panel)
    first, second = tmp_path / "first", tmp_path / "second"
    args = ["report", "--panel", str(store), "--format", "html", "--lang", "en", "--dpi", "100"]
    options = ["--sections", "national_trends,regional_trends", "--co2", "co2_ceads", "--start", "2010"]
    result = CliRunner().invoke(app, [*args, *options, "--end", "2019", "--out", str(first)])
    assert result.exit_code == 0, result.output
    written = (first / "report.toml").read_text()
    assert 'co2 = "co2_ceads"' in written and "start = 2010" in written and "end = 2019" in written
    html = (first / "report.html").read_text()
    assert "co2_ceads" in html and "report.toml" in html  # the methods section prints the configuration
    rerun = CliRunner().invoke(
        app, ["report", "--panel", str(store), "--config", str(first / "report.toml"), "--out", str(second)]
    )
    assert rerun.exit_code == 0, rerun.output
    tables = sorted(p.relative_to(first) for p in first.glob("*/*.csv"))
    assert tables and tables == sorted(p.relative_to(second) for p in second.glob("*/*.csv"))
    for table in tables:
        assert (first / table).read_bytes() == (second / table).read_bytes(), table
    assert (second / "report.toml").read_text() == written


def test_the_configurable_sections_are_the_report_sections():
    from coreduce.report import sections
    from coreduce.report.config import SECTIONS
    from coreduce.report.i18n import Text

    assert tuple(key for key, _, _ in sections.plan(Text("en"))) == SECTIONS
