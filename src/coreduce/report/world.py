"""The world report (``coreduce report --scope world``): China beside the Global South, the Global North and the
World, in Chinese or English.

Sections, each from one result of :mod:`coreduce.analysis.world` (this module lays results out and computes
nothing): trends of CO2, per capita and per GDP, territorial vs consumption; China in the Global South
distribution of per-capita CO2; Kaya decomposition; the decoupling world map; inequality and convergence;
cumulative emissions; the two CO2 vintages compared country by country. Every section prints the conventions,
notes and members left out of its result; the sources close the report. Output: ``world-report.html`` (figures
embedded), one PNG per figure and one CSV per table, and ``world-report.pdf`` (the figures, one per page).
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from coreduce.fileio import atomic_write
from coreduce.i18n import message
from coreduce.report import world_figures as wf

YEARS = (1990, 2000, 2010, 2022)
FORMATS = ("html", "pdf")


@dataclass
class WorldReport:
    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    figures: list[Path] = field(default_factory=list)
    tables: list[Path] = field(default_factory=list)


def _results(panel):
    from coreduce.analysis import world

    return [
        ("trends", world.trends(panel), wf.trends_figure, _trends_table),
        ("position", world.position(panel), wf.position_figure, _position_table),
        ("kaya", world.kaya(panel), wf.kaya_figure, lambda r: r.effects),
        ("decoupling", world.decoupling(panel), wf.decoupling_map, lambda r: r.states),
        ("inequality", world.inequality(panel), wf.inequality_figure, _inequality_table),
        ("cumulative", world.cumulative(panel), None, lambda r: r.groups),
        ("crosscheck", world.crosscheck(panel), None, lambda r: r.countries.head(20)),
    ]


def _trends_table(result) -> pd.DataFrame:
    s = result.series
    columns = ["group", "year", "co2", "co2_per_capita", "co2_per_gdp", "co2_consumption", "net_imported"]
    return s[s["year"].isin(YEARS)][columns]


def _position_table(result) -> pd.DataFrame:
    p = result.position
    return p[p["year"].isin(YEARS)].drop(columns=["south_p10", "south_p90"])


def _inequality_table(result) -> pd.DataFrame:
    g = result.gini
    return g[g["year"].isin(YEARS)]


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def _write(path: Path, payload: bytes | str) -> Path:
    with atomic_write(path) as tmp:
        if isinstance(payload, bytes):
            tmp.write_bytes(payload)
        else:
            tmp.write_text(payload, encoding="utf-8")
    return path


def _section(key: str, result, image: bytes | None, table: pd.DataFrame, lang: str) -> str:
    esc = html.escape
    parts = [f'<section id="{key}"><h2>{esc(message(result.title, lang))}</h2>']
    if image is not None:
        parts.append(f'<img alt="{esc(key)}" src="data:image/png;base64,{base64.b64encode(image).decode()}">')
    parts.append(table.to_html(index=False, float_format=lambda v: f"{v:,.4g}", border=0))
    parts.append(f"<h4>{esc(message('label.conventions', lang))}</h4><ul>")
    parts += [f"<li>{esc(r.convention)}: {esc(str(r.value))}</li>" for r in result.conventions_frame(lang).itertuples()]
    parts.append("</ul>")
    if result.notes:
        parts.append(f"<h4>{esc(message('label.notes', lang))}</h4><ul>")
        parts += [f"<li>{esc(t)}</li>" for t in result.notes_text(lang)]
        parts.append("</ul>")
    if result.missing:
        names = sorted({m.geo for m in result.missing})
        parts.append(f"<p><b>{esc(message('label.missing', lang))}</b> ({len(names)}): {esc(', '.join(names))}</p>")
    parts.append("</section>")
    return "\n".join(parts)


def build_world_report(panel, out: Path, lang: str = "zh", formats: tuple[str, ...] = ("html",)) -> WorldReport:
    """Write the world report for ``panel`` into the folder ``out`` (see the module doc)."""
    import matplotlib.pyplot as plt

    if lang not in ("zh", "en"):
        raise ValueError(f"language must be 'zh' or 'en', not {lang!r}")
    bad = sorted(set(formats) - set(FORMATS))
    if bad:
        raise ValueError(f"unknown format(s) {', '.join(bad)}; choose from {', '.join(FORMATS)}")
    out = Path(out)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    report = WorldReport(out_dir=out)
    sections, figures, sources = [], [], []
    for key, result, draw, table_of in _results(panel):
        image = None
        if draw is not None:
            fig = draw(result, lang)
            image = _png(fig)
            figures.append(fig)
            report.figures.append(_write(out / "figures" / f"world_{key}.png", image))
        table = table_of(result)
        with atomic_write(out / "tables" / f"world_{key}.csv") as tmp:
            table.to_csv(tmp, index=False)
        report.tables.append(out / "tables" / f"world_{key}.csv")
        sections.append(_section(key, result, image, table, lang))
        sources.append(result.sources)
    attribution = pd.concat(sources, ignore_index=True).drop_duplicates("source")
    title = message("world.report.title", lang)
    body = "\n".join(sections)
    sources_html = attribution.to_html(index=False, border=0)
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        "<style>body{font-family:sans-serif;max-width:1000px;margin:auto}img{max-width:100%}"
        "table{border-collapse:collapse;font-size:12px}td,th{padding:2px 6px;border-bottom:1px solid #ddd}</style>"
        f"</head><body><h1>{html.escape(title)}</h1>{body}"
        f"<h2>{html.escape(message('label.sources', lang))}</h2>{sources_html}</body></html>"
    )
    if "html" in formats:
        report.files["html"] = _write(out / "world-report.html", page)
    if "pdf" in formats:
        from matplotlib.backends.backend_pdf import PdfPages

        with atomic_write(out / "world-report.pdf") as tmp, PdfPages(tmp) as pdf:
            for fig in figures:
                pdf.savefig(fig, bbox_inches="tight")
        report.files["pdf"] = out / "world-report.pdf"
    for fig in figures:
        plt.close(fig)
    return report
