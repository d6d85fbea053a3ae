"""What a report is made of: sections holding figures (with the data behind them) and tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from matplotlib.figure import Figure


@dataclass
class ReportFigure:
    """A drawn figure, its title and caption, and the data it plots (written beside it as CSV)."""

    key: str
    """File stem of the figure, e.g. ``fig2_national_trends``; unique within a report."""
    title: str
    figure: Figure
    data: pd.DataFrame
    caption: str = ""
    number: int = 0
    """Position among the report's figures (图1 / Figure 1), set when the report is assembled."""
    label: str = ""
    """``图1`` / ``Figure 1``."""
    source: str = ""
    """The 资料来源 / Source line: publishers of the series drawn (from the catalogue); under a map also the
    base map's source and review number (审图号)."""
    layers: tuple[str, ...] = ()
    """The base-map layers of a China map (:func:`coreduce.report.maps.map_layers`); empty for charts."""
    drawn: dict[str, Any] = field(default_factory=dict, repr=False)
    """SVG and PNG bytes drawn ahead (:func:`coreduce.report.drawing.predraw`), reused when the files are written."""


@dataclass
class ReportTable:
    """A table shown in the report and written as CSV."""

    key: str
    title: str
    frame: pd.DataFrame
    caption: str = ""
    index: bool = False
    number: int = 0
    label: str = ""
    full: pd.DataFrame | None = None
    """The whole table when the report shows a condensed one (``frame``); the CSV holds ``full``."""


@dataclass
class Section:
    """A titled part of the report. ``omitted`` holds the reason when its analysis could not run."""

    key: str
    title: str
    text: list[str] = field(default_factory=list)
    figures: list[ReportFigure] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    conventions: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    omitted: str | None = None
    series: tuple[str, ...] = ()
    """The panel series its analyses used (their publishers go under its figures)."""


@dataclass
class Report:
    """All sections, in order, plus the language they are written in."""

    title: str
    lang: str
    sections: list[Section]
    subtitle: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def figures(self) -> list[ReportFigure]:
        return [fig for section in self.sections for fig in section.figures]

    @property
    def tables(self) -> list[ReportTable]:
        return [tab for section in self.sections for tab in section.tables]
