"""Repairs of a canonical panel: corrections from a cited file, and linear interpolation inside a series.

Neither repair invents anything silently. A correction replaces a value only when (1) a correction file gives
the new value with its citation, (2) the value it replaces is the one in the panel, and (3) the project's own
checks (:mod:`coreduce.data.checks`) flag that value. Interpolation fills only the years strictly between two
values of the same series (no extrapolation unless asked), and every value it creates has status
``interpolated``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from coreduce.data.checks import KNOWN_BREAKS
from coreduce.data.schema import KEY, SOURCES_COLUMNS, Status
from coreduce.geo import UnknownProvinceError, resolve

CORRECTION_COLUMNS = ("geo", "year", "variable", "old_value", "new_value", "source", "note")
"""Columns of the corrections log (and of the store's ``corrections`` table)."""

CORRECTION_FILE_COLUMNS = ("province_code", "year", "variable", "value", "unit", "replaces_value", "source", "note")

VARIABLE_ALIASES = {"gdp_nominal": "gdp"}
"""Names used in correction files for canonical variables."""


class CorrectionError(ValueError):
    """A correction file that is malformed or does not match the panel; the message names file, row and field."""


@dataclass(frozen=True)
class CorrectionResult:
    """The repaired rows, the applied corrections (``CORRECTION_COLUMNS``), the skipped ones and new sources."""

    data: pd.DataFrame
    applied: pd.DataFrame
    skipped: pd.DataFrame
    sources: pd.DataFrame


def read_corrections(path: Path) -> pd.DataFrame:
    """Read a correction file (columns :data:`CORRECTION_FILE_COLUMNS`) into canonical keys.

    Returns columns geo, year, variable, value, unit, replaces_value, source, note, row (the file's line number).
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as exc:
        raise CorrectionError(f"{path}: cannot read the correction file ({exc})") from exc
    missing = [c for c in CORRECTION_FILE_COLUMNS if c not in raw.columns]
    if missing:
        raise CorrectionError(f"{path}: missing column(s) {', '.join(missing)}; expected {CORRECTION_FILE_COLUMNS}")
    rows = []
    for i, r in raw.iterrows():
        line = i + 2  # header is line 1
        try:
            geo = resolve(r["province_code"]).code
        except UnknownProvinceError as exc:
            raise CorrectionError(f"{path}, line {line}, column province_code: {exc}") from exc
        numbers = {}
        for column in ("year", "value", "replaces_value"):
            try:
                numbers[column] = float(r[column])
            except ValueError:
                raise CorrectionError(
                    f"{path}, line {line}, column {column}: expected a number, got {r[column]!r}"
                ) from None
        if numbers["year"] != int(numbers["year"]):
            raise CorrectionError(f"{path}, line {line}, column year: expected an integer year, got {r['year']!r}")
        if not r["source"].strip():
            raise CorrectionError(f"{path}, line {line}, column source: every correction must cite its source")
        rows.append(
            dict(
                geo=geo,
                year=int(numbers["year"]),
                variable=VARIABLE_ALIASES.get(r["variable"], r["variable"]),
                value=numbers["value"],
                unit=r["unit"].strip(),
                replaces_value=numbers["replaces_value"],
                source=r["source"].strip(),
                note=r["note"].strip(),
                row=line,
            )
        )
    return pd.DataFrame(
        rows, columns=["geo", "year", "variable", "value", "unit", "replaces_value", "source", "note", "row"]
    )


def _source_id(citation: str) -> str:
    """A short id for a cited source: ``correction:`` + its first two words + the years it names."""
    words = re.findall(r"[a-z]+", citation.lower())[:2]
    years = re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", citation)
    return "correction:" + "_".join(words + years)


def apply_corrections(
    data: pd.DataFrame,
    corrections: pd.DataFrame,
    flagged: pd.DataFrame,
    *,
    units: dict[str, str] | None = None,
    origin: str = "corrections",
    rtol: float = 1e-4,
) -> CorrectionResult:
    """Replace flagged values of ``data`` by the cited values in ``corrections`` (from :func:`read_corrections`).

    A correction is applied when its (geo, year, variable) is in ``flagged`` (check findings) and the panel
    value equals ``replaces_value`` (relative tolerance ``rtol``); otherwise it is skipped with the reason. A
    unit that differs from the panel's (``units``, variable → unit) is an error. Corrected rows get status
    ``corrected`` and a source id of their own whose sources row carries the citation.
    """
    out = data.copy()
    index = {key: i for i, key in enumerate(zip(out["geo"], out["year"], out["variable"], strict=True))}
    flagged_keys = set(zip(flagged["geo"], flagged["year"], flagged["variable"], strict=True))
    applied, skipped, sources = [], [], {}
    for c in corrections.itertuples(index=False):
        key = (c.geo, c.year, c.variable)
        where = f"{origin}, line {c.row}"
        if units is not None and c.variable in units and c.unit and c.unit != units[c.variable]:
            raise CorrectionError(
                f"{where}, column unit: {c.unit!r} but the panel's {c.variable} is in {units[c.variable]!r}"
            )
        reason = None
        if key not in index:
            reason = "the panel has no such value"
        else:
            old = out.at[out.index[index[key]], "value"]
            if not np.isclose(old, c.replaces_value, rtol=rtol, atol=0):
                reason = f"the panel value {old:g} is not the value {c.replaces_value:g} the correction replaces"
            elif key not in flagged_keys:
                reason = "the checks do not flag the original value"
        if reason:
            skipped.append(dict(geo=c.geo, year=c.year, variable=c.variable, value=c.value, reason=reason))
            continue
        row = out.index[index[key]]
        if c.source not in sources:
            sid = _source_id(c.source)
            taken = {s["source"] for s in sources.values()}
            sid = sid if sid not in taken else f"{sid}_{len(sources) + 1}"
            sources[c.source] = dict(
                source=sid,
                publisher=c.source.split(",")[0].strip(),
                title=c.source,
                licence="official statistics (public)",
                citation=c.source,
                files=origin,
            )
        sid = sources[c.source]["source"]
        applied.append(
            dict(
                geo=c.geo,
                year=c.year,
                variable=c.variable,
                old_value=out.at[row, "value"],
                new_value=c.value,
                source=c.source,
                note=c.note,
            )
        )
        out.loc[row, ["value", "status", "source"]] = [c.value, Status.CORRECTED.value, sid]
    return CorrectionResult(
        data=out,
        applied=pd.DataFrame(applied, columns=list(CORRECTION_COLUMNS)),
        skipped=pd.DataFrame(skipped, columns=["geo", "year", "variable", "value", "reason"]),
        sources=pd.DataFrame(list(sources.values()), columns=list(SOURCES_COLUMNS)),
    )


COMPONENTS: dict[str, tuple[str, ...]] = {"gdp": ("va_primary", "va_secondary", "va_tertiary")}
"""Aggregate → the series that add up to it in the same source row (GDP = primary + secondary + tertiary value
added; the yearbook panel's ``va_primary`` is derived as the difference, so the three sum to the published GDP)."""


def withhold_components(
    data: pd.DataFrame,
    applied: pd.DataFrame,
    original: pd.DataFrame,
    components: dict[str, tuple[str, ...]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Withhold the components of every corrected aggregate: (data without them, the log of what was withheld).

    When a cited correction replaces an aggregate (e.g. ``gdp``) of source S at (geo, year), the components of
    that aggregate published by S for the same (geo, year) add up to the replaced value, so they carry the same
    defect (in the yearbook panel, the 2021–22 secondary and tertiary value added of the four provinces whose GDP
    is corrected are the same fraction of the true values). Without a cited value for them they are removed —
    missing, not guessed — and logged with ``CORRECTION_COLUMNS`` (``new_value`` NaN; :func:`interpolate` may
    then fill the gap, marked ``interpolated``). ``original`` holds the rows before the corrections (to know S);
    ``components`` defaults to :data:`COMPONENTS`.
    """
    components = COMPONENTS if components is None else components
    log_columns = list(CORRECTION_COLUMNS)
    if applied.empty:
        return data, pd.DataFrame(columns=log_columns)
    before = original.set_index(list(KEY))["source"]
    targets = {}
    for c in applied.itertuples(index=False):
        source = before.get((c.geo, c.year, c.variable))
        for part in components.get(c.variable, ()):
            targets[(c.geo, c.year, part)] = (source, c)
    if not targets:
        return data, pd.DataFrame(columns=log_columns)
    keys = pd.Series(list(zip(data["geo"], data["year"], data["variable"], strict=True)), index=data.index)
    hit = pd.Series(
        [k in targets and targets[k][0] == src for k, src in zip(keys, data["source"], strict=True)], index=data.index
    )
    log = []
    for idx in data.index[hit]:
        row = data.loc[idx]
        _, c = targets[keys[idx]]
        log.append(
            dict(
                geo=row["geo"],
                year=row["year"],
                variable=row["variable"],
                old_value=row["value"],
                new_value=np.nan,
                source=f"withheld: component of {c.variable} corrected from {c.source}",
                note=(
                    f"{row['variable']} is a component of {c.variable} in the same published row, which adds up to "
                    f"the replaced {c.variable} {c.old_value:g}; no cited value for it"
                ),
            )
        )
    return data.loc[~hit].reset_index(drop=True), pd.DataFrame(log, columns=log_columns)


def interpolate(
    data: pd.DataFrame,
    variables: list[str] | None = None,
    *,
    extrapolate: bool = False,
    years: tuple[int, int] | None = None,
    breaks: Iterable[tuple[str, int]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill missing years of each (geo, variable) series by linear interpolation in the year.

    v(t) = v(t0) + (t − t0) · (v(t1) − v(t0)) / (t1 − t0) for t0 < t < t1, the nearest years with values —
    the gap filling of the source paper ("linear interpolation"). A year is missing when its row is absent or
    its value is NaN. With ``extrapolate=True`` the years of ``years`` (first, last) outside a series' range
    are filled with its nearest value (constant extrapolation, status ``interpolated``); by default nothing
    outside the observed range is filled. A gap that spans a statistical break (``breaks``: (variable, first
    year of the new series), default :data:`coreduce.data.checks.KNOWN_BREAKS`) is left open, because a line
    between two incomparable levels is not an estimate of either. Returns (the panel with the filled rows, the
    filled rows alone); filled rows take the unit and source of the value before the gap (or after it, when
    extrapolating back).
    """
    if extrapolate and years is None:
        raise ValueError("interpolate: extrapolate=True needs years=(first, last) to know how far to extend")
    breaks = list(KNOWN_BREAKS) if breaks is None else list(breaks)
    chosen = data if variables is None else data[data["variable"].isin(variables)]
    known = chosen[chosen["value"].notna()].sort_values(list(KEY))
    filled = []
    for (geo, variable), group in known.groupby(["geo", "variable"], sort=False):
        have = group["year"].to_numpy()
        if extrapolate:
            grid = np.arange(years[0], years[1] + 1)
        else:
            grid = np.arange(have.min(), have.max() + 1)
            if years is not None:
                grid = grid[(grid >= years[0]) & (grid <= years[1])]
        need = np.setdiff1d(grid, have)
        cuts = [y for v, y in breaks if v in (variable, variable.split(".")[0])]
        if cuts:
            before = have[np.clip(np.searchsorted(have, need) - 1, 0, len(have) - 1)]
            after = have[np.clip(np.searchsorted(have, need), 0, len(have) - 1)]
            need = need[[not any(b0 < c <= b1 for c in cuts) for b0, b1 in zip(before, after, strict=True)]]
        if not len(need):
            continue
        values = np.interp(need, have, group["value"].to_numpy())
        pos = np.clip(np.searchsorted(have, need) - 1, 0, len(have) - 1)
        filled.append(
            pd.DataFrame(
                {
                    "geo": geo,
                    "year": need.astype("int32"),
                    "variable": variable,
                    "value": values,
                    "unit": group["unit"].to_numpy()[pos],
                    "source": group["source"].to_numpy()[pos],
                    "status": Status.INTERPOLATED.value,
                }
            )
        )
    columns = list(data.columns)
    filled_rows = pd.concat(filled, ignore_index=True)[columns] if filled else data.iloc[0:0]
    keep = data[~(data["value"].isna() & data.set_index(list(KEY)).index.isin(filled_rows.set_index(list(KEY)).index))]
    merged = pd.concat([keep, filled_rows], ignore_index=True) if len(filled_rows) else data.copy()
    merged = merged.sort_values(list(KEY)).reset_index(drop=True)
    return merged, filled_rows.reset_index(drop=True)
