"""The base of every typed result, in the style of statsmodels / linearmodels results.

A domain's result is a dataclass that subclasses :class:`Result`, names its title message (``title``) and its
main table (``main``), and holds its tables as typed attributes (e.g. ``TrendsResult.series``). Every result
also carries structured records, never sentences:

* ``conventions``: :class:`~coreduce.conventions.Convention` (key, value, source), from the conventions object;
* ``notes``: :class:`Note` (message key and parameters), e.g. a difference from a published figure;
* ``missing``: :class:`Missing` (series, geography, years, reason key and parameters);
* ``sources``: the publisher, licence and citation rows of the series used.

Text is made only when a result is shown, in the language asked for, from the message catalogues
(:mod:`coreduce.i18n`). ``summary()``, ``_repr_html_()``, ``to_frame()`` and ``write()`` work on every result.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from coreduce.conventions import Convention
from coreduce.fileio import atomic_write
from coreduce.i18n import has_message, message


def _frozen_params(params: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(params.items()))


@dataclass(frozen=True)
class Note:
    """A note on a result: a message key and the values that fill it."""

    key: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, key: str, **params: Any) -> Note:
        return cls(key, _frozen_params(params))

    def text(self, lang: str = "en") -> str:
        return message(self.key, lang, **dict(self.params))


@dataclass(frozen=True)
class Missing:
    """Data a result needed and did not have: which series, geography and years, and why (a message key)."""

    series: str
    geo: str
    years: str
    reason: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, series: str, geo: str, years: str, reason: str, **params: Any) -> Missing:
        return cls(series, geo, years, reason, _frozen_params(params))

    def reason_text(self, lang: str = "en") -> str:
        return message(self.reason, lang, **dict(self.params))


def year_span(years: Iterable[int]) -> str:
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


def plain_value(value: Any) -> str:
    """A free convention value as text: a tuple joined with commas ("—" when empty), a pair of years (a period)
    as ``2010–2015``."""
    if isinstance(value, tuple):
        if len(value) == 2 and all(isinstance(v, int) and not isinstance(v, bool) and v > 1000 for v in value):
            return f"{value[0]}–{value[1]}"
        return ", ".join(plain_value(v) for v in value) or "—"
    return str(value)


def convention_value_text(record: Convention, lang: str) -> str:
    """A categorical value's catalogue text (``convention.<key>.<value>``), else the value itself as text."""
    value_id = record.value_message_id()
    return message(value_id, lang) if has_message(value_id, lang) else plain_value(record.value)


@dataclass(kw_only=True)
class Result:
    """Tables plus the records needed to trace, reproduce and explain them."""

    title: ClassVar[str] = "result.generic"
    """Message id of the result's title."""
    main: ClassVar[str] = ""
    """Name of the attribute that holds the main table."""

    conventions: tuple[Convention, ...] = ()
    notes: tuple[Note, ...] = ()
    missing: tuple[Missing, ...] = ()
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the result by attribute name, the main table first (``sources`` excluded)."""
        found = {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name != "sources" and isinstance(getattr(self, f.name), pd.DataFrame)
        }
        return {self.main: found.pop(self.main), **found} if self.main in found else found

    def to_frame(self, name: str | None = None) -> pd.DataFrame:
        """A copy of the main table, or of the table called ``name``."""
        tables = self.tables()
        name = name or self.main
        if name not in tables:
            raise KeyError(f"{type(self).__name__}: no table {name!r}; tables: {', '.join(tables) or 'none'}")
        return tables[name].copy()

    def convention(self, key: str) -> Any:
        """The value of the convention ``key`` this result used."""
        for record in self.conventions:
            if record.key == key:
                return record.value
        raise KeyError(f"{type(self).__name__} records no convention {key!r}")

    def conventions_frame(self, lang: str = "en") -> pd.DataFrame:
        rows = [
            {
                "key": r.key,
                "convention": message(r.message_id, lang),
                "value": convention_value_text(r, lang),
                "source": r.source,
            }
            for r in self.conventions
        ]
        return pd.DataFrame(rows, columns=["key", "convention", "value", "source"])

    def missing_frame(self, lang: str = "en") -> pd.DataFrame:
        rows = [
            {"series": m.series, "geo": m.geo, "years": m.years, "reason": m.reason_text(lang)} for m in self.missing
        ]
        return pd.DataFrame(rows, columns=["series", "geo", "years", "reason"])

    def notes_text(self, lang: str = "en") -> list[str]:
        return [note.text(lang) for note in self.notes]

    def summary(self, lang: str = "en", max_rows: int = 40) -> str:
        """Plain-text summary: title, main table, conventions, missing data, notes and sources."""
        title = message(self.title, lang)
        rule = "=" * max(len(title), 40)
        main = self.tables().get(self.main, pd.DataFrame())
        with pd.option_context("display.max_rows", max_rows, "display.width", 160, "display.max_columns", 30):
            body = main.to_string(max_rows=max_rows) if not main.empty else "(empty table)"
        parts = [rule, title, rule, body, "", message("label.conventions", lang) + ":"]
        parts += [f"  {row.convention}: {row.value}" for row in self.conventions_frame(lang).itertuples()]
        if self.missing:
            parts += ["", message("label.missing", lang) + ":"]
            parts += [f"  {m.series} [{m.geo}] {m.years}: {m.reason_text(lang)}" for m in self.missing]
        if self.notes:
            parts += ["", message("label.notes", lang) + ":", *(f"  - {t}" for t in self.notes_text(lang))]
        parts += ["", message("label.sources", lang) + ":", *self._sources_lines()]
        return "\n".join(parts)

    def _sources_lines(self) -> list[str]:
        if self.sources.empty:
            return ["  —"]
        cols = [c for c in ("source", "publisher", "licence") if c in self.sources.columns]
        return ["  " + " | ".join(dict.fromkeys(str(row[c]) for c in cols)) for _, row in self.sources.iterrows()]

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        esc = html.escape
        main = self.tables().get(self.main, pd.DataFrame())
        parts = [f"<h4>{esc(message(self.title, 'en'))}</h4>", main.to_html(max_rows=60)]
        parts += ["<p><b>Conventions</b></p>", self.conventions_frame().to_html(index=False)]
        if self.missing:
            parts += ["<p><b>Missing</b></p>", self.missing_frame().to_html(index=False)]
        if self.notes:
            parts.append("<ul>" + "".join(f"<li>{esc(t)}</li>" for t in self.notes_text()) + "</ul>")
        if not self.sources.empty:
            parts += ["<p><b>Sources</b></p>", self.sources.to_html(index=False)]
        return "\n".join(parts)

    def write(self, path: str | Path, lang: str = "en") -> Path:
        """Write atomically: ``.csv`` → the main table; ``.xlsx`` → every table plus the sheets ``conventions``,
        ``missing``, ``notes`` and ``sources``."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise ValueError(f"{path}: write to a .csv or .xlsx file, not {suffix or 'a file without suffix'}")
        with atomic_write(path) as tmp:
            if suffix == ".csv":
                main = self.to_frame()
                main.to_csv(tmp, index=not isinstance(main.index, pd.RangeIndex))
            else:
                self._write_excel(tmp, lang)
        return path

    def _write_excel(self, path: Path, lang: str) -> None:
        meta = {
            "conventions": self.conventions_frame(lang),
            "missing": self.missing_frame(lang),
            "notes": pd.DataFrame({"note": self.notes_text(lang)}),
            "sources": self.sources,
        }
        with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
            for name, frame in {**self.tables(), **meta}.items():
                frame.to_excel(writer, sheet_name=name[:31], index=not isinstance(frame.index, pd.RangeIndex))
