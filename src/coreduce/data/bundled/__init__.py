"""The bundled panel: a compact copy of the canonical panel derived from public data and shipped with coreduce.

Regenerate it with ``coreduce data build --from ../shared/data --out src/coreduce/data/bundled``; see the
README.md beside this file for its contents and publishers.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas and pyarrow load when the panel is read, not when the digest is computed
    import pandas as pd

    from coreduce.data.panel import Panel

HERE = Path(__file__).parent


class BundledDataMissingError(FileNotFoundError):
    """The bundled files are absent (a source checkout before the first build)."""


def load_bundled(directory: Path | None = None) -> Panel:
    """The bundled :class:`Panel` (a new object on every call; nothing is cached)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from coreduce.data.panel import Panel
    from coreduce.data.schema import CATALOGUE_COLUMNS, PANEL_COLUMNS, SOURCES_COLUMNS

    directory = HERE if directory is None else Path(directory)
    path = directory / "panel.parquet"
    if not path.exists():
        raise BundledDataMissingError(
            f"{path}: the bundled panel is missing; build it with `coreduce data build --from ../shared/data`"
        )
    table = pq.read_table(path)
    # The file stores text columns dictionary-encoded; cast them to plain strings in Arrow, which is several
    # times faster than converting pandas categoricals afterwards (benchmarks/bench_panel.py).
    plain = pa.schema([pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type) else f for f in table.schema])
    data = table.cast(plain).to_pandas()
    data = data.loc[:, list(PANEL_COLUMNS)].sort_values(["geo", "year", "variable"], ignore_index=True)
    catalogue = pd.read_csv(directory / "catalogue.csv", dtype=str, keep_default_na=False)
    sources = pd.read_csv(directory / "sources.csv", dtype=str, keep_default_na=False)
    return Panel(
        data=data,
        catalogue=catalogue.loc[:, list(CATALOGUE_COLUMNS)],
        sources=sources.loc[:, list(SOURCES_COLUMNS)],
    )


def bundled_corrections(directory: Path | None = None) -> pd.DataFrame:
    """The corrections applied when the bundled panel was built (geo, year, variable, old/new value, source)."""
    import pandas as pd

    directory = HERE if directory is None else Path(directory)
    return pd.read_csv(directory / "corrections.csv", dtype={"geo": str})


def bundled_digest(directory: Path | None = None) -> str:
    """SHA-256 of the bundled files (panel, catalogue, sources, corrections): which bundled panel a store holds."""
    directory = HERE if directory is None else Path(directory)
    digest = hashlib.sha256()
    for name in ("panel.parquet", "catalogue.csv", "sources.csv", "corrections.csv"):
        digest.update((directory / name).read_bytes())
    return digest.hexdigest()
