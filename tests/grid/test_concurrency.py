"""Blocks of NetCDF files read from many threads at once: HDF5 is entered by one thread at a time.

The HDF5 library under netCDF4 is not thread-safe. Unsynchronised, threads that open, read attributes of and
close files at the same time fail with "NetCDF: HDF error" / "Can't open HDF5 attribute" or crash the process
(seen with a threaded Dask client). The test counts the HDF5 files open at any moment by wrapping
``netCDF4.Dataset``, with a pause inside each open so that unsynchronised threads would overlap: every read
must see no other file open, and return the same values as a single-threaded read.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import xarray as xr

from coreduce.grid.readers import open_grid

CHINA = {"x0": 73.0, "y0": 54.0, "d": 0.25}


class _OpenFiles:
    """Number of netCDF4 datasets open now and the most ever open at once."""

    def __init__(self) -> None:
        self.now = self.most = 0
        self._count = threading.Lock()

    def change(self, step: int) -> None:
        with self._count:
            self.now += step
            self.most = max(self.most, self.now)


@pytest.fixture
def open_files(monkeypatch):
    """Count the NetCDF files open through xarray, pausing inside each open so that unsynchronised threads overlap."""
    counter = _OpenFiles()
    real = xr.open_dataset

    class CountedOpen:
        def __init__(self, *args, **kwargs):
            counter.change(+1)
            time.sleep(0.002)
            self.dataset = real(*args, **kwargs)

        def __enter__(self):
            return self.dataset

        def __exit__(self, *exc):
            self.dataset.close()
            counter.change(-1)

    counter.start = lambda: monkeypatch.setattr(xr, "open_dataset", CountedOpen)  # once the files are described
    return counter


def test_many_threads_reading_blocks_never_enter_hdf5_together(tmp_path, grids, open_files):
    rng = np.random.default_rng(3)
    paths = [tmp_path / f"V5GL03.HybridPM25.China.{y}01-{y}12.nc" for y in range(2015, 2019)]
    files = [open_grid(grids.acag_v5(path, rng.uniform(5, 90, (48, 40)), **CHINA)) for path in paths]
    blocks = [(f, row, row + 4) for f in files for row in range(0, 48, 4)]  # 4 files × 12 blocks
    open_files.start()
    expected = [f.read(r0, r1) for f, r0, r1 in blocks]
    assert open_files.most == 1 and open_files.now == 0
    with ThreadPoolExecutor(8) as pool:
        for _ in range(3):
            got = list(pool.map(lambda block: block[0].read(block[1], block[2]), blocks))
            for values, want in zip(got, expected, strict=True):
                np.testing.assert_array_equal(values, want)
    assert open_files.now == 0
    assert open_files.most == 1  # 144 reads on 8 threads, never two HDF5 files open at once
