"""Build the report: run every section on the panel, draw the figures, write HTML, PDF, PNG, SVG and CSV.

Output folder layout::

    report.html            self-contained (inline CSS and images, no external reference)
    report.pdf             printed from the HTML by Chromium (or composed by matplotlib without Chromium)
    figures/<key>.png|svg  every figure
    data/<key>.csv         the data behind every figure
    tables/<key>.csv       every table

Every file is written to a temporary name beside its target and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import matplotlib
import pandas as pd

from coreduce.analysis._shared import shared_results
from coreduce.analysis.conventions import ProvinceConventions
from coreduce.data.open import open_panel
from coreduce.data.panel import MissingSeriesError, Panel
from coreduce.fileio import atomic_write
from coreduce.i18n import message
from coreduce.report import sections as section_modules
from coreduce.report.background import frozen_collector
from coreduce.report.config import CONFIG_NAME, DEFAULT_SECTIONS, FORMATS, PDF_ENGINES, ReportConfig
from coreduce.report.drawing import DPI
from coreduce.report.fonts import FontChoice, rc_params, resolve_language
from coreduce.report.i18n import Text
from coreduce.report.model import Report, Section
from coreduce.report.sections.base import Context, SectionUnavailable, stop_pending

Progress = Callable[[str, int, int], None]
"""Called as ``progress(step description, steps done, steps in all)``."""


@dataclass
class BuildResult:
    """What was written, where, and how long each stage took."""

    out_dir: Path
    report: Report
    files: dict[str, Path] = field(default_factory=dict)
    figures: list[Path] = field(default_factory=list)
    tables: list[Path] = field(default_factory=list)
    pdf_engine: str | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def omitted(self) -> dict[str, str]:
        return {s.title: s.omitted for s in self.report.sections if s.omitted}


def _atomic_write(path: Path, payload: bytes | str) -> None:
    """Write text (UTF-8) or bytes to ``path`` through :func:`coreduce.fileio.atomic_write`."""
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    with atomic_write(path) as tmp:
        tmp.write_bytes(data)


def _csv(frame: pd.DataFrame, index: bool = False) -> str:
    return frame.to_csv(index=index, lineterminator="\n")


def _series_used(ctx: Context) -> tuple[str, ...]:
    """The panel series named by the conventions of the results the section used (``co2_ceads`` also stands
    for its ``co2_ceads.sector.*`` breakdown)."""
    families = {v.split(".")[0] for v in ctx.panel.variables}
    found: dict[str, None] = {}
    for key in ctx.used:
        for record in getattr(ctx.results.get(key), "conventions", ()) or ():
            value = getattr(record, "value", None)
            if isinstance(value, str) and value in families:
                found[value] = None
    return tuple(found)


def _section(builder, ctx: Context, title: str, key: str) -> Section:
    """Run a section builder; an unavailable analysis or series becomes a visible omission note."""
    ctx.used.clear()
    try:
        section = builder(ctx)
        section.series = tuple(dict.fromkeys([*section.series, *_series_used(ctx)]))  # the section's own first
        return section
    except MissingSeriesError as exc:
        if exc.series:
            return Section(
                key=key,
                title=title,
                omitted=message("report.omitted.no_series", ctx.lang, series=", ".join(exc.series)),
            )
        return Section(key=key, title=title, omitted=str(exc))
    except SectionUnavailable as exc:
        return Section(key=key, title=title, omitted=str(exc))


def _predraw(figure, ctx: Context) -> None:
    """Draw a figure ahead at the report's DPI; one that cannot be drawn now is drawn (or fails) when written."""
    from coreduce.report.drawing import predraw

    try:
        predraw(figure, ctx.config.report.dpi if ctx.config else DPI)
    except Exception:  # any failure: the figure is drawn again, raising it, when the files are written
        figure.drawn = {}


def build_sections(ctx: Context, progress: Progress | None = None) -> list[Section]:
    """The configured sections in report order; the methods section comes last and lists the others'
    conventions (and the configuration, when the report has one)."""
    t = ctx.t
    wanted = ctx.config.report.sections if ctx.config else DEFAULT_SECTIONS
    plan = [entry for entry in section_modules.plan(t) if entry[0] in wanted]
    order = sorted(range(len(plan)), key=lambda i: plan[i][0] in section_modules.LAST)
    made: dict[int, Section] = {}
    section_modules.start_background(ctx, wanted)
    try:
        for done, i in enumerate(order):
            key, title, builder = plan[i]
            if progress:
                progress(title, done, len(plan) + 1)
            if key in section_modules.LAST and ctx.pending and not ctx.idle:  # these wait: draw meanwhile
                ctx.idle = [partial(_predraw, fig, ctx) for section in made.values() for fig in section.figures]
            made[i] = _section(builder, ctx, title, key)
    finally:
        ctx.idle.clear()
        ctx.close()
    built = [made[i] for i in range(len(plan))]
    if progress:
        progress(t("sec.methods"), len(plan), len(plan) + 1)
    built.append(section_modules.methods.build(ctx, built))
    return built


