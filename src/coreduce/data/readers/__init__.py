"""Publisher readers: one module per publisher format, each turning raw public files into canonical rows.

Every reader takes the public data root (:func:`coreduce.paths.shared_data_dir`) and returns a
:class:`ReaderOutput`: canonical panel rows (``validate_panel`` passes), a catalogue row per variable it
emits and a sources row per source id it cites. :data:`READERS` lists them in build order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


class ReaderError(ValueError):
    """A raw file that does not match its publisher's format; the message names file, sheet, row and column."""


@dataclass(frozen=True)
class ReaderOutput:
    """What a reader returns: panel rows, their catalogue and their sources."""

    data: pd.DataFrame
    catalogue: pd.DataFrame
    sources: pd.DataFrame


@dataclass(frozen=True)
class Reader:
    """A named reader; ``read(root)`` reads the publisher's files under the public data root."""

    name: str
    read: Callable[[Path], ReaderOutput]


READERS: tuple[Reader, ...] = ()

__all__ = ["READERS", "Reader", "ReaderError", "ReaderOutput"]
