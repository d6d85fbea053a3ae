"""Drawing the report's figures as SVG (for the PDF) and PNG (for the HTML and the figure files).

Each figure is laid out once (:func:`layout`) and then drawn once by each format's renderer (:func:`encode`).
The figures are shared between this process and a second one (:class:`~coreduce.report.background.Background`,
where the machine allows): the second process draws the figures :func:`split` gives it, and both draw every SVG
before any PNG, so that the PDF can be printed from the SVGs while the PNGs are drawn (:class:`Drawing`).
"""

from __future__ import annotations

import gc
import io
import struct
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import matplotlib
import numpy as np
from matplotlib import cbook
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from coreduce.report.background import Background, second_process
from coreduce.report.model import ReportFigure


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector off within the block (as it was before, afterwards); also a decorator.

    Building and drawing a figure allocate hundreds of thousands of short-lived objects (artists, ticks,
    transforms, paths, text layouts), and every 700 net allocations the collector runs; its older generations then
    walk every live object of the report process (the panel, the analyses' results: some 300,000), each time:
    about a tenth of the CPU of drawing the report's figures and a quarter of building them. What a drawing leaves
    in reference cycles (a few thousand objects per figure) is collected by the next collection after the block.
    The report's figure functions are decorated with it, and :func:`layout` and :func:`encode` run in it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def layout(fig: Figure) -> dict[str, object]:
    """Lay ``fig`` out once and return the ``savefig`` options every format uses.

    ``savefig(bbox_inches="tight")`` measures the drawn content anew for every format it writes; here a
    hand-placed figure's crop box is measured once (``draw_without_rendering`` + ``get_tightbbox``, padded by
    ``savefig.pad_inches`` as savefig would) and given to every save; a figure with a layout engine (constrained
    layout) has the engine run once, which measures what it needs, without the figure being drawn, and is then
    freed of it, so that no save lays it out again (positions are figure fractions, the same at every DPI).
    """
    options: dict[str, object] = {"facecolor": "white"}
    engine = fig.get_layout_engine()
    with collector_paused():
        if engine is None:
            fig.draw_without_rendering()
            options["bbox_inches"] = fig.get_tightbbox().padded(matplotlib.rcParams["savefig.pad_inches"])
        else:  # laid out now; without an engine no save runs the layout's measuring pass again
            engine.execute(fig)
            fig.set_layout_engine(None)
    return options


PNG_LEVEL = 3
"""zlib level of the report's PNGs. Measured on the report's 14 figures at 300 dpi (67 Mpixel; benchmarks/
bench_report_figures.py, CPU s and MiB): level 1 0.26 s 3.67 MiB, level 3 0.27 s 3.52, level 4 0.46 s 2.88,
level 6 0.55 s 2.76; Pillow's filtered encoder 0.82 s 3.34 (RGB, run-length), 1.34 s 3.41 (matplotlib's RGBA).
Level 3 is as fast as level 1 and 4 % smaller; from level 4 on zlib searches for matches lazily, 70 % more time
for 18 % less, and the report's time matters more than its size."""


def png_bytes(rgba: np.ndarray, dpi: float, text: dict[str, str], level: int = PNG_LEVEL) -> bytes:
    """``rgba`` (height × width × 4, uint8, opaque) as an 8-bit RGB PNG (ISO/IEC 15948: IHDR, tEXt/iTXt per
    ``text`` entry, pHYs for ``dpi``, one IDAT, IEND) whose rows are not filtered (filter type 0).

    Pillow filters every row adaptively (it tries four of PNG's five filters on each row and keeps the one with
    the smallest sum of absolute values, as libpng does): on a chart's flat colours and anti-aliased edges
    that costs more time than compressing and saves little, so rows go to zlib as they are (at ``level``),
    in a third of the time of Pillow's encoder (:data:`PNG_LEVEL`)."""
    height, width = rgba.shape[:2]
    # Pillow packs RGBA into RGB five times faster than a strided numpy copy
    rgb = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).tobytes("raw", "RGB")
    rows = np.zeros((height, 1 + 3 * width), np.uint8)  # each row: filter type 0, then R G B per pixel
    rows[:, 1:] = np.frombuffer(rgb, np.uint8).reshape(height, 3 * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    per_metre = round(dpi / 0.0254)
    texts = []
    for key, value in text.items():
        try:
            texts.append(chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1")))
        except UnicodeEncodeError:  # international text: keyword, no compression, no language tag, UTF-8
            texts.append(chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8")))
    compressor = zlib.compressobj(level)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            *texts,
            chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            chunk(b"IDAT", compressor.compress(rows) + compressor.flush()),
            chunk(b"IEND", b""),
        ]
    )


class _OpaqueCanvas(FigureCanvasAgg):
    """An Agg canvas whose PNG is opaque RGB, written by :func:`png_bytes`.

    Matplotlib writes RGBA PNGs through Pillow; the report's figures have a white background (no transparency),
    so the alpha channel is a quarter of the pixels for nothing. The same pixels, metadata and resolution as
    matplotlib writes, in a fifth of its encoding time and a file 3 % larger."""

    def print_png(self, filename_or_obj, *, metadata=None, **_savefig) -> None:  # dpi, facecolor: set by savefig
        FigureCanvasAgg.draw(self)
        fields = {
            "Software": f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/",
            **(metadata or {}),
        }
        text = {key: value for key, value in fields.items() if value is not None}
        with cbook.open_file_cm(filename_or_obj, "wb") as file:
            file.write(png_bytes(np.asarray(self.buffer_rgba()), self.figure.dpi, text))


def encode(fig: Figure, fmt: str, options: dict[str, object], dpi: int | None = None) -> bytes:
    """``fig`` drawn as ``fmt`` (e.g. ``png`` at ``dpi``, or ``svg``) with the options of :func:`layout`; without
    ``dpi`` matplotlib's ``savefig.dpi`` applies (to an SVG's embedded images). PNGs are opaque RGB
    (:class:`_OpaqueCanvas`). Drawn with the garbage collector paused (:func:`collector_paused`)."""
    buffer = io.BytesIO()
    if fmt == "png":
        _OpaqueCanvas(fig)
    with collector_paused():
        fig.savefig(buffer, format=fmt, **options, **({"dpi": dpi} if dpi is not None else {}))
    return buffer.getvalue()


COST_PER_SQUARE_INCH = 1.85e-3
"""CPU seconds of drawing a figure (layout, SVG, 300-dpi PNG) per square inch of it; with :data:`COST_PER_TEXT` a
least-squares fit to the report's 14 figures in benchmarks/bench_report_figures.py (residual 0.02 s a figure,
against 0.05 s by area alone)."""
COST_PER_TEXT = 0.47e-3
"""CPU seconds of drawing a figure per text artist of it (titles, labels, tick labels; see
:data:`COST_PER_SQUARE_INCH`)."""


def drawing_cost(figure: Figure) -> float:
    """The CPU seconds that drawing ``figure`` takes, estimated from its area and its texts
    (:data:`COST_PER_SQUARE_INCH`, :data:`COST_PER_TEXT`)."""
    width, height = figure.get_size_inches()
    return float(width * height) * COST_PER_SQUARE_INCH + len(figure.findobj(Text)) * COST_PER_TEXT


def split(figures: Sequence[ReportFigure]) -> tuple[list[int], list[int]]:
    """Positions of the figures this process draws and of those the second process draws: the costliest first
    (:func:`drawing_cost`), each to the process with less drawing so far."""
    costs = [drawing_cost(figure.figure) for figure in figures]
    parts: tuple[list[int], list[int]] = ([], [])
    loads = [0.0, 0.0]
    for i in sorted(range(len(figures)), key=costs.__getitem__, reverse=True):
        lighter = 0 if loads[0] <= loads[1] else 1
        parts[lighter].append(i)
        loads[lighter] += costs[i]
    return sorted(parts[0]), sorted(parts[1])


DPI = 300
"""PNG resolution of the report's figures unless the configuration says otherwise."""


def predraw(figure: ReportFigure, dpi: int) -> None:
    """Draw ``figure`` now, as :class:`Drawing` would (SVG, PNG at ``dpi``), and keep the bytes on it: the report
    process does this while it waits for the second process, and :class:`Drawing` then reuses them."""
    options = layout(figure.figure)
    svg = encode(figure.figure, "svg", options)
    figure.drawn = {"options": options, "svg": svg, "png": encode(figure.figure, "png", options, dpi), "dpi": dpi}


def _draw(figures: Sequence[ReportFigure], positions: list[int], dpi: int) -> Iterator[dict[str, bytes]]:
    """Lay out the figures at ``positions``, then yield their SVGs, then their PNGs (figure key → bytes); what
    :func:`predraw` drew at this ``dpi`` is taken as drawn."""
    ready = {i: figures[i].drawn for i in positions if figures[i].drawn.get("dpi") == dpi}
    options = {i: ready[i]["options"] if i in ready else layout(figures[i].figure) for i in positions}
    yield {figures[i].key: ready[i]["svg"] if i in ready else encode(figures[i].figure, "svg", options[i])
           for i in positions}  # fmt: skip
    yield {figures[i].key: ready[i]["png"] if i in ready else encode(figures[i].figure, "png", options[i], dpi)
           for i in positions}  # fmt: skip


class Drawing:
    """The report's figures drawn by this process and, where the machine allows, a second one: :meth:`vectors`
    (every SVG) and then :meth:`images` (every PNG), both keyed by figure in report order."""

    def __init__(self, figures: Sequence[ReportFigure], dpi: int) -> None:
        self._keys = [fig.key for fig in figures]
        todo = [i for i, fig in enumerate(figures) if fig.drawn.get("dpi") != dpi]
        theirs = [todo[j] for j in split([figures[i] for i in todo])[1]] if second_process() and len(todo) > 1 else []
        mine = [i for i in range(len(figures)) if i not in theirs]
        self._other = Background(lambda: _draw(figures, theirs, dpi)) if theirs else None
        self._own = _draw(figures, mine, dpi)

    def _both(self) -> dict[str, bytes]:
        drawn = next(self._own)
        if self._other is not None:
            drawn |= self._other.get()
        return {key: drawn[key] for key in self._keys}

    def vectors(self) -> dict[str, bytes]:
        """Every figure as SVG (call first)."""
        return self._both()

    def images(self) -> dict[str, bytes]:
        """Every figure as PNG (call after :meth:`vectors`); the second process is done afterwards."""
        try:
            return self._both()
        finally:
            self.close()

    def close(self) -> None:
        if self._other is not None:
            self._other.close()
