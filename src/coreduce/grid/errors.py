"""The one error type of the grid package."""

from __future__ import annotations


class GridError(ValueError):
    """A grid or polygon input that cannot be used; the message names the file and what was expected."""
