"""The research explorer's selection: rows of one panel variable for some geographies and years.

Nothing is computed here: the rows are those of :meth:`coreduce.data.panel.Panel.series`, kept as they are (value,
unit, source, status), and a download is the same rows written by :func:`coreduce.data.export.export_panel`.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from coreduce.data.export import export_panel
from coreduce.data.open import open_panel
from coreduce.data.panel import Panel
from coreduce.geo import NATIONAL_CODE, by_code
from coreduce.geo.countries import country_name
from coreduce.geo.country_groups import BUILTIN as COUNTRY_GROUPINGS
from coreduce.geo.country_groups import load_country_grouping
from coreduce.geo.groupings import BUILTIN as PROVINCE_GROUPINGS
from coreduce.geo.groupings import load_grouping

GROUPINGS = (*PROVINCE_GROUPINGS, *COUNTRY_GROUPINGS)

DOWNLOADS = ("csv", "xlsx", "dta")
DEFAULT_VARIABLE = "co2_ceads"


class SelectionError(ValueError):
    """A request naming a variable, geography or year span the panel cannot answer; the message says which."""


@dataclass(frozen=True)
class Index:
    """A panel with its rows split by variable once, so a page filters one variable's rows, not the panel's."""

    panel: Panel
    by_variable: dict[str, pd.DataFrame]
    variables: tuple[str, ...]
    geos: tuple[str, ...]  # China first, then the codes in order
    publishers: dict[str, str]

    @classmethod
    def of(cls, source: Panel) -> Index:
        by_variable = {str(v): rows for v, rows in source.data.groupby("variable", sort=True)}
        codes = sorted(source.data["geo"].unique())
        geos = [NATIONAL_CODE, *(c for c in codes if c != NATIONAL_CODE)] if NATIONAL_CODE in codes else codes
        publishers = dict(zip(source.sources["source"], source.sources["publisher"], strict=True))
        return cls(source, by_variable, tuple(by_variable), tuple(geos), publishers)


@cache
def index() -> Index:
    """The index of the embedded store's panel (:func:`open_panel`), built once per process."""
    return Index.of(open_panel(None))


def geo_name(code: str, lang: str) -> str:
    """A geography's name in ``lang``: 中国 / China for the national code, a province's or a country's name (or
    a publisher's aggregate row such as OWID's World), else the code itself."""
    if code == NATIONAL_CODE:
        return "中国" if lang == "zh" else "China"
    province = by_code().get(code)
    if province is None:
        return country_name(code, lang)
    return province.name_zh if lang == "zh" else province.name_en


def kind_of(code: str) -> str:
    """``province`` (GB/T codes, China included), ``aggregate`` (a publisher's row such as ``owid:world``) or
    ``country`` (ISO alpha-3), to group the explorer's list."""
    if code.isdigit():
        return "province"
    return "aggregate" if ":" in code else "country"


def _grouping(spec: str):
    return load_grouping(spec) if spec in PROVINCE_GROUPINGS else load_country_grouping(spec)


def regions(lang: str) -> list[tuple[str, str]]:
    """The regions a visitor may pick, as (``grouping:group``, label) for every built-in grouping."""
    out = []
    for spec in GROUPINGS:
        grouping = _grouping(spec)
        out += [(f"{spec}:{group}", grouping.label(group, lang)) for group in grouping.groups]
    return out


def with_regions(geos: list[str], picked: list[str], available: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """``geos`` followed by the members of each picked region (``grouping:group``), each once, and the members
    the panel has no row for (left out, to be named on the page).

    A region adds its members to the selection; nothing is summed (a regional total is an analysis: see the
    trends page). Raises :class:`SelectionError` naming an unknown region."""
    out, left_out = list(geos), []
    for item in picked:
        spec, _, group = item.partition(":")
        if spec not in GROUPINGS:
            raise SelectionError(f"region: expected grouping:group with a grouping of {', '.join(GROUPINGS)}")
        try:
            members = _grouping(spec).members(group)
        except KeyError as exc:
            raise SelectionError(f"region: {exc.args[0]}") from None
        out += [m for m in members if m in available]
        left_out += [m for m in members if m not in available]
    return list(dict.fromkeys(out)), list(dict.fromkeys(left_out))


@dataclass(frozen=True)
class Selection:
    """One variable, the geographies in the order asked, and an optional first:last year span."""

    variable: str
    geos: tuple[str, ...]
    first: int | None = None
    last: int | None = None

    def check(self, source: Index) -> None:
        """Raise :class:`SelectionError` for a variable or geography the panel lacks, or a reversed span."""
        if self.variable not in source.by_variable:
            raise SelectionError(f"variable: the panel has no series {self.variable!r}")
        unknown = [g for g in self.geos if g not in source.geos]
        if unknown:
            raise SelectionError(f"geo: the panel has no geography {', '.join(unknown)}")
        if self.first is not None and self.last is not None and self.first > self.last:
            raise SelectionError(f"years: first year {self.first} is after last year {self.last}")

    def rows(self, source: Index) -> pd.DataFrame:
        """The panel rows shown: the variable's rows of the chosen geographies within the span, unchanged, in the
        order the geographies were chosen, then by year."""
        self.check(source)
        rows = source.by_variable[self.variable]
        keep = rows["geo"].isin(self.geos)
        if self.first is not None:
            keep &= rows["year"] >= self.first
        if self.last is not None:
            keep &= rows["year"] <= self.last
        rows = rows[keep]
        order = rows["geo"].map({g: i for i, g in enumerate(self.geos)})
        return rows.assign(_order=order).sort_values(["_order", "year"]).drop(columns="_order").reset_index(drop=True)

    def subpanel(self, source: Index) -> Panel:
        """The rows shown as a panel with the variable's catalogue row and the sources they cite."""
        rows = self.rows(source)
        catalogue = source.panel.catalogue
        sources = source.panel.sources
        return Panel(
            data=rows,
            catalogue=catalogue[catalogue["variable"] == self.variable].reset_index(drop=True),
            sources=sources[sources["source"].isin(rows["source"].unique())].reset_index(drop=True),
        )


def download(selection: Selection, fmt: str, source: Index) -> bytes:
    """The rows shown, written by :func:`export_panel` in ``fmt`` (csv: long rows; xlsx: data, catalogue,
    sources)."""
    if fmt not in DOWNLOADS:
        raise SelectionError(f"format: expected one of {', '.join(DOWNLOADS)}, not {fmt!r}")
    with tempfile.TemporaryDirectory(prefix="coreduce-web-") as folder:
        target = Path(folder) / f"explorer.{fmt}"
        export_panel(selection.subpanel(source), target, fmt)
        return target.read_bytes()


def grid(rows: pd.DataFrame, geos: tuple[str, ...]) -> tuple[list[int], dict[str, dict[int, dict]]]:
    """The shown rows laid out geography × year: every year from the first to the last shown, and per geography
    ``{year: row}`` (a year without a row is missing and shown as such)."""
    if rows.empty:
        return [], {g: {} for g in geos}
    years = list(range(int(rows["year"].min()), int(rows["year"].max()) + 1))
    cells: dict[str, dict[int, dict]] = {g: {} for g in geos}
    for row in rows.to_dict("records"):
        cells[row["geo"]][int(row["year"])] = row
    return years, cells
