"""End to end: files → zones, with and without Dask, into the store and through the CLI."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import box

from coreduce.grid import GridError
from coreduce.grid.aggregate import aggregate
from coreduce.grid.zonal import AUTHALIC_RADIUS_M

CHINA = {"x0": 73.0, "y0": 54.0, "d": 0.25}  # 248 × 204 cells of 0.25° over China's extent (3.8–54°N)
NX, NY = 248, 204


def _zones(*geoms, crs=4326):
    return gpd.GeoDataFrame(
        {"zone": [f"z{i}" for i in range(len(geoms))], "name": [f"zone {i}" for i in range(len(geoms))]},
        geometry=list(geoms),
        crs=crs,
    )


def _pm25_files(tmp_path, grids, years=(2018, 2019, 2020)):
    rng = np.random.default_rng(7)
    files = []
    for year in years:
        values = rng.uniform(5, 120, size=(NY, NX))
        values[rng.random((NY, NX)) < 0.05] = np.nan  # water and missing retrievals
        files.append(grids.acag_v5(tmp_path / f"V5GL03.HybridPM25.China.{year}01-{year}12.nc", values, **CHINA))
    return files


@pytest.fixture(scope="module")
def provinces(shared_data):
    from coreduce.geo.boundaries import zones_for

    return zones_for("provinces")


def test_constant_field_gives_the_constant_in_every_province(tmp_path, grids, provinces):
    path = grids.acag_v5(tmp_path / "V5GL03.HybridPM25.China.201501-201512.nc", np.full((NY, NX), 35.0), **CHINA)
    result = aggregate([path], to=provinces, scheduler="sync")
    t = result.table
    assert len(t) == 31 and set(t["zone"]) == set(provinces["zone"])
    np.testing.assert_allclose(t["value"], 35.0, rtol=1e-12)
    assert (t["unit"] == "ug/m3").all() and (t["variable"] == "pm25_acag").all()
    assert (t["n_nodata"] == 0).all()
    # Hainan's southernmost islands (3.8°N) lie in the grid, Heilongjiang's tip (53.56°N) too: full coverage
    assert t["coverage"].min() > 0.999
    assert result.conventions["cell_area"].startswith("sphere")
    assert result.sources["publisher"].iloc[0].startswith("Atmospheric Composition Analysis Group")


@pytest.mark.slow
def test_identical_with_and_without_dask(tmp_path, grids, provinces, monkeypatch):
    from distributed import Client, LocalCluster

    files = _pm25_files(tmp_path, grids)
    kwargs = {"to": provinces, "chunk_mb": 0.2}  # ~100 rows per block: several blocks per file
    plain = aggregate(files, scheduler="sync", **kwargs).table
    assert plain["value"].notna().all() and (plain["n_nodata"] > 0).any()
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        on_cluster = aggregate(files, scheduler=client, **kwargs)
        by_address = aggregate(files, scheduler=cluster.scheduler_address, **kwargs)  # as --scheduler tcp://…
    pd.testing.assert_frame_equal(plain, on_cluster.table, check_exact=True)
    pd.testing.assert_frame_equal(plain, by_address.table, check_exact=True)
    assert on_cluster.conventions["scheduler"].startswith("dask tcp://")
    assert by_address.conventions["scheduler"] == f"dask {cluster.scheduler_address}"
    # the in-process transport names itself by this machine's address, found by a UDP connect to 8.8.8.8: the
    # test pins it to loopback so that it touches no network
    monkeypatch.setattr("distributed.comm.inproc.get_ip", lambda: "127.0.0.1")
    with Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as client:
        threaded = aggregate(files, scheduler=client, **kwargs).table
    pd.testing.assert_frame_equal(plain, threaded, check_exact=True)
    # a different block size cuts the zones at other rows and adds in another order: equal to rounding only
    # (exactextract reports coverage fractions in float32: a cut moves one cell's fraction by up to 6e-8)
    coarse = aggregate(files, scheduler="sync", to=provinces, chunk_mb=64).table
    np.testing.assert_allclose(coarse["value"], plain["value"], rtol=1e-8)


def test_unreachable_or_malformed_scheduler(tmp_path, grids, monkeypatch):
    from coreduce.grid import run as module

    monkeypatch.setattr(module, "CONNECT_TIMEOUT", "1s")
    path = grids.acag_v5(tmp_path / "V5GL03.HybridPM25.China.201501-201512.nc", np.full((8, 8), 35.0), **CHINA)
    zones = _zones(box(74, 53, 74.5, 53.5))
    with pytest.raises(GridError, match=r"cannot reach the Dask scheduler at 'tcp://127\.0\.0\.1:1' \(Timed out"):
        aggregate([path], to=zones, scheduler="tcp://127.0.0.1:1")
    with pytest.raises(GridError, match=r"cannot reach the Dask scheduler at 'nonsense' \(missing port number"):
        aggregate([path], to=zones, scheduler="nonsense")


@pytest.mark.slow
def test_blocks_stay_within_chunk_size_counting_months_and_sectors(tmp_path, grids, provinces):
    # 12 monthly steps × 3 sectors are read to make one year: a block of rows holds (1 output + 36 raw)
    # float64 values per cell, so 0.5 MiB gives floor(0.5 MiB / (248 × 8 B × 37)) = 7 rows per block.
    from coreduce.grid.plan import plan_group
    from coreduce.grid.readers import open_grid

    path = grids.flux(tmp_path / "SO2-em-anthro_CEDS_2020.nc", np.full((NY, NX), 1e-10), **CHINA, year=2020)
    monthly = grids.flux(
        tmp_path / "SO2-em-anthro_CEDS_2021.nc", np.full((NY, NX), 1e-10), **CHINA, year=2021, months=True, sectors=3
    )
    plan = plan_group((open_grid(monthly, "SO2_em_anthro"),), provinces, None, "area", None, 0.5, False)
    sizes = {r1 - r0 for r0, r1, _ in plan.blocks}
    assert max(sizes) == 7
    annual = plan_group((open_grid(path, "SO2_em_anthro"),), provinces, None, "area", None, 0.5, False)
    assert max(r1 - r0 for r0, r1, _ in annual.blocks) == int(0.5 * 2**20 // (NX * 8 * 2))
    # the small blocks add up to the same totals as one big block (to the float32 coverage fractions)
    small = aggregate([monthly], to=provinces, variable="SO2_em_anthro", scheduler="sync", chunk_mb=0.5).table
    big = aggregate([monthly], to=provinces, variable="SO2_em_anthro", scheduler="sync", chunk_mb=256).table
    np.testing.assert_allclose(small["value"], big["value"], rtol=1e-8)


def test_population_density_grid_weights_by_people_per_cell(tmp_path, grids):
    # A uniform density makes people proportional to cell area: the population-weighted mean equals the
    # area-weighted mean, and differs from weighting by the density values alone (a count per cell).
    lat = np.arange(60, 80) + 0.5
    values = np.broadcast_to(lat[::-1, None], (20, 4)).astype(float)
    path = grids.acag_v5(tmp_path / "V5GL03.HybridPM25.Arctic.201501-201512.nc", values, x0=10, y0=80, d=1.0)
    density = grids.geotiff(tmp_path / "density_2015.tif", np.full((20, 4), 3.0), x0=10, y0=80, d=1.0)
    zones = _zones(box(10, 60, 14, 80))
    area = aggregate([path], to=zones, scheduler="sync").table["value"].iloc[0]
    as_density = (
        aggregate([path], to=zones, scheduler="sync", weight="population", population=density, population_density=True)
        .table["value"]
        .iloc[0]
    )
    as_count = aggregate([path], to=zones, scheduler="sync", weight="population", population=density).table
    assert as_density == pytest.approx(area, rel=1e-12)
    assert as_count["value"].iloc[0] == pytest.approx(70.0, rel=1e-12)  # equal counts: the plain mean
    assert area < 69.0


def test_population_weighted_mean_end_to_end(tmp_path, grids):
    import netCDF4

    values = np.array([[10.0, 40.0], [70.0, np.nan]])
    path = grids.chap(tmp_path / "CHAP_PM2.5_Y1K_2020_V4.nc", values, x0=110, y0=30, d=1.0)
    pop_path = tmp_path / "population_2019.nc"
    with netCDF4.Dataset(pop_path, "w") as ds:
        ds.createDimension("lat", 2)
        ds.createDimension("lon", 2)
        ds.createVariable("lat", "f8", ("lat",))[:] = [28.5, 29.5]
        ds.createVariable("lon", "f8", ("lon",))[:] = [110.5, 111.5]
        ds.createVariable("population", "f8", ("lat", "lon"))[:] = [[500.0, 1e6], [3000.0, 1000.0]]  # south first
    result = aggregate(
        [path], to=_zones(box(110, 28, 112, 30)), weight="population", population=pop_path, scheduler="sync"
    )
    row = result.table.iloc[0]
    assert row["value"] == pytest.approx((3000 * 10 + 1000 * 40 + 500 * 70) / 4500, rel=1e-6)
    assert row["variable"] == "pm25_chap_popw" and row["n_nodata"] == 1
    assert "population_2019.nc" in result.conventions["population"]


def test_monthly_ceds_flux_sums_to_kilotonnes(tmp_path, grids):
    # A constant flux F over a 2° × 2° box at 39–41°N for the leap year 2020: the zone total is
    # F × area × 366 days; the box's area on the authalic sphere is checked against PROJ's geodesic area.
    flux = np.full((4, 4), 2e-10)
    path = grids.flux(
        tmp_path / "SO2-em-anthro_CEDS_2020.nc", flux, x0=100, y0=41, d=1.0, year=2020, months=True, sectors=2
    )
    zone = box(100, 39, 102, 41)
    result = aggregate([path], to=_zones(zone), variable="SO2_em_anthro", scheduler="sync", name="so2_grid")
    area = AUTHALIC_RADIUS_M**2 * np.radians(2) * (np.sin(np.radians(41)) - np.sin(np.radians(39)))
    geodesic = abs(
        Geod(a=AUTHALIC_RADIUS_M, b=AUTHALIC_RADIUS_M).geometry_area_perimeter(shapely.segmentize(zone, 0.001))[0]
    )
    assert area == pytest.approx(geodesic, rel=1e-9)
    expected_kt = 2e-10 * area * 366 * 86400 / 1e6  # kg → kt
    row = result.table.iloc[0]
    assert row["value"] == pytest.approx(expected_kt, rel=1e-6) and row["unit"] == "kt"
    assert result.conventions["statistic"] == "sum"
    mt = aggregate([path], to=_zones(zone), variable="SO2_em_anthro", scheduler="sync", unit="Mt").table
    assert mt["value"].iloc[0] == pytest.approx(expected_kt / 1000, rel=1e-6)


def test_edgar_amount_per_cell(tmp_path, grids):
    import netCDF4

    path = tmp_path / "v8.0_FT2022_AP_SO2_2022_TOTALS_emi.nc"
    with netCDF4.Dataset(path, "w") as ds:
        ds.createDimension("lat", 2)
        ds.createDimension("lon", 2)
        ds.createVariable("lat", "f8", ("lat",))[:] = [30.05, 30.15]
        ds.createVariable("lon", "f8", ("lon",))[:] = [120.05, 120.15]
        var = ds.createVariable("emissions", "f4", ("lat", "lon"))
        var.units = "Tonnes"
        var[:] = [[100.0, 200.0], [300.0, 400.0]]
    result = aggregate(
        [path], to=_zones(box(120, 30, 120.2, 30.2)), variable="emissions", kind="amount", scheduler="sync"
    )
    row = result.table.iloc[0]
    assert row["value"] == pytest.approx(1.0) and row["unit"] == "kt" and row["year"] == 2022
    assert row["product"] == "EDGAR v8.0"


# -- bad input ----------------------------------------------------------------------------------------------
def test_crs_mismatch_and_reproject(tmp_path, grids):
    path = grids.acag_v5(tmp_path / "V5GL03.HybridPM25.China.201501-201512.nc", np.full((NY, NX), 35.0), **CHINA)
    zones = _zones(box(110, 30, 112, 32)).to_crs(3857)
    with pytest.raises(GridError, match=r"201501-201512\.nc: CRS mismatch: the grid is in 'WGS 84', the zones in"):
        aggregate([path], to=zones, scheduler="sync")
    result = aggregate([path], to=zones, scheduler="sync", reproject=True)
    assert result.table["value"].iloc[0] == pytest.approx(35.0)


def test_polygons_outside_the_grid(tmp_path, grids):
    path = grids.acag_v5(tmp_path / "V5GL03.HybridPM25.China.201501-201512.nc", np.full((NY, NX), 35.0), **CHINA)
    zones = _zones(box(110, 30, 112, 32), box(-10, 40, -5, 45))
    with pytest.raises(GridError, match=r"201501-201512\.nc: zone\(s\) z1 lie outside the grid"):
        aggregate([path], to=zones, scheduler="sync")


def test_population_grid_on_another_grid(tmp_path, grids):
    path = grids.acag_v5(tmp_path / "V5GL03.HybridPM25.China.201501-201512.nc", np.full((NY, NX), 35.0), **CHINA)
    pop = grids.geotiff(tmp_path / "pop_2015.tif", np.ones((10, 10)), x0=100, y0=40, d=1.0)
    with pytest.raises(GridError, match=r"pop_2015\.tif: the population grid 10×10 .* differs from the grid of"):
        aggregate([path], to=_zones(box(110, 30, 112, 32)), weight="population", population=pop, scheduler="sync")
    with pytest.raises(GridError, match="needs a population grid"):
        aggregate([path], to=_zones(box(110, 30, 112, 32)), weight="population", scheduler="sync")


def test_failed_run_writes_nothing_to_the_store(tmp_path, grids):
    from typer.testing import CliRunner

    from coreduce.cli.main import app
    from coreduce.data.store import Store

    good = grids.acag_v5(tmp_path / "V5GL03.HybridPM25.China.201801-201812.nc", np.full((NY, NX), 35.0), **CHINA)
    corrupt = tmp_path / "V5GL03.HybridPM25.China.201901-201912.nc"
    corrupt.write_bytes(good.read_bytes()[:300])
    store = tmp_path / "panel.duckdb"
    runner = CliRunner()
    outcome = runner.invoke(
        app, ["grid", "aggregate", str(good), str(corrupt), "--scheduler", "sync", "--store", str(store)]
    )
    assert outcome.exit_code == 1
    assert "201901-201912.nc: cannot be opened as NetCDF" in outcome.output.replace("\n", "")
    assert not store.exists() or Store(store).table("panel").empty


def test_failure_while_reading_leaves_the_store_as_it_was(tmp_path, grids):
    # The second file's header is intact (it opens and is planned) but its rows are cut off: the run fails
    # while reading, after the first file's blocks are done, and the store keeps exactly what it held.
    from typer.testing import CliRunner

    from coreduce.cli.main import app
    from coreduce.data.store import Store

    values = np.full((NY, NX), 35.0)
    good = grids.geotiff(tmp_path / "pm25_2018.tif", values, x0=73, y0=54, d=0.25)
    cut = tmp_path / "pm25_2019.tif"
    grids.geotiff(cut, values, x0=73, y0=54, d=0.25)
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 3])
    zones = tmp_path / "zones.gpkg"
    _zones(box(100, 20, 110, 30), box(120, 45, 125, 50)).to_file(zones)
    store = tmp_path / "panel.duckdb"
    base = ["grid", "aggregate", "--to", str(zones), "--id-column", "zone", "--scheduler", "sync"]
    first = CliRunner().invoke(app, [*base, str(good), "--store", str(store), "--name", "pm25_first"])
    assert first.exit_code == 1  # a GeoTIFF states no unit: nothing is stored until the user gives it
    assert "pm25_2018.tif: the file states no unit" in " ".join(first.output.split())
    assert not store.exists() or Store(store).table("panel").empty
    base += ["--unit", "ug/m3"]
    first = CliRunner().invoke(app, [*base, str(good), "--store", str(store), "--name", "pm25_first"])
    assert first.exit_code == 0, first.output
    assert set(Store(store).table("panel")["unit"]) == {"ug/m3"}
    unnamed = aggregate([good], to=tmp_path / "zones.gpkg", id_column="zone", scheduler="sync", unit="ug/m3")
    assert set(unnamed.table["variable"]) == {"pm25"}  # a GeoTIFF's series is named after its file
    before = Store(store).table("panel")
    outcome = CliRunner().invoke(
        app, [*base, str(good), str(cut), "--store", str(store), "--out", str(tmp_path / "o.csv")]
    )
    assert outcome.exit_code == 1
    assert "pm25_2019.tif: cannot read rows" in outcome.output.replace("\n", "")
    pd.testing.assert_frame_equal(Store(store).table("panel"), before)
    assert not (tmp_path / "o.csv").exists()


def test_cli_aggregates_to_counties_from_a_boundary_file(tmp_path, grids):
    from typer.testing import CliRunner

    from coreduce.cli.main import app

    path = grids.acag_v5(tmp_path / "V5GL03.HybridPM25.China.201501-201512.nc", np.full((NY, NX), 35.0), **CHINA)
    counties = tmp_path / "counties.geojson"
    gpd.GeoDataFrame(
        {"adcode": [110101, 110102], "name": ["东城区", "西城区"]},
        geometry=[box(116.3, 39.8, 116.4, 39.95), box(116.4, 39.8, 116.5, 39.95)],
        crs=4326,
    ).to_file(counties)
    args = ["grid", "aggregate", str(path), "--to", "counties", "--scheduler", "sync"]
    outcome = CliRunner().invoke(app, [*args, "--boundaries", str(counties), "--out", str(tmp_path / "c.csv")])
    assert outcome.exit_code == 0, outcome.output
    table = pd.read_csv(tmp_path / "c.csv", dtype={"zone": str})
    assert table["zone"].tolist() == ["110101", "110102"] and table["name"].tolist() == ["东城区", "西城区"]
    np.testing.assert_allclose(table["value"], 35.0)
    missing = CliRunner().invoke(app, args)
    assert missing.exit_code == 1
    assert "counties boundaries are not bundled with coreduce" in " ".join(missing.output.split())


@pytest.mark.slow
def test_cli_aggregates_to_provinces_csv_and_store(tmp_path, grids, provinces):
    from typer.testing import CliRunner

    from coreduce.cli.main import app
    from coreduce.data.store import Store

    files = [str(p) for p in _pm25_files(tmp_path, grids, years=(2018, 2019))]
    out = tmp_path / "pm25.csv"
    store = tmp_path / "panel.duckdb"
    args = ["grid", "aggregate", *files, "--scheduler", "sync", "--out", str(out), "--store", str(store)]
    outcome = CliRunner().invoke(app, args)
    assert outcome.exit_code == 0, outcome.output
    table = pd.read_csv(out, dtype={"zone": str})
    assert len(table) == 62 and set(table["year"]) == {2018, 2019}
    stored = Store(store).table("panel")
    assert len(stored) == 62 and set(stored["status"]) == {"derived"}
    assert set(stored["source"]) == {"grid_acag_v5_gl_03"}
    assert "pm25_acag" in set(Store(store).table("catalogue")["variable"])
    again = CliRunner().invoke(app, args)  # the store refuses to overwrite without --replace
    assert again.exit_code == 1 and "already stored" in again.output
    assert len(Store(store).table("panel")) == 62
    replaced = CliRunner().invoke(app, [*args, "--replace"])
    assert replaced.exit_code == 0, replaced.output


@pytest.mark.slow
def test_cli_add_puts_the_series_in_the_embedded_store_every_command_reads(tmp_path, grids, provinces):
    from typer.testing import CliRunner

    from coreduce.cli.main import app
    from coreduce.data import load_bundled
    from coreduce.data.open import open_panel

    files = [str(p) for p in _pm25_files(tmp_path, grids, years=(2018, 2019))]
    outcome = CliRunner().invoke(app, ["grid", "aggregate", *files, "--scheduler", "sync", "--add"])
    assert outcome.exit_code == 0, outcome.output
    panel = open_panel(None)  # what the report and the analysis commands read by default
    assert len(panel.data) == len(load_bundled().data) + 62
    assert panel.wide(["pm25_acag"]).notna().sum().item() == 62
    both = CliRunner().invoke(app, ["grid", "aggregate", *files, "--add", "--store", str(tmp_path / "s.duckdb")])
    words = " ".join(both.output.replace("│", " ").split())  # rich wraps the message inside a box
    assert both.exit_code != 0 and "not both" in words


def test_real_pm25_grids_to_provinces(shared_data):
    from coreduce.geo import by_code

    patterns = ("*PM25*.nc", "*PM25*.tif", "CHAP_PM2.5_*.nc")  # ACAG V5.GL/V4.CH NetCDF and GeoTIFF, CHAP
    found = sorted({path for pattern in patterns for path in shared_data.rglob(pattern)})
    if not found:
        pytest.skip(
            "no real PM2.5 grid files in the public data folder: PROVENANCE.md lists none (only AQLI's national and "
            "city-cluster series), so the real-grid check cannot run"
        )
    result = aggregate(found, scheduler="sync", unit="ug/m3")  # the unit states it for unitless GeoTIFFs
    table = result.table
    assert set(table["zone"]) == set(by_code())
    assert table["value"].notna().all() and table["value"].between(1, 200).all()  # µg/m³, every province


def test_many_variables_and_years_at_once_from_the_cli(tmp_path, grids):
    # CEDS ships one file per species: SO2 and NOx for two years in one run become two series of two years.
    from typer.testing import CliRunner

    from coreduce.cli.main import app

    files = []
    for species, flux in (("SO2", 1e-10), ("NOx", 3e-10)):
        for year in (2019, 2020):
            files.append(
                grids.flux(
                    tmp_path / f"{species}-em-anthro_CEDS_{year}.nc",
                    np.full((4, 4), flux),
                    x0=100,
                    y0=41,
                    d=1.0,
                    year=year,
                    variable=f"{species}_em_anthro",
                )
            )
    zones = tmp_path / "zones.gpkg"
    _zones(box(100, 39, 102, 41)).to_file(zones)
    out = tmp_path / "emissions.csv"
    args = ["grid", "aggregate", *map(str, files), "--to", str(zones), "--id-column", "zone", "--scheduler", "sync"]
    args += ["--variable", "SO2_em_anthro", "--variable", "NOx_em_anthro", "--out", str(out)]
    outcome = CliRunner().invoke(app, args)
    assert outcome.exit_code == 0, outcome.output
    table = pd.read_csv(out).set_index(["variable", "year"])["value"]
    area = AUTHALIC_RADIUS_M**2 * np.radians(2) * (np.sin(np.radians(41)) - np.sin(np.radians(39)))
    assert table["so2_em_anthro", 2019] == pytest.approx(1e-10 * area * 365 * 86400 / 1e6, rel=1e-6)
    assert table["nox_em_anthro", 2020] == pytest.approx(3e-10 * area * 366 * 86400 / 1e6, rel=1e-6)
    assert len(table) == 4
    with pytest.raises(GridError, match=r"none of the variables \['PM25', 'pm25'\]; variables are"):
        aggregate(files[:1], to=_zones(box(100, 39, 102, 41)), variable=["PM25", "pm25"], scheduler="sync")
