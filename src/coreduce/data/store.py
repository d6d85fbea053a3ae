"""An embedded DuckDB store of the panel: tables ``panel``, ``catalogue``, ``sources`` and ``corrections``.

The store lives at ``path``, else ``$COREDUCE_STORE``, else ``coreduce.paths.user_dir() / "coreduce.duckdb"``.
Every write runs in one transaction: a write that fails (a frame that breaks the schema, keys that already
exist, an error half-way through) is rolled back and leaves the store exactly as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

from coreduce.data.panel import Panel
from coreduce.data.repair import CORRECTION_COLUMNS
from coreduce.data.schema import (
    CATALOGUE_COLUMNS,
    KEY,
    PANEL_COLUMNS,
    SOURCES_COLUMNS,
    TEXT_COLUMNS,
    labels_valid,
    validate_panel,
)
from coreduce.paths import default_store_path

_DDL = {
    "panel": """CREATE TABLE IF NOT EXISTS panel (geo VARCHAR NOT NULL, year INTEGER NOT NULL,
        variable VARCHAR NOT NULL, value DOUBLE, unit VARCHAR NOT NULL, source VARCHAR NOT NULL,
        status VARCHAR NOT NULL, PRIMARY KEY (geo, year, variable))""",
    "catalogue": """CREATE TABLE IF NOT EXISTS catalogue (variable VARCHAR PRIMARY KEY, unit VARCHAR NOT NULL,
        definition VARCHAR, publisher VARCHAR, source VARCHAR)""",
    "sources": """CREATE TABLE IF NOT EXISTS sources (source VARCHAR PRIMARY KEY, publisher VARCHAR, title VARCHAR,
        licence VARCHAR, citation VARCHAR, files VARCHAR)""",
    "corrections": """CREATE TABLE IF NOT EXISTS corrections (geo VARCHAR NOT NULL, year INTEGER NOT NULL,
        variable VARCHAR NOT NULL, old_value DOUBLE, new_value DOUBLE, source VARCHAR, note VARCHAR)""",
}
_COLUMNS = {
    "panel": PANEL_COLUMNS,
    "catalogue": CATALOGUE_COLUMNS,
    "sources": SOURCES_COLUMNS,
    "corrections": CORRECTION_COLUMNS,
}


# Which bundled panel (digest) and which of its source ids a seeded store holds; absent in stores not seeded.
_META_DDL = "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)"


class StoreError(RuntimeError):
    """A write the store refuses (existing keys, inconsistent catalogue) or a store file it cannot open."""


def _frame(frame: pd.DataFrame | None, table: str) -> pd.DataFrame:
    columns = list(_COLUMNS[table])
    if frame is None:
        return pd.DataFrame(columns=columns)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise StoreError(f"{table}: missing column(s) {', '.join(missing)}; expected {tuple(columns)}")
    return frame.loc[:, columns].reset_index(drop=True)


class Store:
    """The DuckDB store. Opening creates the file and its tables when absent."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_store_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self._connect() as con:
                for ddl in (*_DDL.values(), _META_DDL):
                    con.execute(ddl).fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from exc

    def _connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.path))

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- writes -------------------------------------------------------------------------------------------
    def _transaction(self, steps) -> None:
        """Run ``steps(con)`` inside BEGIN … COMMIT; roll back on any exception and re-raise it."""
        con = self._connect()
        try:
            con.execute("BEGIN TRANSACTION").fetchall()
            try:
                steps(con)
            except BaseException:
                con.execute("ROLLBACK").fetchall()
                raise
            con.execute("COMMIT").fetchall()
        finally:
            con.close()

    @staticmethod
    def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
        if len(frame):
            con.register("_incoming", frame)
            try:
                con.execute(f"INSERT INTO {table} SELECT {', '.join(_COLUMNS[table])} FROM _incoming").fetchall()
            finally:
                con.unregister("_incoming")

    def write_panel(self, panel: Panel, corrections: pd.DataFrame | None = None, *, seeded_from: str = "") -> None:
        """Replace the whole store by ``panel`` (and the corrections log, when given) in one transaction.

        ``seeded_from`` is the digest of the bundled panel being written (:func:`seeded_store`); any other write
        makes the store the user's own, which :func:`seeded_store` never refreshes.
        """
        data = validate_panel(panel.data, origin="write_panel")
        frames = {
            "panel": data,
            "catalogue": _frame(panel.catalogue, "catalogue"),
            "sources": _frame(panel.sources, "sources"),
            "corrections": _frame(corrections, "corrections"),
        }

        def steps(con):
            for table, frame in frames.items():
                con.execute(f"DELETE FROM {table}").fetchall()
                self._insert(con, table, frame)
            self._set_seed(con, seeded_from, sorted(set(data["source"])))

        self._transaction(steps)

    @staticmethod
    def _set_seed(con: duckdb.DuckDBPyConnection, digest: str, sources: list[str]) -> None:
        con.execute("DELETE FROM meta").fetchall()
        if digest:
            for key, value in (("seeded_from", digest), ("seeded_sources", json.dumps(sources))):
                con.execute("INSERT INTO meta VALUES (?, ?)", [key, value]).fetchall()

    def seeded_from(self) -> str | None:
        """The digest of the bundled panel this store was seeded from, or None for a store written otherwise."""
        with self._connect() as con:
            rows = con.execute("SELECT value FROM meta WHERE key = 'seeded_from'").fetchall()
        return rows[0][0] if rows else None

    def refresh_seed(self, panel: Panel, corrections: pd.DataFrame, digest: str) -> None:
        """Replace the rows a seeded store took from an older bundled panel by ``panel``, in one transaction.

        Rows of the old bundled sources go; series the user added (other sources) stay unless the new bundled
        panel has the same (geo, year, variable), which it then replaces. The corrections log becomes the new one.
        """
        data = validate_panel(panel.data, origin="refresh_seed")
        catalogue, sources = _frame(panel.catalogue, "catalogue"), _frame(panel.sources, "sources")

        def steps(con):
            old = con.execute("SELECT value FROM meta WHERE key = 'seeded_sources'").fetchall()
            con.register("_old", pd.DataFrame({"source": json.loads(old[0][0]) if old else []}, dtype=str))
            con.register("_keys", data[list(KEY)])
            try:
                con.execute("DELETE FROM panel WHERE source IN (SELECT source FROM _old)").fetchall()
                con.execute(
                    "DELETE FROM panel WHERE (geo, year, variable) IN (SELECT geo, year, variable FROM _keys)"
                ).fetchall()
                con.execute("DELETE FROM sources WHERE source IN (SELECT source FROM _old)").fetchall()
            finally:
                con.unregister("_old")
                con.unregister("_keys")
            for table, frame, key in (("catalogue", catalogue, "variable"), ("sources", sources, "source")):
                con.register("_ids", frame[[key]])
                try:
                    con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM _ids)").fetchall()
                finally:
                    con.unregister("_ids")
            con.execute("DELETE FROM catalogue WHERE variable NOT IN (SELECT DISTINCT variable FROM panel)").fetchall()
            con.execute("DELETE FROM corrections").fetchall()
            for table, frame in (
                ("panel", data),
                ("catalogue", catalogue),
                ("sources", sources),
                ("corrections", _frame(corrections, "corrections")),
            ):
                self._insert(con, table, frame)
            self._set_seed(con, digest, sorted(set(data["source"])))

        self._transaction(steps)

    def add_series(
        self,
        data: pd.DataFrame,
        catalogue: pd.DataFrame,
        sources: pd.DataFrame,
        *,
        replace: bool = False,
        allow_impossible: bool = False,
        origin: str = "add_series",
    ) -> int:
        """Append rows of new series, with their catalogue and sources rows; return the number of rows added.

        Impossible values (negative emissions, non-finite values, PM2.5 above 1,000 µg/m³ …, see
        :mod:`coreduce.data.gate`) are refused (:class:`StoreError` naming ``origin``, place, year and value; store
        unchanged) unless ``allow_impossible=True``, which stores them and records each as an override in the
        ``corrections`` table in the same transaction.

        Refuses (:class:`StoreError`, store unchanged) rows whose (geo, year, variable) key is already stored
        unless ``replace=True``, in which case those rows are replaced. Catalogue and sources rows replace the
        stored rows of the same variable / source id. Every variable of ``data`` needs a catalogue row (here or
        already stored) and every source id a sources row.
        """
        rows = validate_panel(data, origin="add_series")
        catalogue = _frame(catalogue, "catalogue")
        sources = _frame(sources, "sources")
        overrides = self._gate(rows, catalogue, origin, allow_impossible)

        def steps(con):
            con.register("_keys", rows[list(KEY)])
            try:
                clash = con.execute(
                    "SELECT p.geo, p.year, p.variable FROM panel p JOIN _keys k USING (geo, year, variable) LIMIT 5"
                ).fetchall()
                n_clash = con.execute(
                    "SELECT count(*) FROM panel p JOIN _keys k USING (geo, year, variable)"
                ).fetchall()[0][0]
                if clash and not replace:
                    shown = "; ".join(f"{g} {y} {v}" for g, y, v in clash)
                    raise StoreError(
                        f"add_series: {n_clash} row(s) already stored (e.g. {shown}); pass replace=True to replace them"
                    )
                con.execute(
                    "DELETE FROM panel WHERE (geo, year, variable) IN (SELECT geo, year, variable FROM _keys)"
                ).fetchall()
            finally:
                con.unregister("_keys")
            for table, frame, key in (("catalogue", catalogue, "variable"), ("sources", sources, "source")):
                if len(frame):
                    con.register("_ids", frame[[key]])
                    try:
                        con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM _ids)").fetchall()
                    finally:
                        con.unregister("_ids")
                    self._insert(con, table, frame)
            self._insert(con, "panel", rows)
            self._insert(con, "corrections", overrides)
            for table, column, key in (("catalogue", "variable", "variable"), ("sources", "source", "source")):
                missing = con.execute(
                    f"SELECT DISTINCT {column} FROM panel WHERE {column} NOT IN (SELECT {key} FROM {table}) LIMIT 5"
                ).fetchall()
                if missing:
                    raise StoreError(f"add_series: no {table} row for {', '.join(m[0] for m in missing)}")

        self._transaction(steps)
        return len(rows)

    def _gate(self, rows: pd.DataFrame, catalogue: pd.DataFrame, origin: str, allow: bool) -> pd.DataFrame:
        from coreduce.data.gate import ImpossibleValueError, gate

        units = dict(zip(self.table("catalogue")["variable"], self.table("catalogue")["unit"], strict=True))
        units.update(zip(catalogue["variable"], catalogue["unit"], strict=True))
        try:
            return gate(rows, units, origin, allow=allow, flag="allow_impossible=True (CLI: --allow-impossible)")
        except ImpossibleValueError as exc:
            raise StoreError(f"add_series: {exc}") from exc

    # -- reads --------------------------------------------------------------------------------------------
    @staticmethod
    def _read(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
        """The rows of table ``name`` in key order, through Arrow: a third of the CPU of DuckDB's ``.df()`` on
        the panel (its five text columns become Python strings once per distinct value), the same frame, as the
        tables' integer columns are NOT NULL (a nullable one would come as float instead of pandas' Int32)."""
        order = ", ".join(c for c in ("geo", "year", "variable", "source") if c in _COLUMNS[name])
        return con.sql(f"SELECT {', '.join(_COLUMNS[name])} FROM {name} ORDER BY {order}").to_arrow_table().to_pandas()

    def table(self, name: str) -> pd.DataFrame:
        if name not in _DDL:
            raise StoreError(f"no table {name!r}; the store holds {', '.join(_DDL)}")
        with self._connect() as con:
            return self._read(con, name)

    def seed_state(self) -> tuple[bool, str | None]:
        """Whether the store holds no panel rows, and the digest of the bundled panel it was seeded from (None
        for a store written otherwise): what :func:`seeded_store` needs, read over one connection."""
        with self._connect() as con:
            empty = con.execute("SELECT count(*) FROM panel").fetchall()[0][0] == 0
            rows = con.execute("SELECT value FROM meta WHERE key = 'seeded_from'").fetchall()
        return empty, rows[0][0] if rows else None

    def panel(self) -> Panel:
        """The stored panel (rows sorted by geo, year, variable), read over one connection.

        The panel table's types, NOT NULL columns and primary key already hold what
        :func:`~coreduce.data.schema.validate_panel` checks of years, values and keys; its text columns are
        checked on their distinct values (a few hundred). Only when one is blank, or a status unknown (a store
        written other than through this class), does the full check run on the rows, naming them.
        """
        with self._connect() as con:
            data, catalogue, sources = (self._read(con, name) for name in ("panel", "catalogue", "sources"))
            lists = ", ".join(f"list(DISTINCT {c})" for c in TEXT_COLUMNS)
            distinct = dict(zip(TEXT_COLUMNS, con.execute(f"SELECT {lists} FROM panel").fetchall()[0], strict=True))
        if not labels_valid(distinct):
            data = validate_panel(data, origin=str(self.path))
        return Panel(data=data, catalogue=catalogue, sources=sources)

    def corrections(self) -> pd.DataFrame:
        return self.table("corrections")

    def info(self) -> dict:
        """Path, row counts per table, number of variables and geographies, year range and status counts."""
        with self._connect() as con:
            counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in _DDL}
            nvar, ngeo, y0, y1 = con.execute(
                "SELECT count(DISTINCT variable), count(DISTINCT geo), min(year), max(year) FROM panel"
            ).fetchall()[0]
            status = dict(con.execute("SELECT status, count(*) FROM panel GROUP BY status ORDER BY 1").fetchall())
        return {
            "path": str(self.path),
            "rows": counts,
            "variables": nvar,
            "geographies": ngeo,
            "years": (y0, y1),
            "status": status,
        }


def seeded_store(path: str | Path | None = None) -> Store:
    """The store at ``path`` (default :func:`default_store_path`), filled from the bundled panel when it is empty.

    This is the embedded store every command reads by default: the first use writes the bundled panel and its
    corrections log into it (one transaction); series added later (``coreduce grid aggregate``, a user's
    ``Store.add_series``) sit beside the bundled ones and reach every analysis and the report. When coreduce
    ships a newer bundled panel, the rows the store took from the old one are replaced and the added series kept.
    A store the user wrote as a whole (``coreduce data build``) is never changed here.
    """
    from coreduce.data.bundled import bundled_corrections, bundled_digest, load_bundled

    store = Store(path)
    digest = bundled_digest()
    empty, seeded = store.seed_state()
    if empty:
        store.write_panel(load_bundled(), bundled_corrections(), seeded_from=digest)
    elif seeded not in (None, digest):  # seeded by an older coreduce: bring its bundled rows up to date
        store.refresh_seed(load_bundled(), bundled_corrections(), digest)
    return store
