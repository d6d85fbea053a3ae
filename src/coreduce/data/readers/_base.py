"""The reader contract: what every publisher reader is and returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


class ReaderError(ValueError):
    """A raw file that does not match its publisher's format; the message names file, sheet, row and column."""


@dataclass(frozen=True)
class ReaderOutput:
    """What a reader returns: panel rows, their catalogue and their sources.

    ``data``: canonical panel rows (``validate_panel`` passes), status ``reported`` or ``derived``;
    ``catalogue``: one row per variable emitted (``CATALOGUE_COLUMNS``);
    ``sources``: one row per source id cited (``SOURCES_COLUMNS``).
    """

    data: pd.DataFrame
    catalogue: pd.DataFrame
    sources: pd.DataFrame


@dataclass(frozen=True)
class Reader:
    """A named reader; ``read(root)`` reads the publisher's files under the public data root."""

    name: str
    read: Callable[[Path], ReaderOutput]
