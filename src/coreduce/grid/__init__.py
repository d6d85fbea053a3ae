"""Gridded data (satellite PM2.5, gridded emissions) aggregated exactly to provinces or any polygons."""

from coreduce.grid.boundaries import admin_zones, province_boundaries, read_zones, zones_for
from coreduce.grid.errors import GridError

__all__ = ["GridError", "admin_zones", "province_boundaries", "read_zones", "zones_for"]
