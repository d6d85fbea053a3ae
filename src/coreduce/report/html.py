"""The self-contained HTML report: one file, CSS inline, every figure an inline base64 PNG, no external link."""

from __future__ import annotations

import base64
import html
import io
import math
import re
from datetime import UTC, datetime
from importlib.resources import files

import jinja2
import pandas as pd

from coreduce.report.i18n import Text, unicode_text
from coreduce.report.model import Report, ReportFigure, ReportTable

HTML_DPI = 130
BREAK_AFTER = re.compile(r"([_/.])(?=\S)")
"""Where long table text may break besides spaces: after an underscore, slash or dot followed by more text."""
SHORT_TEXT = 14
"""Text columns whose longest value has at most this many characters are not wrapped in tables."""


def format_number(value: object) -> str:
    """How a number is shown in report tables: thousands separators for large values, 3 decimals for small."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    number = float(value)
    if isinstance(value, int) or (number.is_integer() and abs(number) >= 1000):
        return f"{number:,.0f}"
    if abs(number) >= 1000:
        return f"{number:,.0f}"
    if abs(number) >= 100:
        return f"{number:.1f}"
    if abs(number) >= 1 or number == 0:
        return f"{number:.3f}"
    return f"{number:.3g}"


def save_options(figure: ReportFigure) -> dict[str, object]:
    """``savefig`` options: figures laid out by matplotlib's constrained layout are saved as laid out; figures
    with hand-placed axes (framework, maps) are cropped to their drawn content (``bbox_inches="tight"``, which
    costs a second draw, so it is used only where the layout does not already fit the content)."""
    tight = figure.figure.get_layout_engine() is None
    return {"bbox_inches": "tight" if tight else None, "facecolor": "white"}


def png_bytes(figure: ReportFigure, dpi: int = HTML_DPI) -> bytes:
    buffer = io.BytesIO()
    figure.figure.savefig(buffer, format="png", dpi=dpi, **save_options(figure))
    return buffer.getvalue()


def _is_year(name: object) -> bool:
    """A column of years, shown without thousands separators: ``year``, ``start year``, ``年份``, ``起始年``."""
    label = str(name).strip().lower()
    return label.endswith(("year", "年", "年份"))


def table_html(table: ReportTable) -> str:
    """A table as HTML: formatted numbers right-aligned, text left-aligned (class ``text``), years as is."""
    frame = table.frame.reset_index() if table.index else table.frame
    esc = html.escape
    numeric = {c: pd.api.types.is_numeric_dtype(frame[c]) and not _is_year(c) for c in frame.columns}
    # short text (names, codes, states) stays on one line; long text (citations, reasons) wraps
    short = {c: frame[c].astype(str).str.len().max() <= SHORT_TEXT if len(frame) else True for c in frame.columns}
    head = "".join(f'<th class="{"num" if numeric[c] else "text"}">{esc(str(c))}</th>' for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row, strict=True):
            if numeric[column]:
                cells.append(f'<td class="num">{esc(format_number(value))}</td>')
            else:
                shown = "–" if value is None or (isinstance(value, float) and math.isnan(value)) else value
                if _is_year(column) and isinstance(shown, float) and shown.is_integer():
                    shown = int(shown)
                if short[column]:
                    cells.append(f'<td class="text nowrap">{esc(str(shown))}</td>')
                else:  # long text may break after _ / . (series codes, paths), never inside a word
                    breakable = BREAK_AFTER.sub("\\1<wbr>", esc(str(shown)))
                    cells.append(f'<td class="text">{breakable}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    wide = " wide" if not all(short[c] or numeric[c] for c in frame.columns) else ""
    return (
        f'<table class="data-table{wide}" data-key="{esc(table.key)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def render_html(
    report: Report,
    images: dict[str, bytes] | None = None,
    generated: datetime | None = None,
    vector: bool = False,
) -> str:
    """The report as one HTML document. ``images`` maps figure key → PNG bytes (drawn here when absent), or SVG
    bytes with ``vector=True`` (the page printed to PDF, so that its figures stay vector graphics)."""
    from coreduce import __version__

    images = images or {}
    encoded = {
        fig.key: base64.b64encode(images.get(fig.key) or png_bytes(fig)).decode("ascii") for fig in report.figures
    }
    tables = {tab.key: table_html(tab) for tab in report.tables}
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(files("coreduce.report").joinpath("templates"))),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["text"] = unicode_text
    template = env.get_template("report.html.j2")
    css = files("coreduce.report").joinpath("templates", "report.css").read_text(encoding="utf-8")
    stamp = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    t = Text(report.lang)
    return template.render(
        report=report,
        images=encoded,
        tables={k: jinja2.utils.markupsafe.Markup(v) for k, v in tables.items()},
        css=jinja2.utils.markupsafe.Markup(css),
        generated=t("html.generated_stamp", stamp=stamp),
        omitted_label=t("omitted"),
        version=__version__,
        mime="image/svg+xml" if vector else "image/png",
        vector=vector,
    )


def external_references(markup: str) -> list[str]:
    """Every ``src``/``href``/CSS ``url()`` in ``markup`` that would make a browser fetch something.

    In-page anchors (``#…``) and ``data:`` URIs are local; anything else is reported.
    """
    found = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", markup, flags=re.IGNORECASE)
    found += re.findall(r"""url\(\s*["']?([^"')]*)""", markup, flags=re.IGNORECASE)
    found += re.findall(r"""@import\s+["']([^"']+)""", markup, flags=re.IGNORECASE)
    return [ref for ref in found if not (ref.startswith("#") or ref.startswith("data:"))]
