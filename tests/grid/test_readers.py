"""Layouts of the gridded products are recognised and read north-up with nodata as NaN."""

import numpy as np
import pytest

from coreduce.grid import GridError
from coreduce.grid.names import normalise_unit, product_of, year_from_name
from coreduce.grid.readers import open_grid

NORTH_UP = np.array([[1.0, 2.0, 3.0], [4.0, np.nan, 6.0]])


@pytest.mark.parametrize(
    ("writer", "name", "variable", "product"),
    [
        ("acag_v5", "V5GL03.HybridPM25.China.201801-201812.nc", "GWRPM25", "ACAG V5.GL.03"),
        ("acag_v4ch", "V4CH03_PM25_CHi_201801_201812-RH35.nc", "PM25", "ACAG V4.CH.03"),
        ("chap", "CHAP_PM2.5_Y1K_2018_V4.nc", "PM2.5", "CHAP ChinaHighPM2.5 V4"),
    ],
)
def test_pm25_layouts_read_north_up(tmp_path, grids, writer, name, variable, product):
    path = getattr(grids, writer)(tmp_path / name, NORTH_UP, x0=100.0, y0=40.0, d=0.5)
    grid_file = open_grid(path)
    assert grid_file.variable == variable
    assert grid_file.product == product
    assert grid_file.years == (2018,)
    assert grid_file.kind == "mean"
    g = grid_file.grid
    assert (g.x0, g.y0, g.dx, g.dy, g.nx, g.ny) == pytest.approx((100.0, 40.0, 0.5, 0.5, 3, 2))
    values = grid_file.read(0, 2)
    np.testing.assert_allclose(values[0], NORTH_UP, rtol=1e-6)  # CHAP's uint16 × 0.1 decodes exactly here
    np.testing.assert_allclose(grid_file.read(1, 2)[0], NORTH_UP[1:], rtol=1e-6)


def test_geotiff_single_band_year_from_name(tmp_path, grids):
    path = grids.geotiff(tmp_path / "pm25_2015.tif", NORTH_UP, x0=100.0, y0=40.0, d=0.5)
    grid_file = open_grid(path)
    assert grid_file.years == (2015,)
    assert grid_file.variable == "pm25" and grid_file.product == "pm25"  # the file name without its year
    np.testing.assert_allclose(grid_file.read(0, 2)[0], NORTH_UP)
    assert grid_file.grid.bounds == pytest.approx((100.0, 39.0, 101.5, 40.0))


def test_monthly_flux_with_sectors_integrates_over_the_calendar(tmp_path, grids):
    flux = np.full((2, 2), 1e-9)
    path = grids.flux(tmp_path / "ceds.nc", flux, x0=110, y0=30, d=1.0, year=2020, months=True, sectors=3)
    grid_file = open_grid(path, "SO2_em_anthro")
    assert grid_file.kind == "flux"
    assert grid_file.sum_dims == ("sector",)
    assert grid_file.years == (2020,)
    assert sum(grid_file.steps[0][1]) == 366 * 86400  # 2020 is a leap year; steps are month lengths
    np.testing.assert_allclose(grid_file.read(0, 2)[0], 1e-9 * 366 * 86400, rtol=1e-6)


def test_units_are_normalised_for_pint():
    assert normalise_unit("kg m-2 s-1") == "kg * m**-2 * s**-1"
    assert normalise_unit("µg/m3") == "ug/m3"
    assert normalise_unit("Tonnes") == "t"
    assert normalise_unit(None) == ""


def test_year_and_product_from_names():
    assert year_from_name("V5GL03.HybridPM25.China.202101-202112.nc") == 2021
    assert year_from_name("CHAP_PM2.5_Y1K_2020_V4.nc") == 2020
    assert year_from_name("no_year.nc") is None
    assert product_of("v8.0_FT2022_AP_SO2_2022_TOTALS_flx.nc") == "EDGAR v8.0"


# -- bad input ----------------------------------------------------------------------------------------------
def test_no_recognisable_pm25_variable(tmp_path):
    import netCDF4

    path = tmp_path / "other_2019.nc"
    with netCDF4.Dataset(path, "w") as ds:
        ds.createDimension("lat", 2)
        ds.createDimension("lon", 2)
        ds.createVariable("lat", "f8", ("lat",))[:] = [0.5, 1.5]
        ds.createVariable("lon", "f8", ("lon",))[:] = [0.5, 1.5]
        ds.createVariable("AOD", "f4", ("lat", "lon"))[:] = 1
    with pytest.raises(GridError, match=r"other_2019\.nc: no recognisable PM2\.5 variable .*\['AOD'\]"):
        open_grid(path)
    with pytest.raises(GridError, match=r"no variable 'PM10'; variables are \['AOD'\]"):
        open_grid(path, "PM10")


