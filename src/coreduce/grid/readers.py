"""Readers for gridded products: one function recognises a file's layout, another reads row blocks of it.

Layouts recognised (variable names as the publishers ship them):

- **ACAG V5.GL / V6.GL** (van Donkelaar et al. 2021, Washington University Atmospheric Composition Analysis
  Group): NetCDF ``V5GL0x.HybridPM25.<Region>.YYYY01-YYYY12.nc``, variable ``GWRPM25`` (µg/m³) on 1-D ``lat``/
  ``lon`` cell centres, latitude ascending. ``GWRPM25SIGMA`` (uncertainty) is never taken for PM2.5.
- **ACAG V4.CH** (the China-specific regional product): NetCDF ``V4CH03_PM25_CHi_YYYY01_YYYY12-RH35.nc``,
  variable ``PM25`` on ``LAT``/``LON``.
- **CHAP / ChinaHighPM2.5** (Wei et al. 2021): NetCDF ``CHAP_PM2.5_Y1K_YYYY_V4.nc``, variable ``PM2.5`` stored as
  uint16 with ``scale_factor`` 0.1 and ``_FillValue`` 65535, latitude descending.
- **GeoTIFF** (e.g. ACAG's ``.tif`` releases): layout recognised with rioxarray, row blocks read through rasterio
  windows (nodata masked); one band per year.
- **Gridded emissions** in EDGAR or CEDS style: a flux (``kg m-2 s-1``; EDGAR ``fluxes``, CEDS
  ``<X>_em_anthro`` with a ``sector`` dimension and monthly time steps) or an amount per cell (EDGAR
  ``emissions`` in tonnes). Name the variable; a ``sector`` (or any extra) dimension is summed.

A file is described by a :class:`GridFile` (picklable, so Dask workers open the file themselves and read only
their row block). Rows are always returned north-up; values are float64 with every ``_FillValue``/nodata as
NaN. Annual values from sub-annual steps: means are weighted by step length; fluxes are integrated over time
(Σ flux × seconds of the step, giving an amount per m² per year); amounts are summed. Step lengths come from
the calendar (monthly steps: days of each month; one step per year: 365 or 366 days).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import xarray as xr

from coreduce.grid.errors import GridError

PM25_NAMES = ("GWRPM25", "PM25", "PM2.5", "pm25", "PM2_5", "pm2p5", "pm2_5")
"""Variable names taken as PM2.5, in order of preference (ACAG V5.GL, ACAG V4/V6, CHAP, others)."""

LAT_NAMES = ("lat", "latitude", "LAT", "Latitude", "y")
LON_NAMES = ("lon", "longitude", "LON", "Longitude", "x")
KINDS = ("mean", "flux", "amount")

_PRODUCTS = (
    (re.compile(r"V(\d)GL(\d\d)", re.I), "ACAG V{0}.GL.{1}"),
    (re.compile(r"V(\d)CH(\d\d)", re.I), "ACAG V{0}.CH.{1}"),
    (re.compile(r"CHAP_PM2\.5_\w+?_V(\d+)", re.I), "CHAP ChinaHighPM2.5 V{0}"),
    (re.compile(r"v(\d+\.\d+)_FT\d{4}", re.I), "EDGAR v{0}"),
    (re.compile(r"CEDS[-_](v?[\d_\-]+\d)", re.I), "CEDS {0}"),
)
_YEAR = re.compile(r"(?<!\d)((?:19[5-9]|20[0-9])\d)(?:0[1-9]|1[0-2])?(?!\d)")

_UNIT_ALIASES = {
    "tonnes": "t",
    "tonne": "t",
    "ton": "t",
    "tons": "t",
    "micrograms per cubic meter": "ug/m3",
    "micrograms/m3": "ug/m3",
    "ug/m^3": "ug/m3",
    "µg/m³": "ug/m3",
    "μg/m³": "ug/m3",
    "µg/m3": "ug/m3",
    "μg/m3": "ug/m3",
    "ug m-3": "ug/m3",
    "kg/m2/s": "kg m-2 s-1",
    "kg m^-2 s^-1": "kg m-2 s-1",
    "kg/(m2 s)": "kg m-2 s-1",
}


def normalise_unit(text: str | None) -> str:
    """A publisher's unit string in a spelling pint parses (UDUNITS ``kg m-2 s-1`` → ``kg * m**-2 * s**-1``).

    ``ug/m3`` stays as the panel's canonical spelling of µg/m³; an empty unit gives ``""``.
    """
    raw = " ".join(str(text or "").split())
    unit = _UNIT_ALIASES.get(raw.lower(), _UNIT_ALIASES.get(raw, raw))
    if unit in ("", "ug/m3", "t"):
        return unit
    tokens = []
    for token in unit.replace("*", " ").split():
        match = re.fullmatch(r"([A-Za-zµμ]+)\^?(-?\d+)", token)
        tokens.append(f"{match.group(1)}**{match.group(2)}" if match else token)
    return " * ".join(tokens)


@dataclass(frozen=True)
class GridSpec:
    """A regular grid, north-up: west edge ``x0``, north edge ``y0``, cell sizes ``dx``, ``dy`` (> 0)."""

    x0: float
    y0: float
    dx: float
    dy: float
    nx: int
    ny: int
    crs: str

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0 - self.ny * self.dy, self.x0 + self.nx * self.dx, self.y0)

    @property
    def geographic(self) -> bool:
        from pyproj import CRS

        return CRS.from_user_input(self.crs).is_geographic

    def row_edges(self, row0: int, row1: int) -> tuple[np.ndarray, np.ndarray]:
        """North and south edges of rows ``row0 … row1-1``."""
        rows = np.arange(row0, row1)
        return self.y0 - rows * self.dy, self.y0 - (rows + 1) * self.dy

    def matches(self, other: GridSpec, tol: float = 1e-3) -> bool:
        """Same shape, CRS, and edges within ``tol`` of a cell."""
        from pyproj import CRS

        return (
            (self.nx, self.ny) == (other.nx, other.ny)
            and CRS.from_user_input(self.crs) == CRS.from_user_input(other.crs)
            and abs(self.x0 - other.x0) <= tol * self.dx
            and abs(self.y0 - other.y0) <= tol * self.dy
            and abs(self.dx - other.dx) <= tol * self.dx / max(self.nx, 1)
            and abs(self.dy - other.dy) <= tol * self.dy / max(self.ny, 1)
        )


@dataclass(frozen=True)
class GridFile:
    """One variable of one gridded file, with what is needed to read any row block of any year."""

    path: str
    variable: str
    kind: str
    units: str
    product: str
    grid: GridSpec
    years: tuple[int, ...]
    engine: str
    y_dim: str
    x_dim: str
    y_ascending: bool
    time_dim: str | None = None
    steps: tuple[tuple[tuple[int, ...], tuple[float, ...]], ...] = ()
    """Per year: the time indices and each step's length in seconds."""
    sum_dims: tuple[str, ...] = ()
    sum_size: int = 1
    """Number of values summed over ``sum_dims`` (e.g. sectors) for each cell and time step."""
    band_of_year: tuple[int, ...] = ()
    row_chunk: int = 1
    """Rows per storage chunk (GeoTIFF tile or strip height, NetCDF chunk along latitude): blocks align to it."""
    attrs: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def row_offset(self) -> int:
        """First north-up row at which a storage chunk starts (chunks are counted from the south when latitude
        ascends in the file)."""
        return self.grid.ny % self.row_chunk if self.y_ascending else 0

    @property
    def raw_per_year(self) -> int:
        """Values read per cell to make one year's value (time steps × summed entries): sizes row blocks."""
        steps = max((len(idx) for idx, _ in self.steps), default=1)
        return steps * self.sum_size

    def read(self, row0: int, row1: int, years: tuple[int, ...] | None = None) -> np.ndarray:
        """Values of rows ``row0 … row1-1`` (north-up) as ``(n_years, rows, nx)`` float64, nodata as NaN.

        Means are annual means; fluxes are integrated to an amount per unit area per year; amounts are
        annual sums per cell.
        """
        wanted = self.years if years is None else tuple(years)
        index = [self.years.index(y) for y in wanted]
        if self.engine == "geotiff":
            return self._read_geotiff(row0, row1, index)
        return self._read_netcdf(row0, row1, index)

    def _rows(self, row0: int, row1: int) -> slice:
        if self.y_ascending:
            return slice(self.grid.ny - row1, self.grid.ny - row0)
        return slice(row0, row1)

    def _read_netcdf(self, row0: int, row1: int, index: list[int]) -> np.ndarray:
        out = np.empty((len(index), row1 - row0, self.grid.nx), dtype="float64")
        try:
            with xr.open_dataset(self.path, decode_times=False, mask_and_scale=True) as ds:
                array = ds[self.variable].isel({self.y_dim: self._rows(row0, row1)})
                for k, i in enumerate(index):
                    out[k] = self._annual(array, i)
        except GridError:
            raise
        except Exception as exc:
            raise GridError(f"{self.path}: cannot read rows {row0}–{row1} of {self.variable!r} ({exc})") from exc
        if self.y_ascending:
            out = out[:, ::-1, :]
        return out

    def _annual(self, array: xr.DataArray, i: int) -> np.ndarray:
        if self.time_dim is None:
            block = array
            if self.sum_dims:
                block = block.sum(self.sum_dims, skipna=False)
            return block.transpose(self.y_dim, self.x_dim).to_numpy().astype("float64")
        idx, seconds = self.steps[i]
        block = array.isel({self.time_dim: list(idx)})
        if self.sum_dims:
            block = block.sum(self.sum_dims, skipna=False)
        values = block.transpose(self.time_dim, self.y_dim, self.x_dim).to_numpy().astype("float64")
        weights = np.asarray(seconds, dtype="float64")[:, None, None]
        if self.kind == "mean":
            return (values * weights).sum(axis=0) / weights.sum()
        if self.kind == "flux":
            return (values * weights).sum(axis=0)
        return values.sum(axis=0)

    def _read_geotiff(self, row0: int, row1: int, index: list[int]) -> np.ndarray:
        """Rows of the bands of ``index``; cells equal to the nodata value, or masked by a mask band, are NaN."""
        import rasterio
        from rasterio.enums import MaskFlags
        from rasterio.windows import Window

        bands = [self.band_of_year[i] + 1 for i in index]
        window = Window(0, row0, self.grid.nx, row1 - row0)
        try:
            with rasterio.open(self.path) as src:
                flags = [src.mask_flag_enums[b - 1] for b in bands]
                if any(f not in ([MaskFlags.nodata], [MaskFlags.all_valid]) for f in flags):
                    block = src.read(bands, window=window, masked=True)  # mask or alpha bands
                    return np.ma.filled(block.astype("float64"), np.nan)
                raw = src.read(bands, window=window)
                nodata = src.nodata
        except Exception as exc:
            raise GridError(
                f"{self.path}: cannot read rows {row0}–{row1} (the file is truncated or corrupt: {exc})"
            ) from exc
        out = raw.astype("float64")
        if nodata is not None and not np.isnan(nodata):
            out[raw == np.asarray(nodata).astype(raw.dtype)] = np.nan
        return out


