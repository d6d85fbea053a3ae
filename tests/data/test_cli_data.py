"""``coreduce data``: info shows attribution, show marks missing/corrected years, export, check, build."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from coreduce.cli.main import app
from coreduce.data import load_bundled
from coreduce.data.export import read_export
from coreduce.data.store import Store

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["data", *args], env={"COLUMNS": "250"})


def test_info_shows_units_coverage_publishers_licences_and_status():
    result = run("info")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "co2_gcb" in out and "1e8 CNY" in out
    assert "CEADs" in out and "CC BY 4.0" in out  # publisher and licence (OWID/GCB)
    assert "Jiangsu Provincial Bureau of Statistics" in out
    assert "corrected" in out and "interpolated" in out


def test_show_marks_missing_and_corrected_years():
    result = run("show", "gdp", "--geo", "江苏", "--geo", "Tibet", "--years", "2019:2022")
    assert result.exit_code == 0, result.output
    jiangsu = next(line for line in result.output.splitlines() if "Jiangsu" in line)
    assert "116,364†" in jiangsu and "102,808" in jiangsu
    result = run("show", "co2_ceads", "--geo", "Beijing", "--years", "2018:2021")
    line = next(line for line in result.output.splitlines() if "Beijing" in line)
    assert line.count("—") == 2  # 2020 and 2021 are missing and shown as such


def test_show_marks_values_the_checks_flag():
    result = run("show", "energy_total", "--geo", "Ningxia", "--years", "2019:2021")
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "Ningxia" in line)
    assert "0.79!" in line and "7,648.0 " in line  # 2020 is 0.00 × its trend line: flagged, not corrected
    assert "! flagged by the checks" in result.output


@pytest.mark.slow
def test_info_folds_breakdowns_unless_asked():
    folded = run("info").output
    assert "co2_ceads.sector.* (47 series)" in folded and "co2_ceads.sector.chemicals" not in folded
    listed = run("info", "--breakdowns").output
    assert "co2_ceads.sector.chemicals" in listed and "(47 series)" not in listed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "gdpx"), "the panel has no series gdpx"),
        (("show", "gdp", "--geo", "Atlantis"), "unknown province"),
        (("show", "gdp", "--years", "2022:2008"), "--years must look like 2008:2022"),
        (("export", "--format", "json", "--out", "x.json"), "--format must be one of csv"),
        (("info", "--store", "/nonexistent/store.duckdb"), "no such store"),
    ],
)
def test_bad_input_is_a_clear_error(args, message):
    result = run(*args)
    assert result.exit_code != 0
    assert message in " ".join(result.output.split())


@pytest.mark.parametrize("fmt", ["csv", "parquet", "dta"])
def test_export_every_format(tmp_path, fmt):
    out = tmp_path / f"panel.{fmt}"
    result = run("export", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    back = read_export(out)["data"]
    panel = load_bundled()
    if fmt == "dta":
        assert back.loc[("320000", 2021), "gdp"] == pytest.approx(116364.2)
        assert "co2_ceads.sector.power_heat_supply" in back.columns
    else:
        assert len(back) == len(panel.data)


def test_export_selected_variables_to_excel(tmp_path):
    out = tmp_path / "panel.xlsx"
    result = run("export", "--format", "xlsx", "--out", str(out), "--variable", "gdp", "--variable", "co2_gcb")
    assert result.exit_code == 0, result.output
    sheets = read_export(out)
    assert set(sheets["data"]["variable"]) == {"gdp", "co2_gcb"}
    assert set(sheets["catalogue"]["variable"]) == {"gdp", "co2_gcb"}
    assert "Jiangsu Provincial Bureau of Statistics" in set(sheets["sources"]["publisher"])
    assert (
        "the panel has no series nope"
        in run("export", "--format", "csv", "--out", "x.csv", "--variable", "nope").output
    )


def test_check_lists_findings():
    result = run("check", "--variable", "so2_nbs", "--limit", "5")
    assert result.exit_code == 0, result.output
    assert "known_break" in result.output and "dip_ratio=0.7" in result.output


def test_check_limited_to_years_lists_what_stays_flagged_in_the_window():
    result = run("check", "--variable", "energy_total", "--years", "2008:2022")
    assert result.exit_code == 0, result.output
    assert "Findings: 1" in result.output  # Ningxia 2020 = 0.79 ×10^4 tce, no cited correction
    assert "Ningxia" in result.output and "2020" in result.output
    bad = run("check", "--years", "2022-2008")
    assert bad.exit_code != 0 and "--years must look like 2008:2022" in " ".join(bad.output.split())


@pytest.mark.slow
def test_build_writes_store_and_bundled_files(shared_data, tmp_path):
    store = tmp_path / "s.duckdb"
    result = run(
        "build",
        "--from",
        str(shared_data),
        "--out",
        str(tmp_path / "b"),
        "--store",
        str(store),
        "--no-progress",
        "--allow-impossible",
    )
    assert result.exit_code == 0, result.output
    assert "Corrections applied: 8" in result.output
    stored = Store(store).panel()
    assert stored.status_counts()["corrected"] == 8
    assert "Values withheld (components of a corrected aggregate, no cited value): 24" in result.output
    assert "Impossible values kept by --allow-impossible (recorded as overrides): 42" in result.output
    log = pd.read_csv(tmp_path / "b" / "corrections.csv")  # 8 cited, 24 withheld, 42 overrides (gf_investment)
    assert len(log) == 8 + 24 + 42 and len(Store(store).corrections()) == 8 + 24 + 42
    assert (log["source"] == "override:allow_impossible").sum() == 42
    assert (tmp_path / "b" / "panel.parquet").exists()
    # the other commands read the store named by $COREDUCE_STORE (build writes there by default)
    shown = runner.invoke(app, ["data", "show", "gdp", "--geo", "Hebei", "--years", "2022:2022"],
                          env={"COLUMNS": "250", "COREDUCE_STORE": str(store)})  # fmt: skip
    assert shown.exit_code == 0 and "42,370†" in shown.output
    absent = runner.invoke(app, ["data", "info"], env={"COREDUCE_STORE": str(tmp_path / "none.duckdb")})
    assert absent.exit_code != 0 and "no such store" in " ".join(absent.output.split())


def test_check_lists_the_ceds_beijing_break_and_the_apparent_sum():
    result = run("check", "--variable", "co2_ceds", "--years", "2013:2013", "--limit", "50")
    assert result.exit_code == 0, result.output
    assert "jump" in result.output and "1.71 × 2012" in result.output and "Beijing" in result.output
    result = run("check", "--variable", "co2_apparent", "--years", "2019:2019", "--limit", "80")
    assert "sum_exceeds_national" in result.output and "1.253 × the national" in result.output


@pytest.mark.slow
def test_build_with_a_negative_emission_fails_and_leaves_the_store_byte_identical(tmp_path, shared_data):
    root = tmp_path / "data"
    root.mkdir()
    for folder in shared_data.iterdir():
        if folder.is_dir() and folder.name != "ceds_v2021":
            (root / folder.name).symlink_to(folder)
    (root / "ceds_v2021").mkdir()
    name = "ceds_v2021_02_05_china_SO2_NOx_CO2_1990_2019.csv"
    frame = pd.read_csv(shared_data / "ceds_v2021" / name, dtype=str)
    frame.loc[(frame["em"] == "SO2") & (frame["year"] == "2015"), "value"] = "-1234.5"
    frame.to_csv(root / "ceds_v2021" / name, index=False)
    store = tmp_path / "panel.duckdb"
    Store(store).write_panel(load_bundled())
    before = store.read_bytes()
    result = runner.invoke(app, ["data", "build", "--from", str(root), "--store", str(store), "--no-progress"])
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert f"ceds_v2021/{name}: so2_ceds at China (100000) in 2015 = -1234.5" in text
    assert "--allow-impossible" in text
    assert store.read_bytes() == before


def test_info_counts_in_the_store_the_same_as_in_memory_and_store_is_a_deprecated_panel(tmp_path):
    import math

    from coreduce.data.panel import Panel
    from coreduce.data.summary import summarise_panel, summarise_store

    from ._frames import catalogue, rows, sources

    data = pd.concat(
        [
            rows("gdp", "110000", {2010: 1.5, 2011: None, 2012: 2.25}),
            rows("co2.sector.a", "120000", {2010: 3.0}, unit="Mt", source="s2"),
            rows("co2.sector.b", "110000", {2011: math.nan, 2012: 4.0}, unit="Mt", source="s2"),
        ],
        ignore_index=True,
    )
    panel = Panel.from_frames(data, catalogue(("gdp", "1e8 CNY"), ("co2.sector.a", "Mt"), ("co2.sector.b", "Mt")),
                              sources("s1", "s2", "s3"))  # fmt: skip
    path = tmp_path / "small.duckdb"
    Store(path).write_panel(panel)
    stored, memory = summarise_store(path), summarise_panel(panel)
    assert stored == memory
    family = next(v for v in stored.variables if v.name == "co2.sector.*")
    assert (family.series, family.rows, family.geos, family.first, family.last) == (2, 2, 2, 2010, 2012)
    gdp = next(v for v in stored.variables if v.name == "gdp")
    assert (gdp.rows, gdp.unit, gdp.publisher) == (2, "1e8 CNY", "Test Bureau")  # the missing 2011 is not counted
    assert [s[0] for s in stored.sources] == ["s1", "s2"]  # s3 backs no row
    assert dict(stored.status) == {"reported": 6}
    listed = summarise_store(path, breakdowns=True)
    assert {v.name for v in listed.variables} == {"gdp", "co2.sector.a", "co2.sector.b"}
    new = run("info", "--panel", str(path))
    old = run("info", "--store", str(path))
    assert new.exit_code == 0 and old.exit_code == 0, old.output
    assert "co2.sector.* (2 series)" in new.output and "--store is deprecated; use --panel" in old.output
    assert "deprecated" not in new.output
