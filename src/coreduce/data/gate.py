"""The gate every write of panel values passes: impossible values stop it, unless the user overrides, on record.

A value is impossible when it is negative for a quantity that cannot be (emissions, concentrations, GDP …),
non-finite, a share outside [0, 1] or a percentage outside [0, 100], or above the physical bound of its
variable (:data:`coreduce.data.crosscheck.BOUNDS`, e.g. PM2.5 above 1,000 µg/m³). ``coreduce data build``,
:meth:`coreduce.data.store.Store.add_series` and ``coreduce grid aggregate`` call :func:`gate` before they store
anything: it raises :class:`ImpossibleValueError` naming the file, the place, the year and the value, or, when the
user passed the explicit override (``--allow-impossible`` / ``allow_impossible=True``), returns one override
record per value for the store's ``corrections`` log, so the override is never silent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from coreduce.data import crosscheck
from coreduce.data.repair import CORRECTION_COLUMNS

OVERRIDE_SOURCE = "override:allow_impossible"
SHOWN = 5


class ImpossibleValueError(ValueError):
    """Values that cannot be true (the message names file, place, year, variable and value); nothing was stored."""


def impossible_values(frame: pd.DataFrame, units: Mapping[str, str]) -> pd.DataFrame:
    """The impossible values of a long frame (``geo, year, variable, value, unit``) as check findings."""
    from coreduce.data.checks import check_impossible

    frame = frame.assign(value=pd.to_numeric(frame["value"], errors="coerce"))
    parts = [check_impossible(frame, units), pd.DataFrame(crosscheck.check_bounds(frame, units))]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=["check", "geo", "year", "variable", "value", "detail"])
    return pd.concat(parts, ignore_index=True).drop_duplicates(["geo", "year", "variable"]).reset_index(drop=True)


def place_name(geo: str) -> str:
    """``Inner Mongolia (150000)`` for a province code, ``China (100000)``, else the code itself."""
    from coreduce.geo import NATIONAL_CODE, by_code

    if geo == NATIONAL_CODE:
        return f"China ({geo})"
    province = by_code().get(geo)
    return f"{province.name_en} ({geo})" if province else str(geo)


def gate(
    frame: pd.DataFrame,
    units: Mapping[str, str],
    origin: str | Callable[[pd.Series], str],
    *,
    allow: bool = False,
    flag: str = "--allow-impossible",
) -> pd.DataFrame:
    """Raise :class:`ImpossibleValueError` for the impossible values of ``frame``, or with ``allow`` return their
    override records (``CORRECTION_COLUMNS``: old and new value equal, source :data:`OVERRIDE_SOURCE`).

    ``origin`` names the file the values come from: a text, or a function of a finding row (e.g. the files of its
    source id). ``flag`` is how the caller's user overrides (named in the message).
    """
    found = impossible_values(frame, units)
    if found.empty:
        return pd.DataFrame(columns=list(CORRECTION_COLUMNS))
    if not allow:
        where = origin if isinstance(origin, str) else None
        shown = []
        for r in found.head(SHOWN).itertuples(index=False):
            at = where or origin(pd.Series(r._asdict()))
            shown.append(f"{at}: {r.variable} at {place_name(r.geo)} in {r.year} = {r.value:g} ({r.detail})")
        more = f"; … {len(found) - SHOWN} more" if len(found) > SHOWN else ""
        raise ImpossibleValueError(
            f"{len(found)} impossible value(s), nothing was stored: " + "; ".join(shown) + more + f". Fix the "
            f"input, or pass {flag} to keep them (each kept value is recorded as an override)"
        )
    return pd.DataFrame(
        {
            "geo": found["geo"].astype(str),
            "year": found["year"].astype(int),
            "variable": found["variable"],
            "old_value": found["value"].astype(float),
            "new_value": found["value"].astype(float),
            "source": OVERRIDE_SOURCE,
            "note": "impossible value kept at the user's request: " + found["detail"].astype(str),
        }
    ).loc[:, list(CORRECTION_COLUMNS)]