def test_corrupt_netcdf(tmp_path, grids):
    good = grids.acag_v5(tmp_path / "V5GL03.HybridPM25.China.201801-201812.nc", NORTH_UP, x0=0, y0=2, d=1)
    corrupt = tmp_path / "V5GL03.HybridPM25.China.201901-201912.nc"
    corrupt.write_bytes(good.read_bytes()[:200])
    with pytest.raises(GridError, match=r"201901-201912\.nc: cannot be opened as NetCDF"):
        open_grid(corrupt)
    text = tmp_path / "notes_2019.nc"
    text.write_text("not a netcdf file")
    with pytest.raises(GridError, match=r"notes_2019\.nc: cannot be opened as NetCDF"):
        open_grid(text)


def test_missing_file_irregular_grid_and_missing_year(tmp_path):
    import netCDF4

    with pytest.raises(GridError, match="file not found"):
        open_grid(tmp_path / "absent.nc")
    path = tmp_path / "irregular_2019.nc"
    with netCDF4.Dataset(path, "w") as ds:
        ds.createDimension("lat", 3)
        ds.createDimension("lon", 2)
        ds.createVariable("lat", "f8", ("lat",))[:] = [0.5, 1.5, 4.0]
        ds.createVariable("lon", "f8", ("lon",))[:] = [0.5, 1.5]
        ds.createVariable("PM25", "f4", ("lat", "lon"))[:] = 1
    with pytest.raises(GridError, match=r"irregular_2019\.nc: coordinate 'lat' is not regularly spaced"):
        open_grid(path)
    path = tmp_path / "noyear.nc"
    with netCDF4.Dataset(path, "w") as ds:
        ds.createDimension("lat", 2)
        ds.createDimension("lon", 2)
        ds.createVariable("lat", "f8", ("lat",))[:] = [0.5, 1.5]
        ds.createVariable("lon", "f8", ("lon",))[:] = [0.5, 1.5]
        ds.createVariable("PM25", "f4", ("lat", "lon"))[:] = 1
    with pytest.raises(GridError, match=r"noyear\.nc: no time coordinate and no year"):
        open_grid(path)
    assert open_grid(path, year=2010).years == (2010,)


def test_geotiff_without_crs(tmp_path, grids):
    import rasterio
    from rasterio.transform import from_origin

    path = tmp_path / "nocrs_2019.tif"
    with rasterio.open(
        path, "w", driver="GTiff", height=2, width=2, count=1, dtype="float32", transform=from_origin(0, 2, 1, 1)
    ) as dst:
        dst.write(np.ones((1, 2, 2), dtype="float32"))
    with pytest.raises(GridError, match=r"nocrs_2019\.tif: the GeoTIFF has no coordinate reference system"):
        open_grid(path)


def test_truncated_geotiff_fails_when_its_rows_are_read(tmp_path, grids):
    path = grids.geotiff(tmp_path / "pm25_2019.tif", np.full((200, 240), 35.0), x0=73, y0=54, d=0.25)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    grid_file = open_grid(path)  # the header is intact
    assert grid_file.read(0, 10)[0].mean() == pytest.approx(35.0)
    with pytest.raises(GridError, match=r"pm25_2019\.tif: cannot read rows 150–200 \(the file is truncated or corrupt"):
        grid_file.read(150, 200)


def test_sub_annual_steps_and_sectors_are_counted_for_block_sizes(tmp_path, grids):
    flux = np.full((2, 2), 1e-9)
    monthly = grids.flux(tmp_path / "ceds.nc", flux, x0=110, y0=30, d=1.0, year=2020, months=True, sectors=3)
    annual = grids.flux(tmp_path / "annual.nc", flux, x0=110, y0=30, d=1.0, year=2020)
    assert open_grid(monthly, "SO2_em_anthro").raw_per_year == 12 * 3
    assert open_grid(annual, "SO2_em_anthro").raw_per_year == 1
    assert open_grid(grids.acag_v5(tmp_path / "V5GL03.2018.nc", NORTH_UP, x0=0, y0=2, d=1)).raw_per_year == 1


def test_geotiff_nodata_value_and_mask_band_both_give_nan(tmp_path, grids):
    import rasterio
    from rasterio.transform import from_origin

    path = grids.geotiff(tmp_path / "pm25_2016.tif", NORTH_UP, x0=100.0, y0=40.0, d=0.5, nodata=-999.0)
    np.testing.assert_array_equal(open_grid(path).read(0, 2)[0], NORTH_UP)  # NaN where the file has -999
    masked = tmp_path / "masked_2016.tif"  # no nodata value: an internal mask band marks the missing cell
    with (
        rasterio.Env(GDAL_TIFF_INTERNAL_MASK=True),
        rasterio.open(
            masked,
            "w",
            driver="GTiff",
            height=2,
            width=3,
            count=1,
            dtype="float32",
            crs="EPSG:4326",
            transform=from_origin(100.0, 40.0, 0.5, 0.5),
        ) as dst,
    ):
        dst.write(np.nan_to_num(NORTH_UP, nan=0.0).astype("float32")[None])
        dst.write_mask(~np.isnan(NORTH_UP))
    np.testing.assert_array_equal(open_grid(masked).read(0, 2)[0], NORTH_UP)
