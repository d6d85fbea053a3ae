"""CPU time to draw the report's figures, per figure and step: the layout pass (``coreduce.report.drawing.layout``),
the SVG and the PNG (``drawing.encode``), against matplotlib's own ``savefig`` of the same figure in both formats
(each save laying the figure out itself, the PNG written by Pillow as RGBA).

    python benchmarks/bench_report_figures.py [--repeat 3] [--dpi 300]

Then the choice of the PNG encoder (``coreduce.report.drawing.PNG_LEVEL``): every figure's pixels at ``--dpi``
compressed by ``drawing.png_bytes`` at zlib levels 1, 3, 4 and 6 and by Pillow (matplotlib's encoder: every row
filtered adaptively, level 6, as RGB and as matplotlib's RGBA), CPU seconds (best of ``--repeat``) and MiB for all.

The report's figures are made once from the bundled panel in one process (the analyses are not timed); each round
draws every figure both ways, giving a constrained-layout figure its layout engine back before each drawing, and
the best CPU second (``time.process_time``) of ``--repeat`` rounds is kept per figure and step. Printed: the
problem size (figures, their pixels at ``--dpi``, their text artists), the machine's CPUs and load average before
and after, per figure the seconds of each step both ways and the PNG's size, and the totals.
"""

from __future__ import annotations

import argparse
import io
import os
import time

import matplotlib
import numpy as np

matplotlib.use("Agg")


def cpu(work) -> tuple[float, object]:
    """CPU seconds of this process spent in ``work()``, and its result."""
    started = time.process_time()
    result = work()
    return time.process_time() - started, result


