"""The base result object of every analysis, in the style of statsmodels / linearmodels results.

A result holds one main table (``to_frame()``), optional further named tables, the conventions that change
its numbers (``conventions``), the attribution of the series it used (``sources``: publisher, licence and
citation rows of the panel's sources table), what was absent (``missing``: one row per series, geography and
years with the reason), and free-text ``notes`` (e.g. differences from a published figure).
"""

from __future__ import annotations

import html
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

MISSING_COLUMNS = ("series", "geo", "years", "reason")


def missing_frame(rows: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """A ``missing`` table: columns ``series, geo, years, reason`` (``years`` is text such as "2020–2022")."""
    frame = pd.DataFrame(rows or [], columns=list(MISSING_COLUMNS))
    return frame.astype({c: "object" for c in MISSING_COLUMNS})


def year_span(years: list[int] | pd.Index) -> str:
    """Compact text for a set of years: ``[2001, 2002, 2003, 2007]`` → ``"2001–2003, 2007"``."""
    ordered = sorted({int(y) for y in years})
    if not ordered:
        return ""
    runs, start, prev = [], ordered[0], ordered[0]
    for year in ordered[1:]:
        if year != prev + 1:
            runs.append((start, prev))
            start = year
        prev = year
    runs.append((start, prev))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


@dataclass
class AnalysisResult:
    """Tables plus the metadata needed to trace and reproduce them."""

    title: str
    table: pd.DataFrame
    conventions: dict[str, Any] = field(default_factory=dict)
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    missing: pd.DataFrame = field(default_factory=missing_frame)
    notes: list[str] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def to_frame(self, name: str | None = None) -> pd.DataFrame:
        """The main table (a copy), or the further table called ``name``."""
        if name is None:
            return self.table.copy()
        if name not in self.tables:
            raise KeyError(f"{self.title}: no table {name!r}; tables: {', '.join(self.tables) or 'none'}")
        return self.tables[name].copy()

    def write(self, path: str | Path) -> Path:
        """Write the result atomically: ``.csv`` → the main table; ``.xlsx`` → every table plus the sheets
        ``conventions``, ``missing``, ``notes`` and ``sources``."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise ValueError(f"{path}: write to a .csv or .xlsx file, not {suffix or 'a file without suffix'}")
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
        os.close(handle)
        try:
            if suffix == ".csv":
                self.table.to_csv(tmp, index=not isinstance(self.table.index, pd.RangeIndex))
            else:
                self._write_excel(Path(tmp))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    def _write_excel(self, path: Path) -> None:
        sheets = {"result": self.table, **self.tables}
        meta = {
            "conventions": pd.DataFrame(
                {"convention": list(self.conventions), "value": list(self.conventions.values())}
            ),
            "missing": self.missing,
            "notes": pd.DataFrame({"note": self.notes}),
            "sources": self.sources,
        }
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name, frame in {**sheets, **meta}.items():
                keep_index = not isinstance(frame.index, pd.RangeIndex)
                frame.to_excel(writer, sheet_name=name[:31], index=keep_index)

    def _conventions_lines(self) -> list[str]:
        return [f"  {key}: {value}" for key, value in self.conventions.items()]

    def _sources_lines(self) -> list[str]:
        if self.sources.empty:
            return ["  (none)"]
        cols = [c for c in ("source", "publisher", "licence") if c in self.sources.columns]
        return ["  " + " | ".join(str(row[c]) for c in cols) for _, row in self.sources.iterrows()]

    def summary(self, max_rows: int = 40) -> str:
        """Plain-text summary: title, main table, conventions, missing data, notes and sources."""
        rule = "=" * max(len(self.title), 40)
        with pd.option_context("display.max_rows", max_rows, "display.width", 160, "display.max_columns", 30):
            body = self.table.to_string(max_rows=max_rows) if not self.table.empty else "(empty table)"
        parts = [rule, self.title, rule, body, "", "Conventions:", *self._conventions_lines()]
        if not self.missing.empty:
            parts += ["", "Missing:"]
            parts += [f"  {r.series} [{r.geo}] {r.years}: {r.reason}" for r in self.missing.itertuples(index=False)]
        if self.notes:
            parts += ["", "Notes:", *(f"  - {note}" for note in self.notes)]
        parts += ["", "Sources:", *self._sources_lines()]
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        esc = html.escape
        conv = "".join(f"<tr><th>{esc(str(k))}</th><td>{esc(str(v))}</td></tr>" for k, v in self.conventions.items())
        parts = [f"<h4>{html.escape(self.title)}</h4>", self.table.to_html(max_rows=60)]
        parts.append(f"<p><b>Conventions</b></p><table>{conv}</table>")
        if not self.missing.empty:
            parts += ["<p><b>Missing</b></p>", self.missing.to_html(index=False)]
        if self.notes:
            parts.append("<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in self.notes) + "</ul>")
        if not self.sources.empty:
            parts += ["<p><b>Sources</b></p>", self.sources.to_html(index=False)]
        return "\n".join(parts)