def year_from_name(path: str | Path) -> int | None:
    """The first plausible year (1950–2099, optionally followed by a month) in a file name."""
    match = _YEAR.search(Path(path).name)
    return int(match.group(1)) if match else None


def product_of(path: str | Path, attrs: dict | None = None) -> str:
    """The product and version a file name (or its global attributes) declares, e.g. ``ACAG V5.GL.03``.

    Otherwise the file name without its year (``pm25_2015.tif`` → ``pm25``), so that the yearly files of one
    unnamed product form one group and share one coverage computation.
    """
    name = Path(path).name
    for pattern, template in _PRODUCTS:
        match = pattern.search(name)
        if match:
            return template.format(*match.groups())
    for key in ("product", "title", "source"):
        if attrs and attrs.get(key):
            return str(attrs[key])[:80]
    stem = re.sub(r"[_\-. ]+", "_", _YEAR.sub("", Path(path).stem)).strip("_")
    return stem or Path(path).suffix.lstrip(".").lower()


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


def _kind_of(units: str, kind: str | None) -> str:
    if kind is not None:
        if kind not in KINDS:
            raise GridError(f"kind must be one of {KINDS}, got {kind!r}")
        return kind
    compact = units.replace(" ", "")
    if "s**-1" in compact and "m**-2" in compact:
        return "flux"
    return "mean"


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


