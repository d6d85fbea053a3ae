"""Geometry of the inline SVG charts (the explorer's lines, the workspace's MAC bars): values mapped to pixels, nothing
else.

Axis ticks come from :class:`matplotlib.ticker.MaxNLocator` (round steps of 1, 2, 2.5, 5, 10 × 10^k). The SVG
is drawn by the template with presentation attributes only (no ``style``), so the page's
Content-Security-Policy needs no ``'unsafe-inline'``. A missing year breaks a line rather than bridging it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from matplotlib.ticker import MaxNLocator

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 40
COLOURS = ("#1b6ca8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#2c3e50", "#b7950b", "#16a085")


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    segments: tuple[str, ...]  # SVG polyline "x,y x,y …" strings, one per run of consecutive known years
    points: tuple[tuple[float, float, str], ...]  # (x, y, hover text) of every value


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    lines: tuple[Line, ...]
    x_ticks: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, str], ...]
    plot: tuple[int, int, int, int]  # left, top, right, bottom in pixels


def _ticks(low: float, high: float, count: int, integer: bool) -> list[float]:
    if low == high:
        low, high = low - 1, high + 1
    values = MaxNLocator(nbins=count, integer=integer).tick_values(low, high)
    return [float(v) for v in values if low - 1e-9 * abs(high - low) <= v <= high + 1e-9 * abs(high - low)]


def _label(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:.3g}"


def line_chart(rows: pd.DataFrame, names: dict[str, str]) -> Chart | None:
    """The chart of ``rows`` (panel rows of one variable), one line per geography named by ``names``; None when
    no row holds a value."""
    known = rows[rows["value"].notna()]
    if known.empty:
        return None
    years = (int(known["year"].min()), int(known["year"].max()))
    y_ticks = _ticks(min(0.0, float(known["value"].min())), float(known["value"].max()), 6, False)
    low, high = min(y_ticks[0], float(known["value"].min())), max(y_ticks[-1], float(known["value"].max()))
    x0, x1, y0, y1 = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM
    span = max(years[1] - years[0], 1)

    def x(year: float) -> float:
        return round(x0 + (year - years[0]) / span * (x1 - x0), 1)

    def y(value: float) -> float:
        return round(y1 - (value - low) / ((high - low) or 1) * (y1 - y0), 1)

    lines = []
    for i, (code, own) in enumerate(rows.groupby("geo", sort=False)):
        segments, run, points, previous = [], [], [], None
        for year, value in zip(own["year"], own["value"], strict=True):
            if value is None or math.isnan(value) or (previous is not None and year != previous + 1):
                if len(run) > 1:
                    segments.append(" ".join(run))
                run = []
            if value is not None and not math.isnan(value):
                run.append(f"{x(year)},{y(value)}")
                points.append((x(year), y(value), f"{names[code]} {year}: {value:g}"))
            previous = year
        if len(run) > 1:
            segments.append(" ".join(run))
        lines.append(Line(names[code], COLOURS[i % len(COLOURS)], tuple(segments), tuple(points)))
    x_ticks = tuple((x(t), str(int(t))) for t in _ticks(years[0], years[1], 8, True))
    return Chart(
        WIDTH,
        HEIGHT,
        tuple(lines),
        x_ticks,
        tuple((y(t), _label(t)) for t in y_ticks),
        (x0, y0, x1, y1),
    )


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    tradeoff: bool
    hover: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    x_ticks: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, str], ...]
    plot: tuple[int, int, int, int]
    zero: float  # pixel row of the value 0


def mac_chart(curve) -> BarChart | None:
    """Pixels of a MAC curve's bars (:class:`coreduce.exchange.chain.mac.MacBars`: left edge, width, height in
    the data's units), on axes that hold 0; None when no measure is on the curve."""
    bars = curve.bars
    if bars.empty:
        return None
    right = float((bars["x"] + bars["width"]).max())
    y_ticks = _ticks(min(0.0, float(bars["height"].min())), max(0.0, float(bars["height"].max())), 6, False)
    low, high = min(y_ticks[0], float(bars["height"].min()), 0.0), max(y_ticks[-1], float(bars["height"].max()))
    x_ticks = _ticks(0.0, right, 6, False)
    right = max(right, x_ticks[-1])
    x0, x1, y0, y1 = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM

    def x(value: float) -> float:
        return round(x0 + value / (right or 1) * (x1 - x0), 1)

    def y(value: float) -> float:
        return round(y1 - (value - low) / ((high - low) or 1) * (y1 - y0), 1)

    shapes = []
    for r in bars.itertuples():
        top, bottom = y(max(r.height, 0.0)), y(min(r.height, 0.0))
        hover = f"{r.measure_id}: {r.width:,.1f} × {r.height:,.0f}" + (f" ({r.cobenefits})" if r.cobenefits else "")
        shapes.append(Bar(x(r.x), top, round(x(r.x + r.width) - x(r.x), 1), round(bottom - top, 1), r.tradeoff, hover))
    return BarChart(
        WIDTH,
        HEIGHT,
        tuple(shapes),
        tuple((x(t), _label(t)) for t in x_ticks),
        tuple((y(t), _label(t)) for t in y_ticks),
        (x0, y0, x1, y1),
        y(0.0),
    )