def matplotlibs(fig, dpi: int) -> dict[str, tuple[float, int]]:
    """The figure saved as SVG and as PNG by matplotlib itself, each save laying it out (``bbox_inches="tight"``
    for a figure without a layout engine): seconds and bytes per format."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    options = {"facecolor": "white", "bbox_inches": "tight" if fig.get_layout_engine() is None else None}
    out = {}
    for fmt, extra in (("svg", {}), ("png", {"dpi": dpi})):
        FigureCanvasAgg(fig)
        buffer = io.BytesIO()
        seconds, _ = cpu(
            lambda fmt=fmt, extra=extra, buffer=buffer: fig.savefig(buffer, format=fmt, **options, **extra)
        )
        out[fmt] = (seconds, len(buffer.getvalue()))
    return out


def reports(fig, dpi: int) -> dict[str, tuple[float, int]]:
    """The figure laid out once and saved as SVG and PNG the way the report does: seconds (and bytes) per step."""
    from coreduce.report.drawing import encode, layout

    seconds, options = cpu(lambda: layout(fig))
    out = {"layout": (seconds, 0)}
    for fmt, extra in (("svg", ()), ("png", (dpi,))):
        seconds, data = cpu(lambda fmt=fmt, extra=extra: encode(fig, fmt, options, *extra))
        out[fmt] = (seconds, len(data))
    return out


def encoders(figures, dpi: int, repeat: int) -> None:
    """CPU seconds and MiB of the figures' PNGs by each encoder (see the module's docstring); one figure's pixels
    in memory at a time, the best of ``repeat`` per figure and encoder."""
    import zlib

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from coreduce.report.drawing import PNG_LEVEL, png_bytes

    ways = {
        f"zlib level {level}" + (" (report)" if level == PNG_LEVEL else ""): (
            lambda rgba, level=level: png_bytes(rgba, dpi, {}, level)
        )
        for level in (1, 3, 4, 6)
    }
    ways["Pillow RGBA (matplotlib)"] = lambda rgba: _pillow(rgba, "RGBA")
    ways["Pillow RGB"] = lambda rgba: _pillow(rgba, "RGB")
    ways["Pillow RGB, run-length"] = lambda rgba: _pillow(rgba, "RGB", compress_type=zlib.Z_RLE)
    totals = dict.fromkeys(ways, (0.0, 0))
    megapixels = 0.0
    for fig in figures:
        fig.set_dpi(dpi)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        rgba = np.asarray(canvas.buffer_rgba())
        megapixels += rgba.shape[0] * rgba.shape[1] / 1e6
        for name, encode in ways.items():
            runs = [cpu(lambda encode=encode, rgba=rgba: encode(rgba)) for _ in range(repeat)]
            seconds, data = min(runs, key=lambda run: run[0])
            totals[name] = (totals[name][0] + seconds, totals[name][1] + len(data))
    print(f"\nPNG encoders, {len(figures)} figures, {megapixels:.1f} Mpixel (CPU s, best of {repeat}; MiB):")
    for name, (seconds, size) in totals.items():
        print(f"  {name:<28}{seconds:>7.3f}{size / 2**20:>8.2f}")


def _pillow(rgba, mode: str, **options) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(rgba).convert(mode).save(buffer, format="png", **options)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="rounds (best CPU time per figure and step)")
    parser.add_argument("--dpi", type=int, default=300)
    args = parser.parse_args()

    os.environ["COREDUCE_REPORT_PROCESSES"] = "1"
    from matplotlib.text import Text

    from coreduce.data import load_bundled
    from coreduce.report.build import make_report
    from coreduce.report.fonts import rc_params

    report, choice = make_report(load_bundled(), "zh")
    figures = {fig.key: fig.figure for fig in report.figures}
    engines = {key: fig.get_layout_engine() for key, fig in figures.items()}
    pixels = sum(int(fig.get_figwidth() * args.dpi) * int(fig.get_figheight() * args.dpi) for fig in figures.values())
    texts = sum(len(fig.findobj(Text)) for fig in figures.values())
    load_before = os.getloadavg()[0]
    best: dict[tuple[str, str, str], tuple[float, int]] = {}
    with matplotlib.rc_context(rc_params(choice)):
        for _ in range(args.repeat):
            for key, fig in figures.items():
                for way, draw in (("matplotlib", matplotlibs), ("report", reports)):
                    fig.set_layout_engine(engines[key])
                    for step, measured in draw(fig, args.dpi).items():
                        if (key, way, step) not in best or measured[0] < best[key, way, step][0]:
                            best[key, way, step] = measured
    print(
        f"report figures as SVG + PNG ({args.dpi} dpi): {len(figures)} figures, {pixels / 1e6:.1f} Mpixel, "
        f"{texts:,} text artists; {os.cpu_count()} CPUs, load average {load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after; CPU seconds, best of {args.repeat} rounds"
    )
    header = f"{'figure':<28}{'mpl svg':>8}{'png':>7}{'KiB':>6} │{'layout':>7}{'svg':>7}{'png':>7}{'KiB':>6}"
    print(header)
    print("─" * len(header))
    total = dict.fromkeys(("msvg", "mpng", "mkib", "layout", "svg", "png", "kib"), 0.0)
    for key in figures:
        row = {
            "msvg": best[key, "matplotlib", "svg"][0],
            "mpng": best[key, "matplotlib", "png"][0],
            "mkib": best[key, "matplotlib", "png"][1] / 1024,
            "layout": best[key, "report", "layout"][0],
            "svg": best[key, "report", "svg"][0],
            "png": best[key, "report", "png"][0],
            "kib": best[key, "report", "png"][1] / 1024,
        }
        total = {name: total[name] + value for name, value in row.items()}
        print(f"{key:<28}{_cells(row)}")
    print("─" * len(header))
    print(f"{'all figures':<28}{_cells(total)}")
    print(
        f"{'':<28}{total['msvg'] + total['mpng']:>15.2f}{'':>6} │"
        f"{total['layout'] + total['svg'] + total['png']:>21.2f}  (CPU s, all steps)"
    )
    with matplotlib.rc_context(rc_params(choice)):
        encoders(list(figures.values()), args.dpi, args.repeat)


def _cells(row: dict[str, float]) -> str:
    return (
        f"{row['msvg']:>8.3f}{row['mpng']:>7.3f}{row['mkib']:>6.0f} │"
        f"{row['layout']:>7.3f}{row['svg']:>7.3f}{row['png']:>7.3f}{row['kib']:>6.0f}"
    )


if __name__ == "__main__":
    main()