FRAMEWORK_FIGURE = "fig1_framework"
"""The one figure drawn from no data (the analytical framework)."""


def publishers(ctx: Context, series: tuple[str, ...]) -> list[str]:
    """Publishers (from the catalogue) of the sources behind ``series`` and their breakdowns, in panel order."""
    if not series:
        return []
    wanted = [v for v in ctx.panel.variables if v.split(".")[0] in series]
    return list(dict.fromkeys(ctx.panel.attribution(wanted)["publisher"].astype(str)))


def map_source(ctx: Context) -> str:
    """The line under every China map: the base map's publisher, licence and review number (审图号), or that
    its source gives none."""
    from coreduce.report.maps import basemap_source

    base = basemap_source()
    review = base["review_number"] or ctx.t("source.no_review_number")
    return ctx.t(
        "source.map", publisher=base["publisher"], package=base["package"], licence=base["licence"], review=review
    )


def number_report(sections: list[Section], ctx: Context) -> None:
    """Number every figure and table (图1 / Figure 1, 表1 / Table 1) in report order, give each figure its
    资料来源 / Source line (publishers of the series its section used; the base map's source and review number
    under maps) and refer to them in the section's text."""
    t = ctx.t
    figures = [fig for section in sections for fig in section.figures]
    tables = [tab for section in sections for tab in section.tables]
    for number, fig in enumerate(figures, 1):
        fig.number, fig.label = number, t("fig_number", n=number)
    for number, tab in enumerate(tables, 1):
        tab.number, tab.label = number, t("tab_number", n=number)
    separator = t("sep.list_sep_2")
    sources_label = next((tab.label for tab in tables if tab.key == "table_sources"), "")
    for section in sections:
        names = publishers(ctx, section.series)
        for fig in section.figures:
            if names:
                fig.source = t("source.line", publishers=separator.join(names))
            elif fig.key == FRAMEWORK_FIGURE:
                fig.source = t("source.own")
            else:  # an analysis whose result names no series (indicator systems): the sources table lists them
                fig.source = t("source.panel", table=sources_label)
            if fig.layers:
                fig.source = f"{fig.source} {map_source(ctx)}"
        labels = [item.label for item in (*section.figures, *section.tables)]
        if labels:
            section.text.append(t("xref", items=separator.join(labels)))


def make_report(
    panel: Panel,
    lang: str = "zh",
    progress: Progress | None = None,
    conventions: ProvinceConventions | None = None,
    config: ReportConfig | None = None,
    pending: dict | None = None,
) -> tuple[Report, FontChoice]:
    """The report object (sections, figures, tables) for ``panel``, drawn in ``lang`` when fonts allow; every
    analysis of the report uses ``conventions`` (default: :class:`ProvinceConventions`'s defaults). A ``config``
    sets the language, sections and conventions instead (and is printed in the methods section). ``pending``:
    analyses already started in a second process (:func:`coreduce.report.sections.start_early`)."""
    if config is not None:
        lang, conventions = config.report.lang, config.conventions
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        choice = resolve_language(lang)
    for warning in caught:
        warnings.warn(warning.message, warning.category, stacklevel=2)
    ctx = Context(
        panel=panel,
        lang=choice.lang,
        conventions=conventions or ProvinceConventions(),
        config=config,
        pending=dict(pending or {}),
    )
    with matplotlib.rc_context(rc_params(choice)), shared_results():
        built = build_sections(ctx, progress)
    number_report(built, ctx)
    t = Text(choice.lang)
    report = Report(
        title=t("report.title"),
        subtitle=t("report.subtitle"),
        lang=choice.lang,
        sections=built,
        warnings=[choice.note] if choice.note else [],
    )
    return report, choice


def _draw(
    report: Report, choice: FontChoice, out: Path, dpi: int, formats: Sequence[str], pdf_engine: str, browser=None
) -> tuple[dict[str, bytes], dict[str, bytes], Callable[[], str] | None, float]:
    """Draw every figure as SVG and PNG (shared with a second process where the machine allows) and start the PDF
    as soon as the SVGs it prints are drawn. Returns the PNGs, the SVGs, the function that waits for the PDF
    (None without PDF) and when the PDF was started."""
    from coreduce.report.drawing import Drawing
    from coreduce.report.pdf import start_pdf

    pdf, pdf_started = None, 0.0
    with matplotlib.rc_context(rc_params(choice)):
        drawing = Drawing(report.figures, dpi)
        try:
            vectors = drawing.vectors()
            if "pdf" in formats:
                pdf_started = time.perf_counter()
                pdf = start_pdf(report, out / "report.html", out / "report.pdf", pdf_engine, vectors, browser)
            images = drawing.images()
        finally:
            drawing.close()
    return images, vectors, pdf, pdf_started


