"""A grid whose cells cannot be true (corrupt bytes read as 7.2e34 µg/m³, infinite cells) fails with file, zone and
value, stores nothing, and is kept only on the explicit override, on record."""

from __future__ import annotations

import netCDF4
import numpy as np
import pytest
from typer.testing import CliRunner

from coreduce.cli.main import app
from coreduce.data.gate import OVERRIDE_SOURCE
from coreduce.data.store import Store
from coreduce.grid import GridError
from coreduce.grid.aggregate import aggregate

D, NY, NX, X0, Y0 = 0.25, 204, 248, 73.0, 54.0


def _raw_netcdf(path, values, centres):
    """An ACAG-style file written without masking, so infinite and absurd cells reach the reader as they are."""
    with netCDF4.Dataset(path, "w") as ds:
        ds.createDimension("lat", NY)
        ds.createDimension("lon", NX)
        ds.createVariable("lat", "f8", ("lat",))[:] = centres(Y0 - NY * D, D, NY)
        ds.createVariable("lon", "f8", ("lon",))[:] = centres(X0, D, NX)
        var = ds.createVariable("GWRPM25", "f4", ("lat", "lon"), fill_value=-999.0)
        var.units = "ug/m3"
        var.set_auto_mask(False)
        var[:] = values[::-1].astype("f4")
    return path


@pytest.fixture
def corrupt(tmp_path, grids):
    values = np.full((NY, NX), 35.0)
    values[40:48, 148:168] = np.inf  # 42–44°N, 110–115°E: Inner Mongolia
    values[60:70, 150:160] = 7.2e34  # 36.5–39°N, 110.5–113°E: Shanxi
    return _raw_netcdf(tmp_path / "V5GL03.HybridPM25.China.201901-201912.nc", values, grids.centres)


def test_impossible_zone_values_fail_with_file_zone_and_value(corrupt):
    with pytest.raises(GridError) as info:
        aggregate([corrupt], scheduler="sync")
    text = str(info.value)
    assert "201901-201912.nc: pm25_acag in Inner Mongolia (150000) 2019 = inf (non-finite value)" in text
    assert "in Shanxi (140000) 2019 = 2.6" in text and "above the physical bound 1000 ug/m3" in text
    kept = aggregate([corrupt], scheduler="sync", allow_impossible=True)
    assert kept.conventions["impossible values kept (--allow-impossible)"] >= 2


def test_cli_exits_non_zero_and_the_store_stays_byte_identical(corrupt, tmp_path):
    store = tmp_path / "panel.duckdb"
    Store(store)
    before = store.read_bytes()
    out = CliRunner().invoke(app, ["grid", "aggregate", str(corrupt), "--scheduler", "sync", "--store", str(store)])
    assert out.exit_code == 1
    assert "impossible zone value" in out.output and "Inner Mongolia" in out.output
    assert store.read_bytes() == before
    ok = CliRunner().invoke(
        app, ["grid", "aggregate", str(corrupt), "--scheduler", "sync", "--store", str(store), "--allow-impossible"]
    )
    assert ok.exit_code == 0, ok.output
    log = Store(store).corrections()
    assert (log["source"] == OVERRIDE_SOURCE).sum() >= 2
