"""Small canonical frames for the data-layer tests."""

from __future__ import annotations

import pandas as pd

from coreduce.data.panel import Panel


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
    data = pd.concat(
        [
            rows("gdp", "110000", {2008: 11115.0, 2009: 12153.0, 2010: None, 2011: 16252.0}),
            rows("gdp", "310000", {2008: 14069.9, 2009: 15046.5, 2010: 17166.0, 2011: 19195.7}),
            rows(
                "co2_ceads.sector.Production and Supply of Electric Power, Steam and Hot Water",
                "110000",
                {2008: 21.5, 2009: 22.0},
                unit="Mt",
            ),
            rows("coal_share", "110000", {2008: 0.24, 2009: 0.21}, unit="fraction"),
        ],
        ignore_index=True,
    )
    cat = catalogue(
        ("gdp", "1e8 CNY"),
        ("co2_ceads.sector.Production and Supply of Electric Power, Steam and Hot Water", "Mt"),
        ("coal_share", "fraction"),
    )
    return Panel.from_frames(data, cat, sources("s1"))