def write_report(
    report: Report,
    choice: FontChoice,
    out_dir: str | Path,
    formats: Sequence[str] = FORMATS,
    pdf_engine: str = "auto",
    progress: Progress | None = None,
    dpi: int = DPI,
    config: ReportConfig | None = None,
    browser=None,
) -> BuildResult:
    """Write the report's files into ``out_dir`` (created if needed): PNG at ``dpi``, and ``report.toml`` (the
    ``config`` used) when given; a Chromium ``browser`` started ahead (:mod:`coreduce.report.browser`) prints
    the PDF. Timings: ``figures`` (drawing and writing them), ``html``, ``pdf`` (the wait for
    the PDF once the rest is written; Chromium prints it while the PNGs are drawn) and ``pdf_print`` (from the
    start of printing to its end)."""
    from coreduce.report.html import render_html

    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown report format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ValueError(f"the report folder {out} is an existing file; give a folder (--out DIR)")
    out.mkdir(parents=True, exist_ok=True)
    result = BuildResult(out_dir=out, report=report)
    figures = report.figures
    total = len(figures) + len(formats) + 1
    started = time.perf_counter()
    if progress:
        progress("figures", 0, total)
    images, vectors, pdf, pdf_started = _draw(report, choice, out, dpi, formats, pdf_engine, browser)
    for done, fig in enumerate(figures):
        if progress:
            progress(fig.title, done, total)
        png, svg, data_path = (out / "figures" / f"{fig.key}.png", out / "figures" / f"{fig.key}.svg",
                               out / "data" / f"{fig.key}.csv")  # fmt: skip
        _atomic_write(png, images[fig.key])
        _atomic_write(svg, vectors[fig.key])
        _atomic_write(data_path, _csv(fig.data))
        result.figures += [png, svg]
        result.tables.append(data_path)
    result.timings["figures"] = time.perf_counter() - started
    if progress:
        progress("tables", len(figures), total)
    if config is not None:
        _atomic_write(out / CONFIG_NAME, config.to_toml())
        result.files["config"] = out / CONFIG_NAME
    for tab in report.tables:
        path = out / "tables" / f"{tab.key}.csv"
        _atomic_write(path, _csv(tab.frame if tab.full is None else tab.full, index=tab.index))
        result.tables.append(path)

    html_path = out / "report.html"
    if "html" in formats or "pdf" in formats:
        started = time.perf_counter()
        if progress:
            progress("HTML", len(figures) + 1, total)
        _atomic_write(html_path, render_html(report, images))
        result.files["html"] = html_path
        result.timings["html"] = time.perf_counter() - started
    if pdf is not None:
        started = time.perf_counter()
        if progress:
            progress("PDF", total - 1, total)
        with matplotlib.rc_context(rc_params(choice)):
            result.pdf_engine = pdf()
        result.files["pdf"] = out / "report.pdf"
        result.timings["pdf"] = time.perf_counter() - started
        result.timings["pdf_print"] = time.perf_counter() - pdf_started
    if progress:
        progress("done", total, total)
    return result


def _start_browser(formats: Sequence[str], pdf_engine: str):
    """The Chromium that will print the PDF, started now so that its start-up overlaps the analyses (None
    without a PDF to print by Chromium)."""
    if "pdf" not in formats or pdf_engine == "matplotlib":
        return None
    from coreduce.report.browser import launch
    from coreduce.report.pdf import find_chromium

    return launch(find_chromium())


def build_report(
    panel: Panel | str | Path | None = None,
    out_dir: str | Path = "coreduce-report",
    lang: str = "zh",
    formats: Sequence[str] = FORMATS,
    pdf_engine: str = "auto",
    progress: Progress | None = None,
    conventions: ProvinceConventions | None = None,
    config: ReportConfig | None = None,
) -> BuildResult:
    """Build the whole report from ``panel`` (a :class:`Panel`, a path, or None for the embedded store) with the
    analyses' ``conventions``; a ``config`` (:class:`ReportConfig`) replaces ``lang``, ``formats``,
    ``pdf_engine`` and ``conventions`` and is written beside the report as ``report.toml``."""
    started = time.perf_counter()
    dpi = DPI
    if config is not None:
        lang, formats, pdf_engine = config.report.lang, config.report.formats, config.report.pdf_engine
        conventions, dpi = config.conventions, config.report.dpi
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown report format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    if pdf_engine not in PDF_ENGINES:
        raise ValueError(f"PDF engine must be auto, chromium or matplotlib, not {pdf_engine!r}")
    browser = _start_browser(formats, pdf_engine)
    early: dict = {}
    try:
        early = section_modules.start_early(config.report.sections if config else DEFAULT_SECTIONS)
        if not isinstance(panel, Panel):
            panel = open_panel(panel)
        loaded = time.perf_counter()
        with frozen_collector():  # the panel and the imported modules stay alive: no collection walks them
            report, choice = make_report(panel, lang, progress, conventions, config, early)
            made = time.perf_counter()
            result = write_report(report, choice, out_dir, formats, pdf_engine, progress, dpi, config, browser)
    finally:
        stop_pending(early)  # already done unless the build failed before reading its result
        if browser is not None:
            browser.close()
    result.timings = {"load": loaded - started, "analyses": made - loaded, **result.timings}
    result.timings["total"] = time.perf_counter() - started
    return result
