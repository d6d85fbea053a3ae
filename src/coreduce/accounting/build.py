"""Build the compact factor library from the publishers' files, one builder per publisher, and write it atomically.

The builders (:mod:`coreduce.accounting.builders`) each turn one publisher's files into library rows; this module
joins them, gives every factor its id (``source:key:region:pollutant[:year]``) and refuses duplicates.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.accounting.builders import beis, bond, ceds, gains, gcam, grid
from coreduce.accounting.library import COLUMNS, KEY_FIELDS, LIBRARY_FILE, FactorError, data_dir
from coreduce.fileio import atomic_write
from coreduce.paths import shared_data_dir


def library_rows(root: Path) -> list[dict]:
    """Every builder's rows; the derived ones (PM2.5 from BC, grid and freight co-pollutants) after their inputs."""
    gains_rows = gains.gains(root)
    grid_rows = grid.grid(root)
    pm25 = gains.pm25_from_bc(root, gains_rows)
    rows = ceds.ceds_co2(root) + ceds.ceds_so2_china(root) + gains_rows + pm25 + bond.bond(root) + gcam.gcam(root)
    return rows + grid_rows + grid.grid_copollutants(root, grid_rows) + beis.beis(root, gains_rows + pm25)


def _factor_ids(frame: pd.DataFrame) -> pd.Series:
    """``source:key:region:pollutant``, then ``:year`` (not for electricity, whose key holds it) and any suffix."""
    ids = [
        f"{src}:{key}:{reg}:{pol}" + ("" if pd.isna(y) or at == "electricity" else f":{y}")
        for src, key, reg, pol, y, at in zip(
            frame["source"],
            frame["key"],
            frame["region"],
            frame["pollutant"],
            frame["year"],
            frame["activity_type"],
            strict=True,
        )
    ]
    suffix = frame["id_suffix"].fillna("") if "id_suffix" in frame else ""
    return pd.Series(ids, index=frame.index) + suffix


def build_factor_library(root: str | Path | None = None, out: str | Path | None = None) -> pd.DataFrame:
    """Derive the compact factor library from ``root`` (default ``shared/data/factors``) and write it atomically.

    ``out`` defaults to the package file ``coreduce/accounting/data/factor_library.csv``. Returns the frame.
    """
    root = Path(root) if root is not None else shared_data_dir() / "factors"
    if not root.is_dir():
        raise FactorError(f"factor folder {root} does not exist")
    frame = pd.DataFrame(library_rows(root))
    frame["year"] = frame["year"].astype("Int64")
    frame["key"] = [
        "/".join(str(r[f]) for f in KEY_FIELDS[r["activity_type"]])
        + (f"/{r['year']}" if r["activity_type"] == "electricity" else "")
        for r in frame.to_dict("records")
    ]
    frame["factor_id"] = _factor_ids(frame)
    dup = frame["factor_id"].duplicated(keep=False)
    if dup.any():
        raise FactorError(f"duplicate factor ids: {sorted(frame.loc[dup, 'factor_id'].unique())[:5]}")
    frame = frame[COLUMNS].sort_values(["activity_type", "factor_id"], ignore_index=True)
    with atomic_write(Path(out) if out else data_dir() / LIBRARY_FILE) as tmp:
        frame.to_csv(tmp, index=False, float_format="%.8g")
    return frame
