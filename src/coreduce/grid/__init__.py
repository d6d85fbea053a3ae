"""Gridded data (satellite PM2.5, gridded emissions) aggregated exactly to provinces or any polygons.

The zones come from :mod:`coreduce.geo.boundaries`.
"""

from coreduce.grid.errors import GridError

__all__ = ["GridError"]
