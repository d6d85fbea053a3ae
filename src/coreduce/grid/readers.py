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

A file is described by a :class:`~coreduce.grid.files.GridFile` (picklable, so Dask workers open the file
themselves and read only their row block). Rows are always returned north-up; values are float64 with every
``_FillValue``/nodata as NaN. Annual values from sub-annual steps: means are weighted by step length; fluxes are
integrated over time (Σ flux × seconds of the step, giving an amount per m² per year); amounts are summed. Step
lengths come from the calendar (monthly steps: days of each month; one step per year: 365 or 366 days).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from coreduce.grid.errors import GridError
from coreduce.grid.files import GridFile
from coreduce.grid.geotiff import open_geotiff
from coreduce.grid.names import kind_of, normalise_unit
from coreduce.grid.netcdf import open_netcdf


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

    ``variable`` defaults to the first PM2.5 name found (:data:`~coreduce.grid.names.PM25_NAMES`); several
    names take the first one the file holds; ``kind`` (``mean``, ``flux``, ``amount``) defaults to ``flux``
    for units of mass per area per time, else ``mean``; ``year`` is needed only when neither a time coordinate
    nor the file name gives one. ``role="any"`` takes the file's only
    gridded variable instead of looking for PM2.5 (e.g. a population grid). Raises :class:`GridError` naming the
    file for a missing or unreadable file, no recognisable variable, or an irregular grid.
    """
    source = Path(path)
    if not source.exists():
        raise GridError(f"{source}: file not found")
    if source.suffix.lower() in (".tif", ".tiff"):
        return open_geotiff(str(source), kind, year, units)
    grid_file = open_netcdf(str(source), variable, kind, year, role)
    if units is not None:
        unit = normalise_unit(units)
        grid_file = dataclasses.replace(grid_file, units=unit, kind=kind_of(unit, kind))
    return grid_file
