"""Every export format round-trips: CSV, Parquet, Excel (data + catalogue + sources) and Stata (wide, labelled)."""

from __future__ import annotations

import errno

import pandas as pd
import pandas.testing as pdt
import pytest

from coreduce.data.export import ExportError, export_panel, read_export
from coreduce.data.stata import stata_names

from ._frames import small_panel

LONG = "co2_ceads.sector.Production and Supply of Electric Power, Steam and Hot Water"


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_long_formats_round_trip(tmp_path, fmt):
    panel = small_panel()
    path = export_panel(panel, tmp_path / f"panel.{fmt}")
    back = read_export(path)
    pdt.assert_frame_equal(back["data"], panel.data, check_dtype=False)
    if fmt == "xlsx":
        pdt.assert_frame_equal(back["catalogue"], panel.catalogue, check_dtype=False)
        pdt.assert_frame_equal(back["sources"], panel.sources, check_dtype=False)


def test_stata_round_trip_with_names_mapped_in_labels(tmp_path):
    panel = small_panel()
    path = export_panel(panel, tmp_path / "panel.dta")
    with pd.io.stata.StataReader(path) as reader:
        raw = reader.read()
        labels = reader.variable_labels()
    assert all(len(c) <= 32 and "." not in c for c in raw.columns)
    name = stata_names(panel.variables)[LONG]
    assert labels[name] == LONG  # 76 characters: no room for " [Mt]" in Stata's 80-character label
    assert labels[stata_names(["gdp"])["gdp"]] == "gdp [1e8 CNY]"
    back = read_export(path)["data"]
    expected = panel.wide(panel.variables)
    back = back.reindex(columns=expected.columns).dropna(how="all")  # the export is balanced: empty years too
    back.index = back.index.set_levels(back.index.levels[1].astype(expected.index.levels[1].dtype), level=1)
    pdt.assert_frame_equal(back, expected, check_dtype=False, check_names=False, check_index_type=False)


def test_stata_names_unique_and_valid():
    names = stata_names(
        [
            "co2_ceads.sector.Coal Mining and Dressing A",
            "co2_ceads.sector.Coal Mining and Dressing B",
            "2x",
            "year",
            "gdp",
        ]
    )
    values = list(names.values())
    assert len(set(values)) == 5 and all(len(v) <= 32 for v in values)
    assert names["2x"] == "v_2x" and names["year"] == "year_2" and names["gdp"] == "gdp"
    assert values[0] == "co2_ceads_sector_coal_mining_and" and values[1].endswith("_2")


def test_unknown_format_and_failed_write_leave_nothing(tmp_path, monkeypatch):
    with pytest.raises(ExportError, match="unknown export format 'json'"):
        export_panel(small_panel(), tmp_path / "p.json")
    target = tmp_path / "p.csv"
    target.write_text("previous export")

    def full(*args, **kwargs):  # what the OS raises when the disk fills up half-way through the write
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    with pytest.raises(ExportError, match=r"p\.csv: no space left on the device; nothing was written"):
        export_panel(small_panel(), target)
    assert target.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["p.csv"]


def test_targets_that_are_not_regular_files_or_misnamed_are_refused(tmp_path):
    panel = small_panel()
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(ExportError, match=r"dir\.csv: is a directory"):
        export_panel(panel, tmp_path / "dir.csv")
    real = tmp_path / "real.csv"
    real.write_text("keep")
    (tmp_path / "link.csv").symlink_to(real)
    with pytest.raises(ExportError, match=r"link\.csv: is a symbolic link"):
        export_panel(panel, tmp_path / "link.csv")
    assert real.read_text() == "keep"
    with pytest.raises(ExportError, match="not a regular file"):
        export_panel(panel, "/dev/null", "csv")
    with pytest.raises(ExportError, match=r"panel\.csv: has extension '\.csv'; a dta export must be named \*\.dta"):
        export_panel(panel, tmp_path / "panel.csv", "dta")
    with pytest.raises(ExportError, match="has no extension"):
        export_panel(panel, tmp_path / "panel", "parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.csv", "link.csv", "real.csv"]


def test_read_export_names_missing_sheet(tmp_path):
    path = tmp_path / "x.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(path, sheet_name="data", index=False)
    with pytest.raises(ExportError, match=r"sheet data: missing column\(s\) geo, year"):
        read_export(path)
    pd.DataFrame({c: [] for c in ("geo", "year", "variable", "value", "unit", "source", "status")}).to_excel(
        path, sheet_name="data", index=False
    )
    with pytest.raises(ExportError, match="no sheet 'catalogue'"):
        read_export(path)
