"""The :class:`Panel`: the canonical long table with its variable catalogue and its sources."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
    """Long panel rows plus the catalogue (one row per variable) and the sources (one row per source id)."""

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

    @property
    def variables(self) -> list[str]:
        return sorted(self.data["variable"].unique())

    def require(self, variables: Iterable[str]) -> None:
        """Raise :class:`MissingSeriesError` naming every variable in ``variables`` that the panel lacks."""
        absent = sorted(set(variables) - set(self.data["variable"].unique()))
        if absent:
            raise MissingSeriesError(f"the panel has no series {', '.join(absent)}", tuple(absent))

    def series(self, variable: str, geos: Iterable[str] | None = None) -> pd.DataFrame:
        """Rows of one variable (optionally only some geographies), sorted by geo and year."""
        self.require([variable])
        rows = self.data[self.data["variable"] == variable]
        if geos is not None:
            rows = rows[rows["geo"].isin(list(geos))]
        return rows.sort_values(["geo", "year"]).reset_index(drop=True)

    def wide(self, variables: Iterable[str], geos: Iterable[str] | None = None) -> pd.DataFrame:
        """A (geo, year) × variable frame of values; absent combinations are NaN."""
        variables = list(variables)
        self.require(variables)
        rows = self.data[self.data["variable"].isin(variables)]
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
        rows = self.data if variables is None else self.data[self.data["variable"].isin(list(variables))]
        used = rows["source"].unique()
        return self.sources[self.sources["source"].isin(used)].reset_index(drop=True)
