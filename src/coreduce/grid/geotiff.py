"""Recognise the layout of a GeoTIFF (north-up, one band per year) with rioxarray."""

from __future__ import annotations

from pathlib import Path

from coreduce.grid.errors import GridError
from coreduce.grid.files import GridFile, GridSpec
from coreduce.grid.names import kind_of, normalise_unit, product_of, year_from_name


def _geotiff_row_chunk(path: str) -> int:
    import rasterio

    with rasterio.open(path) as src:
        return max(1, int(src.block_shapes[0][0]))


def open_geotiff(path: str, kind: str | None, year: int | None, units: str | None) -> GridFile:
    import rioxarray

    try:
        da = rioxarray.open_rasterio(path, masked=True)
    except Exception as exc:
        raise GridError(f"{path}: cannot be opened as GeoTIFF ({type(exc).__name__}: {exc})") from exc
    with da:
        if da.rio.crs is None:
            raise GridError(f"{path}: the GeoTIFF has no coordinate reference system")
        transform = da.rio.transform()
        if transform.b != 0 or transform.d != 0 or transform.e >= 0:
            raise GridError(f"{path}: rotated or south-up GeoTIFFs are not supported (transform {tuple(transform)})")
        ny, nx = da.sizes["y"], da.sizes["x"]
        grid = GridSpec(transform.c, transform.f, transform.a, -transform.e, int(nx), int(ny), da.rio.crs.to_wkt())
        bands = da.sizes["band"]
        descriptions = tuple(da.attrs.get("long_name", ())) if bands > 1 else ()
        if bands == 1:
            found = year if year is not None else year_from_name(path)
            if found is None:
                raise GridError(f"{path}: no year in the file name; give the year")
            years = (int(found),)
        else:
            try:
                years = tuple(int(str(d)) for d in descriptions)
            except ValueError:
                years = ()
            if len(years) != bands:
                raise GridError(f"{path}: {bands} bands but their descriptions are not years ({descriptions})")
        unit = normalise_unit(units if units is not None else da.attrs.get("units"))
        return GridFile(
            path=str(Path(path).resolve()),
            variable=str(da.name or product_of(path)),  # unnamed bands: the product, e.g. "pm25"
            kind=kind_of(unit, kind),
            units=unit,
            product=product_of(path),
            grid=grid,
            years=years,
            engine="geotiff",
            y_dim="y",
            x_dim="x",
            y_ascending=False,
            band_of_year=tuple(range(bands)),
            row_chunk=_geotiff_row_chunk(path),
        )
