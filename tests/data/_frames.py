"""Small canonical frames for the data-layer tests."""

from __future__ import annotations

import pandas as pd

from coreduce.data.panel import Panel
from helpers.panels import small_frames_panel


def rows(variable: str, geo: str, values: dict[int, float | None], unit: str = "1e8 CNY", source: str = "s1"):
    return pd.DataFrame(
        {
            "geo": geo,
            "year": list(values),
            "variable": variable,
            "value": [float("nan") if v is None else v for v in values.values()],
            "unit": unit,
            "source": source,
            "status": "reported",
        }
    )


def catalogue(*pairs: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [dict(variable=v, unit=u, definition=f"{v} test", publisher="Test Bureau", source="s1") for v, u in pairs],
        columns=["variable", "unit", "definition", "publisher", "source"],
    )


def sources(*ids: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(source=s, publisher=f"Publisher {s}", title="t", licence="CC BY 4.0", citation="c", files="f")
            for s in ids
        ],
        columns=["source", "publisher", "title", "licence", "citation", "files"],
    )


def small_panel() -> Panel:
    """Beijing and Shanghai GDP with a gap, a long sector name and coal share (``helpers.panels``)."""
    return small_frames_panel()
