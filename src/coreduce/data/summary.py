"""What a panel holds, counted by DuckDB in SQL: variables with coverage, unit and publisher; the sources used with
their licences; values by status.

The counts run inside the store (no panel is loaded into pandas), which keeps ``coreduce data info`` a fraction of
a second; a panel held in memory (an Excel export, a folder) is registered with an in-memory DuckDB and counted
by the same queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from coreduce.paths import default_store_path

# co2_ceads.sector.chemicals → co2_ceads.sector.*: one line per breakdown family unless breakdowns are asked for
_FAMILY = r"regexp_replace(variable, '^([^.]+\.[^.]+)\..+$', '\1.*')"

_COVERAGE = """
WITH rows AS (
    SELECT {name} AS name, variable, geo, year FROM panel WHERE value IS NOT NULL AND NOT isnan(value)
), lines AS (
    SELECT name, min(year) AS first, max(year) AS last, count(DISTINCT geo) AS geos, count(*) AS n,
           count(DISTINCT variable) AS series, min(variable) AS member
    FROM rows GROUP BY name
)
SELECT l.name, coalesce(c.unit, ''), l.first, l.last, l.geos, l.n, l.series, coalesce(c.publisher, '')
FROM lines l LEFT JOIN catalogue c ON c.variable = l.member ORDER BY l.name
"""
_SERIES = "SELECT count(DISTINCT variable) FROM panel WHERE value IS NOT NULL AND NOT isnan(value)"
_SOURCES = """SELECT source, coalesce(publisher, ''), coalesce(licence, ''), coalesce(citation, '') FROM sources
WHERE source IN (SELECT DISTINCT source FROM panel) ORDER BY source"""
_STATUS = "SELECT status, count(*) AS n FROM panel GROUP BY status ORDER BY n DESC, status"


@dataclass(frozen=True)
class Coverage:
    """One line of :attr:`PanelSummary.variables`: a series (or a breakdown family ``name.*``)."""

    name: str
    unit: str
    first: int
    last: int
    geos: int
    rows: int
    series: int
    publisher: str


@dataclass(frozen=True)
class PanelSummary:
    variables: tuple[Coverage, ...]
    series: int
    sources: tuple[tuple[str, str, str, str], ...]  # source, publisher, licence, citation
    status: tuple[tuple[str, int], ...]

    @property
    def families(self) -> int:
        """Lines that stand for several series (breakdown families)."""
        return sum(1 for v in self.variables if v.series > 1)


def _summarise(con: duckdb.DuckDBPyConnection, breakdowns: bool) -> PanelSummary:
    query = _COVERAGE.format(name="variable" if breakdowns else _FAMILY)
    return PanelSummary(
        variables=tuple(Coverage(*row) for row in con.execute(query).fetchall()),
        series=con.execute(_SERIES).fetchall()[0][0],
        sources=tuple(con.execute(_SOURCES).fetchall()),
        status=tuple(con.execute(_STATUS).fetchall()),
    )


def summarise_store(path: str | Path, breakdowns: bool = False) -> PanelSummary:
    """The summary of the DuckDB store at ``path`` (opened read-only)."""
    with duckdb.connect(str(path), read_only=True) as con:
        return _summarise(con, breakdowns)


def _current(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the store needs no seeding: it holds rows, and none or the current bundled panel's (the test of
    :func:`coreduce.data.store.seeded_store`)."""
    from coreduce.data.bundled import bundled_digest

    try:
        if con.execute("SELECT count(*) FROM panel").fetchall()[0][0] == 0:
            return False
        seeded = con.execute("SELECT value FROM meta WHERE key = 'seeded_from'").fetchall()
    except duckdb.CatalogException:  # a store written before the meta table
        return False
    return not seeded or seeded[0][0] == bundled_digest()


def summarise_default(breakdowns: bool = False) -> PanelSummary:
    """The summary of the embedded store, seeding it first (:func:`~coreduce.data.store.seeded_store`) when it is
    new or holds an older bundled panel; a store already up to date is read without loading pandas."""
    path = default_store_path()
    if path.exists():
        with duckdb.connect(str(path), read_only=True) as con:
            if _current(con):
                return _summarise(con, breakdowns)
    from coreduce.data.store import seeded_store

    return summarise_store(seeded_store().path, breakdowns)


def summarise_panel(panel, breakdowns: bool = False) -> PanelSummary:
    """The summary of a :class:`~coreduce.data.panel.Panel` held in memory."""
    with duckdb.connect() as con:
        for name in ("data", "catalogue", "sources"):
            con.register("panel" if name == "data" else name, getattr(panel, name))
        return _summarise(con, breakdowns)
