"""Open a panel from wherever a user keeps it: the embedded store, another store, an Excel export or a folder."""

from __future__ import annotations

from pathlib import Path

from coreduce.data.bundled import load_bundled
from coreduce.data.export import read_export
from coreduce.data.panel import Panel
from coreduce.data.store import Store, seeded_store


def open_panel(path: str | Path | None) -> Panel:
    """The panel of the embedded store when ``path`` is None, else the panel stored at ``path``.

    The embedded store (:func:`coreduce.data.store.seeded_store`) is filled from the bundled panel on first use
    and also holds any series added since (e.g. by ``coreduce grid aggregate``).

    ``path`` may be a DuckDB store (``.duckdb``, :class:`coreduce.data.store.Store`), an Excel export
    (``.xlsx`` with sheets data, catalogue, sources) or a folder laid out like the bundled panel
    (``panel.parquet``, ``catalogue.csv``, ``sources.csv``). CSV, Parquet and Stata exports carry no catalogue or
    sources, so they cannot give the units and attribution that analyses and the report print, and are refused
    with that reason.
    """
    if path is None:
        return seeded_store().panel()
    source = Path(path)
    if not source.exists():
        raise FileNotFoundError(f"panel not found: {source}")
    if source.is_dir():
        if not (source / "panel.parquet").exists():
            raise ValueError(f"{source}: a panel folder needs panel.parquet, catalogue.csv and sources.csv")
        return load_bundled(source)
    suffix = source.suffix.lower()
    if suffix in (".duckdb", ".db"):
        return Store(source).panel()
    if suffix == ".xlsx":
        sheets = read_export(source, "xlsx")
        return Panel.from_frames(sheets["data"], sheets["catalogue"], sheets["sources"])
    if suffix in (".csv", ".parquet", ".dta"):
        raise ValueError(
            f"{source}: a {suffix} export holds no catalogue or sources, which give units and attribution; "
            "pass a store (.duckdb), an Excel export (.xlsx) or a bundled-layout folder"
        )
    raise ValueError(f"{source}: unknown panel format {suffix or '(no suffix)'}; expected .duckdb, .xlsx or a folder")
