"""The result of an aggregation: the zone table, its conventions, catalogue and sources."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from coreduce.fileio import atomic_write
from coreduce.grid.errors import GridError


@dataclass
class GridAggregation:
    """Zone statistics of gridded files, in the style of a statsmodels results object.

    ``table`` has one row per (zone, year, variable): ``value`` in ``unit``, ``coverage`` (share of the
    zone's area covered by cells with data), ``n_valid``/``n_nodata`` cells, and the ``product`` and ``file``
    it came from. ``conventions`` records every choice that changes the numbers.
    """

    table: pd.DataFrame
    conventions: dict
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    catalogue: pd.DataFrame = field(default_factory=pd.DataFrame)
    allow_impossible: bool = False

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def wide(self) -> pd.DataFrame:
        """Zones × years table of values (one table per variable stacked by a column level)."""
        return self.table.pivot_table(index=["zone", "name"], columns=["variable", "year"], values="value")

    def summary(self) -> str:
        t = self.table
        lines = [
            "Gridded data aggregated to zones",
            "=" * 60,
            f"zones: {t['zone'].nunique()}   years: {t['year'].min()}–{t['year'].max()}   rows: {len(t)}",
            f"variables: {', '.join(sorted(t['variable'].unique()))}",
            f"coverage: min {t['coverage'].min():.3f}, median {t['coverage'].median():.3f}",
            f"zones×years without data: {int(t['value'].isna().sum())}",
            "-" * 60,
            "conventions:",
        ]
        lines += [f"  {k}: {v}" for k, v in self.conventions.items()]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        conventions = "".join(
            f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
            for k, v in self.conventions.items()
        )
        return (
            "<h4>Gridded data aggregated to zones</h4>"
            + self.table.head(50).to_html(index=False)
            + f"<table><caption>conventions</caption>{conventions}</table>"
        )

    def to_panel(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Canonical (panel rows, catalogue, sources); rows without data are left out (missing stays missing)."""
        rows = self.table.dropna(subset=["value"])
        unitless = sorted(set(rows.loc[rows["unit"].astype(str).str.strip() == "", "file"]))
        if unitless:
            raise GridError(
                f"{', '.join(unitless[:3])}: the file states no unit for its values, so they cannot become panel "
                "series; state it with unit= / --unit (e.g. ug/m3)"
            )
        data = pd.DataFrame(
            {
                "geo": rows["zone"].astype(str),
                "year": rows["year"].astype(int),
                "variable": rows["variable"],
                "value": rows["value"].astype(float),
                "unit": rows["unit"],
                "source": rows["source"],
                "status": "derived",
            }
        ).reset_index(drop=True)
        return data, self.catalogue.copy(), self.sources.copy()

    def to_store(self, store=None, *, replace: bool = False) -> int:
        """Add the series to the panel store (atomic; refuses existing keys unless ``replace``)."""
        from coreduce.data.store import Store

        target = store if isinstance(store, Store) else Store(store)
        data, catalogue, sources = self.to_panel()
        files = ", ".join(sorted(set(self.table["file"].astype(str))))
        return target.add_series(
            data, catalogue, sources, replace=replace, allow_impossible=self.allow_impossible, origin=files
        )

    def check_values(self) -> int:
        """Refuse (:class:`GridError` naming the file, zone, year and value) impossible zone values: non-finite
        (an infinite cell), negative, or beyond the physical bound of the variable (PM2.5 above 1,000 µg/m³), as
        a corrupt or mislabelled file gives; with ``allow_impossible`` keep them and return how many were kept
        (the store records each as an override)."""
        from coreduce.data.gate import ImpossibleValueError, impossible_values, place_name

        rows = self.table.rename(columns={"zone": "geo"})
        units = dict(zip(rows["variable"], rows["unit"].astype(str), strict=False))
        found = impossible_values(rows.loc[:, ["geo", "year", "variable", "value", "unit"]], units)
        if found.empty or self.allow_impossible:
            return len(found)
        files = self.table.set_index(["zone", "year", "variable"])["file"]
        shown = "; ".join(
            f"{files.get((r.geo, r.year, r.variable), '?')}: {r.variable} in {place_name(r.geo)} {r.year} = "
            f"{r.value:g} ({r.detail})"
            for r in found.head(5).itertuples(index=False)
        )
        raise GridError(
            f"{len(found)} impossible zone value(s), nothing was stored or written: {shown}. Check the files, or "
            "pass --allow-impossible to keep them (recorded as overrides)"
        ) from ImpossibleValueError(shown)

    def to_csv(self, path: str | Path) -> Path:
        """Write ``table`` to ``path`` atomically (a temporary file renamed into place)."""
        with atomic_write(path) as tmp:
            self.table.to_csv(tmp, index=False)
        return Path(path)