def _geotiff_row_chunk(path: str) -> int:
    import rasterio

    with rasterio.open(path) as src:
        return max(1, int(src.block_shapes[0][0]))


def _open_netcdf(
    path: str, variable: str | Sequence[str] | None, kind: str | None, year: int | None, role: str
) -> GridFile:
    try:
        ds = xr.open_dataset(path, decode_times=False, mask_and_scale=True)
    except Exception as exc:
        raise GridError(f"{path}: cannot be opened as NetCDF ({type(exc).__name__}: {exc})") from exc
    with ds:
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
        the_kind = _kind_of(units, kind)
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


def _open_geotiff(path: str, kind: str | None, year: int | None, units: str | None) -> GridFile:
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
            kind=_kind_of(unit, kind),
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


def open_grid(
    path: str | Path,
    variable: str | Sequence[str] | None = None,
    *,
    kind: str | None = None,
    year: int | None = None,
    units: str | None = None,
    role: str = "pm25",
) -> GridFile:
    """Recognise a gridded file's layout and return a :class:`GridFile` describing it (no values read).

    ``variable`` defaults to the first PM2.5 name found (:data:`PM25_NAMES`); several names take the first
    one the file holds; ``kind`` (``mean``, ``flux``,
    ``amount``) defaults to ``flux`` for units of mass per area per time, else ``mean``; ``year`` is needed
    only when neither a time coordinate nor the file name gives one. ``role="any"`` takes the file's only
    gridded variable instead of looking for PM2.5 (e.g. a population grid). Raises :class:`GridError` naming the
    file for a missing or unreadable file, no recognisable variable, or an irregular grid.
    """
    source = Path(path)
    if not source.exists():
        raise GridError(f"{source}: file not found")
    if source.suffix.lower() in (".tif", ".tiff"):
        return _open_geotiff(str(source), kind, year, units)
    grid_file = _open_netcdf(str(source), variable, kind, year, role)
    if units is not None:
        unit = normalise_unit(units)
        grid_file = dataclasses.replace(grid_file, units=unit, kind=_kind_of(unit, kind))
    return grid_file
