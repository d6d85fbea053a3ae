"""Recognise the layout of a NetCDF file (ACAG, CHAP, EDGAR/CEDS style): variable, regular grid, years, steps."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import xarray as xr

from coreduce.grid.errors import GridError
from coreduce.grid.files import HDF5_LOCK, GridFile, GridSpec
from coreduce.grid.names import LAT_NAMES, LON_NAMES, PM25_NAMES, kind_of, normalise_unit, product_of, year_from_name


def _regular(path: str, name: str, centres: np.ndarray) -> tuple[float, float, bool]:
    """First centre, step (> 0) and whether centres ascend; GridError when spacing is irregular."""
    centres = np.asarray(centres, dtype="float64")
    if centres.ndim != 1 or centres.size < 2:
        raise GridError(f"{path}: coordinate {name!r} must be 1-D with at least 2 values")
    step = (centres[-1] - centres[0]) / (centres.size - 1)
    if step == 0 or np.max(np.abs(np.diff(centres) - step)) > 0.01 * abs(step):
        raise GridError(f"{path}: coordinate {name!r} is not regularly spaced; only regular grids are supported")
    return float(centres[0]), float(abs(step)), bool(step > 0)


def _pick(names: tuple[str, ...], present) -> str | None:
    return next((n for n in names if n in present), None)


def _find_variable(path: str, ds: xr.Dataset, variable: str | Sequence[str] | None, role: str) -> str:
    data_vars = [str(v) for v in ds.data_vars]
    if isinstance(variable, str):
        if variable not in ds.variables:
            raise GridError(f"{path}: no variable {variable!r}; variables are {data_vars}")
        return variable
    if variable is not None:  # several names (several files, one variable each): the first one present
        found = next((v for v in variable if v in ds.variables), None)
        if found is None:
            raise GridError(f"{path}: none of the variables {list(variable)}; variables are {data_vars}")
        return found
    if role == "any":
        gridded = [v for v in data_vars if _pick(LAT_NAMES, ds[v].dims) and _pick(LON_NAMES, ds[v].dims)]
        if len(gridded) != 1:
            raise GridError(f"{path}: {len(gridded)} gridded variables ({gridded}); name the one to use")
        return gridded[0]
    found = _pick(PM25_NAMES, ds.data_vars)
    if found is None:
        raise GridError(
            f"{path}: no recognisable PM2.5 variable (looked for {', '.join(PM25_NAMES)}); "
            f"variables are {data_vars}; name one with variable=/--variable"
        )
    return found


def _calendar_steps(
    path: str, times: np.ndarray, attrs: dict
) -> tuple[tuple[int, ...], tuple[tuple[tuple[int, ...], tuple[float, ...]], ...]]:
    """Group time steps by year and give each its length in seconds from the calendar."""
    import cftime

    units = attrs.get("units")
    if not units:
        raise GridError(f"{path}: the time coordinate has no units; cannot tell which year a step belongs to")
    calendar = attrs.get("calendar", "standard")
    try:
        dates = cftime.num2date(np.asarray(times), units, calendar=calendar)
    except Exception as exc:
        raise GridError(f"{path}: time coordinate cannot be decoded ({exc})") from exc
    years = np.array([d.year for d in dates])
    out_years, out_steps = [], []
    for year in sorted(set(years.tolist())):
        idx = np.flatnonzero(years == year)
        n = idx.size
        start = cftime.datetime(year, 1, 1, calendar=calendar)
        end = cftime.datetime(year + 1, 1, 1, calendar=calendar)
        year_seconds = (end - start).total_seconds()
        if n == 1:
            seconds = [year_seconds]
        elif n == 12:
            months = [d.month for d in dates[idx]]
            if sorted(months) != list(range(1, 13)):
                raise GridError(f"{path}: year {year} has 12 steps that are not the 12 months")
            seconds = [
                (
                    cftime.datetime(year + (m == 12), m % 12 + 1, 1, calendar=calendar)
                    - cftime.datetime(year, m, 1, calendar=calendar)
                ).total_seconds()
                for m in months
            ]
        elif n * 86400 == year_seconds:
            seconds = [86400.0] * n
        else:
            raise GridError(f"{path}: year {year} has {n} time steps; expected 1 (annual), 12 (monthly) or one per day")
        out_years.append(int(year))
        out_steps.append((tuple(int(i) for i in idx), tuple(float(s) for s in seconds)))
    return tuple(out_years), tuple(out_steps)


def _netcdf_crs(ds: xr.Dataset, variable: str) -> str:
    grid_mapping = ds[variable].attrs.get("grid_mapping") or ds[variable].encoding.get("grid_mapping")
    if grid_mapping and grid_mapping in ds.variables:
        from pyproj import CRS

        return CRS.from_cf(ds[grid_mapping].attrs).to_wkt()
    return "EPSG:4326"


def _netcdf_row_chunk(da: xr.DataArray, y_dim: str) -> int:
    chunks = da.encoding.get("chunksizes")
    if not chunks or da.encoding.get("contiguous", False):
        return 1
    return max(1, int(chunks[list(da.dims).index(y_dim)]))


def open_netcdf(
    path: str, variable: str | Sequence[str] | None, kind: str | None, year: int | None, role: str
) -> GridFile:
    """Describe one variable of a NetCDF file (see :func:`coreduce.grid.readers.open_grid`), holding the HDF5 lock."""
    with HDF5_LOCK:
        try:
            ds = xr.open_dataset(path, decode_times=False, mask_and_scale=True)
        except Exception as exc:
            raise GridError(f"{path}: cannot be opened as NetCDF ({type(exc).__name__}: {exc})") from exc
        with ds:
            return _describe(path, ds, variable, kind, year, role)


def _describe(
    path: str, ds: xr.Dataset, variable: str | Sequence[str] | None, kind: str | None, year: int | None, role: str
) -> GridFile:
    """The GridFile of variable ``variable`` (or the PM2.5 one) of the open dataset ``ds``."""
    name = _find_variable(path, ds, variable, role)
    da = ds[name]
    y_dim = _pick(LAT_NAMES, da.dims)
    x_dim = _pick(LON_NAMES, da.dims)
    if y_dim is None or x_dim is None:
        raise GridError(f"{path}: variable {name!r} has dims {da.dims}; expected latitude and longitude dims")
    if y_dim not in ds.variables or x_dim not in ds.variables:
        raise GridError(f"{path}: dims {y_dim!r}/{x_dim!r} have no coordinate values")
    x_first, dx, x_up = _regular(path, x_dim, ds[x_dim].values)
    y_first, dy, y_up = _regular(path, y_dim, ds[y_dim].values)
    if not x_up:
        raise GridError(f"{path}: longitude {x_dim!r} descends; expected west-to-east order")
    nx, ny = ds.sizes[x_dim], ds.sizes[y_dim]
    north_centre = y_first + (ny - 1) * dy if y_up else y_first
    crs = _netcdf_crs(ds, name)
    grid = GridSpec(x_first - dx / 2, north_centre + dy / 2, dx, dy, int(nx), int(ny), crs)
    time_dim = _pick(("time", "TIME", "t"), da.dims)
    sum_dims = tuple(str(d) for d in da.dims if d not in (y_dim, x_dim, time_dim))
    units = normalise_unit(da.attrs.get("units"))
    the_kind = kind_of(units, kind)
    if sum_dims and the_kind == "mean":
        raise GridError(f"{path}: {name!r} has extra dims {sum_dims}; a mean field must be (time,) lat, lon")
    if time_dim is not None and time_dim in ds.variables:
        years, steps = _calendar_steps(path, ds[time_dim].values, ds[time_dim].attrs)
    else:
        found = year if year is not None else year_from_name(path)
        if found is None:
            raise GridError(f"{path}: no time coordinate and no year in the file name; give the year")
        years, steps = (int(found),), ()
        if time_dim is not None:  # a length-1 time dim without values
            years, steps = (int(found),), (((0,), (1.0,)),)
    return GridFile(
        path=str(Path(path).resolve()),
        variable=name,
        kind=the_kind,
        units=units,
        product=product_of(path, ds.attrs),
        grid=grid,
        years=years,
        engine="netcdf",
        y_dim=y_dim,
        x_dim=x_dim,
        y_ascending=y_up,
        row_chunk=_netcdf_row_chunk(da, y_dim),
        time_dim=time_dim,
        steps=steps,
        sum_dims=sum_dims,
        sum_size=int(np.prod([ds.sizes[d] for d in sum_dims], dtype="int64")),
        attrs={k: str(v) for k, v in ds.attrs.items()},
    )
