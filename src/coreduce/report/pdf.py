"""The PDF report: headless Chromium prints the HTML (faithful to it, CJK via the system fonts); without
Chromium, matplotlib's PdfPages composes the figures and tables page by page and a warning says so."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import textwrap
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from coreduce.fileio import atomic_write
from coreduce.report.html import format_number, render_html
from coreduce.report.model import Report

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = "apt-get install chromium"
# Flags for a quiet, offline, sandbox-free headless run (containers often lack user namespaces).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


Vectors = dict[str, bytes] | None
"""Figure key → SVG bytes, the figures Chromium prints as vector graphics."""


class ChromiumMissingWarning(UserWarning):
    """No Chromium was found; the PDF is composed with matplotlib instead."""


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome executable: ``$COREDUCE_CHROMIUM`` or the first of the usual names on PATH."""
    env = os.environ.get("COREDUCE_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def chromium_pdf(html_path: Path, pdf_path: Path, chromium: str, timeout: float = 120, browser=None) -> None:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium (A4, no header/footer, backgrounds on): by the
    ``browser`` started ahead (:mod:`coreduce.report.browser`) when one is given and prints, else by a new one."""
    if browser is not None:
        try:
            browser.print_pdf(html_path, pdf_path, timeout)
            return
        except (OSError, RuntimeError, ValueError, KeyError):  # it failed or ended: a new browser prints instead
            pass
    with tempfile.TemporaryDirectory(prefix="coreduce-chromium-") as profile:
        command = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise RuntimeError(
            f"Chromium could not print {html_path} to PDF (exit {done.returncode}): {done.stderr[-800:]}"
        )


def _table_pages(title: str, frame: pd.DataFrame, rows_per_page: int = 40) -> list[Figure]:
    shown = frame.reset_index(drop=True).copy()
    for column in shown.columns:
        shown[column] = shown[column].map(format_number)
    pages = []
    for start in range(0, max(len(shown), 1), rows_per_page):
        chunk = shown.iloc[start : start + rows_per_page]
        fig = Figure(figsize=(8.27, 11.69))
        ax = fig.add_axes((0.05, 0.05, 0.9, 0.88))
        ax.axis("off")
        fig.suptitle(title if start == 0 else f"{title} ({start + 1}–)", fontsize=11, y=0.97)
        if len(chunk):
            cells = chunk.astype(str).to_numpy().tolist()
            labels = [textwrap.shorten(str(c), 24) for c in chunk.columns]
            drawn = ax.table(cellText=cells, colLabels=labels, loc="upper center", cellLoc="right")
            drawn.auto_set_font_size(False)
            drawn.set_fontsize(6.5 if len(chunk.columns) > 6 else 7.5)
            drawn.scale(1, 1.15)
        pages.append(fig)
    return pages


def _text_page(title: str, lines: list[str]) -> Figure:
    fig = Figure(figsize=(8.27, 11.69))
    fig.text(0.07, 0.95, title, fontsize=13, weight="bold", va="top")
    wrapped = []
    for line in lines:
        wrapped += textwrap.wrap(line, 95) or [""]
    fig.text(0.07, 0.91, "\n".join(wrapped[:85]), fontsize=8, va="top", linespacing=1.5)
    return fig


def pages_pdf(report: Report, pdf_path: Path) -> None:
    """Compose the PDF with matplotlib: a title page, then per section its text, figures and tables."""
    with PdfPages(pdf_path) as pdf:
        contents = [f"{i}. {s.title}" for i, s in enumerate(report.sections, 1)]
        pdf.savefig(_text_page(report.title, [report.subtitle, "", *report.warnings, "", *contents]))
        for number, section in enumerate(report.sections, 1):
            lines = list(section.text)
            if section.omitted:
                lines.append(section.omitted)
            lines += [f"{k}: {v}" for k, v in section.conventions.items()] + [f"- {n}" for n in section.notes]
            if lines:
                pdf.savefig(_text_page(f"{number}. {section.title}", lines))
            for fig in section.figures:
                fig.figure.text(0.0, -0.02, f"{fig.label}  {fig.title}\n{fig.source}", fontsize=7, va="top")
                pdf.savefig(fig.figure, bbox_inches="tight")
            for tab in section.tables:
                frame = tab.frame.reset_index() if tab.index else tab.frame
                for page in _table_pages(f"{tab.label}  {tab.title}", frame):
                    pdf.savefig(page)


def write_pdf(
    report: Report, html_path: Path, pdf_path: Path, engine: str = "auto", vectors: Vectors = None, browser=None
) -> str:
    """Write the PDF and return the engine used (``chromium`` or ``matplotlib``).

    ``engine="auto"`` prints the HTML with Chromium when one is installed, else composes pages with matplotlib
    and warns (:class:`ChromiumMissingWarning`) naming the package to install. With ``vectors`` (figure key →
    SVG bytes) Chromium prints a copy of the HTML whose figures are those SVGs, so the PDF's figures are vector
    graphics (text as outlines) instead of the HTML's PNGs; matplotlib's pages are vector in any case. A
    ``browser`` started ahead (:func:`coreduce.report.browser.launch`) prints, when given.
    """
    if engine not in ("auto", "chromium", "matplotlib"):
        raise ValueError(f"PDF engine must be auto, chromium or matplotlib, not {engine!r}")
    chromium = find_chromium() if engine in ("auto", "chromium") else None
    if engine == "chromium" and chromium is None:
        raise RuntimeError(f"no Chromium found for the PDF ({INSTALL_HINT})")
    if chromium is None and engine == "auto":
        warnings.warn(
            f"no Chromium found ({INSTALL_HINT}); the PDF is composed with matplotlib and its layout differs "
            "from the HTML report",
            ChromiumMissingWarning,
            stacklevel=2,
        )
    if chromium is not None and vectors:
        with tempfile.TemporaryDirectory(prefix="coreduce-print-") as folder:
            _print_page(print_page(report, vectors, Path(folder)), pdf_path, chromium, browser)
        return "chromium"
    with atomic_write(pdf_path) as tmp:
        if chromium is not None:
            chromium_pdf(html_path, tmp, chromium, browser=browser)
        else:
            pages_pdf(report, tmp)
    return "chromium" if chromium is not None else "matplotlib"


def print_page(report: Report, vectors: dict[str, bytes], folder: Path) -> Path:
    """Write the page Chromium prints: the report's HTML with the figures' SVGs (``vectors``), in ``folder``."""
    page = folder / "report.html"
    page.write_text(render_html(report, vectors, vector=True), encoding="utf-8")
    return page


def _print_page(page: Path, pdf_path: Path, chromium: str, browser=None) -> None:
    with atomic_write(pdf_path) as tmp:
        chromium_pdf(page, tmp, chromium, browser=browser)


def start_pdf(
    report: Report, html_path: Path, pdf_path: Path, engine: str = "auto", vectors: Vectors = None, browser=None
) -> Callable[[], str]:
    """Begin :func:`write_pdf` and return the function that waits for it and returns the engine used.

    The page Chromium prints (the HTML with the figures' SVGs, ``vectors``) is written now, and Chromium prints it
    from a thread (Chromium is a process of its own; the thread only waits for it), so the caller can draw the
    PNGs meanwhile. Otherwise (no Chromium, the matplotlib engine, which must not draw while another thread
    draws, or no ``vectors``, when Chromium prints the finished HTML) the PDF is written when the returned
    function is called.
    """
    chromium = find_chromium() if engine in ("auto", "chromium") else None
    if chromium is None or not vectors:
        return lambda: write_pdf(report, html_path, pdf_path, engine, vectors, browser)
    outcome: dict[str, object] = {}
    folder = tempfile.TemporaryDirectory(prefix="coreduce-print-")
    page = print_page(report, vectors, Path(folder.name))  # here: a thread would wait for the drawing's GIL

    def run() -> None:
        try:
            _print_page(page, pdf_path, chromium, browser)
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="coreduce-pdf")
    thread.start()

    def wait() -> str:
        thread.join()
        folder.cleanup()
        if "error" in outcome:
            raise outcome["error"]
        return "chromium"

    return wait
