"""The GEM tracker's China rows kept in a cache file: the same units as reading the workbook, and a damaged cache
read from the workbook again."""

from __future__ import annotations

import pandas as pd

from coreduce.market import units
from coreduce.market.units import gem_cache_path, read_gem


def test_cached_units_equal_the_workbooks_and_a_damaged_cache_is_rebuilt(shared_data, tmp_path, monkeypatch):
    monkeypatch.setenv("COREDUCE_HOME", str(tmp_path))
    workbook = shared_data / "gem_gcpt" / "Global-Coal-Plant-Tracker-July-2023.xlsx"
    cache = gem_cache_path(workbook)
    assert not cache.exists()
    first = read_gem(workbook, statuses=("operating", "construction"))
    assert cache.exists() and cache.parent == tmp_path / "cache"

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was read although its cache is there")

    monkeypatch.setattr(units.pd, "read_excel", refuse)
    cached = read_gem(workbook, statuses=("operating", "construction"))
    pd.testing.assert_frame_equal(cached, first, check_exact=True)
    assert cached["plant_zh"].isna().sum() == first["plant_zh"].isna().sum()
    monkeypatch.undo()
    monkeypatch.setenv("COREDUCE_HOME", str(tmp_path))
    cache.write_bytes(b"not parquet")
    again = read_gem(workbook, statuses=("operating", "construction"))
    pd.testing.assert_frame_equal(again, first, check_exact=True)
    assert pd.read_parquet(cache).shape[0] >= len(first)  # rewritten
