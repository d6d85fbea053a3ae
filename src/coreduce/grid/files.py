"""What a gridded file holds (:class:`GridSpec`, :class:`GridFile`) and the reading of one block of its rows.

Rows are always returned north-up; values are float64 with every ``_FillValue``/nodata as NaN. Annual values
from sub-annual steps: means are weighted by step length; fluxes are integrated over time (Σ flux × seconds of
the step, giving an amount per m² per year); amounts are summed.

The HDF5 library under netCDF4 is not thread-safe: two threads of one process that open, read or close HDF5
files at the same time corrupt its state ("NetCDF: HDF error", or a crash). Every NetCDF access of this package
therefore holds :data:`HDF5_LOCK` (as xarray holds its own HDF5 lock around its reads); Dask workers in
separate processes each have their own lock and read in parallel.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from coreduce.grid.errors import GridError

HDF5_LOCK = threading.Lock()
"""Held around every open, read and close of a NetCDF/HDF5 file in this process."""


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
            with HDF5_LOCK, xr.open_dataset(self.path, decode_times=False, mask_and_scale=True) as ds:
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
