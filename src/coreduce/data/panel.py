"""The :class:`Panel`: the canonical long table with its variable catalogue and its sources."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from coreduce.data.schema import CATALOGUE_COLUMNS, SOURCES_COLUMNS, validate_panel


class MissingSeriesError(KeyError):
    """A variable the panel does not hold; ``series`` names the absent variables when known."""

    def __init__(self, message: str, series: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.series = tuple(series)

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0])


@dataclass(frozen=True)
class Panel:
    """Long panel rows plus the catalogue (one row per variable) and the sources (one row per source id).

    The frames are read, never changed in place: the variable set and each variable's row positions are
    computed once per panel and reused by every lookup."""

    data: pd.DataFrame
    catalogue: pd.DataFrame
    sources: pd.DataFrame

    @classmethod
    def from_frames(cls, data: pd.DataFrame, catalogue: pd.DataFrame, sources: pd.DataFrame) -> Panel:
        return cls(
            data=validate_panel(data),
            catalogue=catalogue.loc[:, list(CATALOGUE_COLUMNS)].reset_index(drop=True),
            sources=sources.loc[:, list(SOURCES_COLUMNS)].reset_index(drop=True),
        )

    @cached_property
    def _rows(self) -> dict[str, np.ndarray]:
        """Each variable's row positions in ``data``, ascending (panel order)."""
        return {str(k): np.sort(v) for k, v in self.data.groupby("variable", sort=False).indices.items()}

    @property
    def variables(self) -> list[str]:
        return sorted(self._rows)

    def rows_of(self, variables: Iterable[str]) -> pd.DataFrame:
        """The rows of ``variables`` (those the panel holds) in panel order, as ``data[data.variable.isin(...)]``."""
        parts = [self._rows[v] for v in dict.fromkeys(variables) if v in self._rows]
        positions = np.sort(np.concatenate(parts)) if parts else np.empty(0, dtype=np.intp)
        return self.data.take(positions)

    def require(self, variables: Iterable[str]) -> None:
        """Raise :class:`MissingSeriesError` naming every variable in ``variables`` that the panel lacks."""
        absent = sorted(set(variables) - set(self._rows))
        if absent:
            raise MissingSeriesError(f"the panel has no series {', '.join(absent)}", tuple(absent))

    def series(self, variable: str, geos: Iterable[str] | None = None) -> pd.DataFrame:
        """Rows of one variable (optionally only some geographies), sorted by geo and year."""
        self.require([variable])
        rows = self.rows_of([variable])
        if geos is not None:
            rows = rows[rows["geo"].isin(list(geos))]
        return rows.sort_values(["geo", "year"]).reset_index(drop=True)

    def wide(self, variables: Iterable[str], geos: Iterable[str] | None = None) -> pd.DataFrame:
        """A (geo, year) × variable frame of values; absent combinations are NaN."""
        variables = list(variables)
        self.require(variables)
        rows = self.rows_of(variables)
        if geos is not None:
            rows = rows[rows["geo"].isin(list(geos))]
        table = rows.pivot_table(index=["geo", "year"], columns="variable", values="value", aggfunc="first")
        return table.reindex(columns=variables)

    def unit_of(self, variable: str) -> str:
        self.require([variable])
        return str(self.catalogue.loc[self.catalogue["variable"] == variable, "unit"].iloc[0])

    def status_counts(self) -> pd.Series:
        return self.data["status"].value_counts()

    def attribution(self, variables: Iterable[str] | None = None) -> pd.DataFrame:
        """Publisher and licence of the sources behind ``variables`` (all variables by default)."""
        rows = self.data if variables is None else self.rows_of(variables)
        used = rows["source"].unique()
        return self.sources[self.sources["source"].isin(used)].reset_index(drop=True)
