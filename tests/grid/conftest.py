"""Writers of small gridded files in the publishers' layouts, for tests with known answers."""

from __future__ import annotations

from types import SimpleNamespace

import netCDF4
import numpy as np
import pytest


def centres(start: float, step: float, n: int) -> np.ndarray:
    return start + step / 2 + step * np.arange(n)


def write_acag_v5(path, values, *, x0, y0, d, fill=-999.0):
    """ACAG V5.GL layout: GWRPM25 (float32) on lat (ascending, south first), lon; ``values`` north-up."""
    ny, nx = values.shape
    with netCDF4.Dataset(path, "w") as ds:
        ds.createDimension("lat", ny)
        ds.createDimension("lon", nx)
        ds.createVariable("lat", "f8", ("lat",))[:] = centres(y0 - ny * d, d, ny)
        ds.createVariable("lon", "f8", ("lon",))[:] = centres(x0, d, nx)
        var = ds.createVariable("GWRPM25", "f4", ("lat", "lon"), fill_value=fill)
        var.units = "ug/m3"
        var[:] = np.ma.masked_invalid(values[::-1].astype("f4"))
        ds.createVariable("GWRPM25SIGMA", "f4", ("lat", "lon"))[:] = np.ones_like(values, dtype="f4")
    return path


def write_acag_v4ch(path, values, *, x0, y0, d):
    """ACAG V4.CH layout: PM25 on LAT (ascending), LON."""
    ny, nx = values.shape
    with netCDF4.Dataset(path, "w") as ds:
        ds.createDimension("LAT", ny)
        ds.createDimension("LON", nx)
        ds.createVariable("LAT", "f4", ("LAT",))[:] = centres(y0 - ny * d, d, ny)
        ds.createVariable("LON", "f4", ("LON",))[:] = centres(x0, d, nx)
        ds.createVariable("PM25", "f4", ("LAT", "LON"), fill_value=np.float32(-999))[:] = values[::-1]
    return path


def write_chap(path, values, *, x0, y0, d):
    """CHAP layout: PM2.5 stored as uint16 × 0.1 with _FillValue 65535, lat descending (north first)."""
    ny, nx = values.shape
    with netCDF4.Dataset(path, "w") as ds:
        ds.createDimension("lat", ny)
        ds.createDimension("lon", nx)
        ds.createVariable("lat", "f8", ("lat",))[:] = centres(y0 - ny * d, d, ny)[::-1]
        ds.createVariable("lon", "f8", ("lon",))[:] = centres(x0, d, nx)
        var = ds.createVariable("PM2.5", "u2", ("lat", "lon"), fill_value=np.uint16(65535))
        var.scale_factor = 0.1
        var.add_offset = 0.0
        var.units = "ug/m3"
        var[:] = np.ma.masked_invalid(values)
    return path


def write_flux(path, flux, *, x0, y0, d, year, months=False, sectors=1, variable="SO2_em_anthro"):
    """CEDS/EDGAR-style flux in kg m-2 s-1: (time, [sector,] lat, lon), lat ascending; each sector gets
    flux / sectors; ``months`` gives 12 monthly steps of the same flux, else one annual step."""
    ny, nx = flux.shape
    steps = 12 if months else 1
    with netCDF4.Dataset(path, "w") as ds:
        ds.createDimension("time", None)
        ds.createDimension("lat", ny)
        ds.createDimension("lon", nx)
        dims = ("time", "lat", "lon")
        if sectors > 1:
            ds.createDimension("sector", sectors)
            dims = ("time", "sector", "lat", "lon")
        time = ds.createVariable("time", "f8", ("time",))
        time.units = "days since 1750-01-01 00:00:00"
        time.calendar = "standard"
        dates = (
            [np.datetime64(f"{year}-{m:02d}-15") for m in range(1, 13)] if months else [np.datetime64(f"{year}-07-01")]
        )
        time[:] = [(d_ - np.datetime64("1750-01-01")).astype("timedelta64[D]").astype(float) for d_ in dates]
        ds.createVariable("lat", "f8", ("lat",))[:] = centres(y0 - ny * d, d, ny)
        ds.createVariable("lon", "f8", ("lon",))[:] = centres(x0, d, nx)
        var = ds.createVariable(variable, "f4", dims)
        var.units = "kg m-2 s-1"
        field = flux[::-1] / sectors
        block = (
            np.broadcast_to(field, (steps, sectors, ny, nx)) if sectors > 1 else np.broadcast_to(field, (steps, ny, nx))
        )
        var[:] = block
    return path


def write_geotiff(path, values, *, x0, y0, d, crs="EPSG:4326", nodata=-9999.0):
    import rasterio
    from rasterio.transform import from_origin

    bands = values if values.ndim == 3 else values[None]
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=bands.shape[1],
        width=bands.shape[2],
        count=bands.shape[0],
        dtype="float32",
        crs=crs,
        transform=from_origin(x0, y0, d, d),
        nodata=nodata,
    ) as dst:
        dst.write(np.where(np.isnan(bands), nodata, bands).astype("float32"))
    return path


@pytest.fixture
def grids():
    return SimpleNamespace(
        acag_v5=write_acag_v5,
        acag_v4ch=write_acag_v4ch,
        chap=write_chap,
        flux=write_flux,
        geotiff=write_geotiff,
        centres=centres,
    )
