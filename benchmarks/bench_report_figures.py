"""Time to write the report's figures as PNG (300 dpi) and SVG: each figure's files from one layout and one crop
measurement (``coreduce.report.html.figure_files``) against the way the report wrote them before (``savefig``
twice with ``bbox_inches="tight"``, which measures the content again for each format).

    python benchmarks/bench_report_figures.py [--repeat 2] [--dpi 300]

The report's figures are made from the bundled panel (the analyses are not timed); each variant gets freshly
made figures, so neither profits from the other's layout. Printed: the problem size (figures, of which maps,
and the base map's vertices), the machine's load average, per figure and in all the wall seconds and the number
of figure draw passes (real draws and measuring draws) of each variant, best of ``--repeat`` rounds.
"""

from __future__ import annotations

import argparse
import io
import os
import time
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg")


@contextmanager
def counting_draws():
    """Count calls of ``Figure.draw`` (every pass over a figure's artists, measuring or rendering)."""
    from matplotlib.figure import Figure

    calls = {"n": 0}
    original = Figure.draw

    def draw(self, renderer):
        calls["n"] += 1
        return original(self, renderer)

    Figure.draw = draw
    try:
        yield calls
    finally:
        Figure.draw = original


def before(figure, dpi: int) -> tuple[bytes, bytes]:
    """What the report did before: PNG then SVG, each ``savefig`` measuring the crop box itself."""
    from coreduce.report.html import save_options

    options = save_options(figure)
    png, svg = io.BytesIO(), io.BytesIO()
    figure.figure.savefig(png, format="png", dpi=dpi, **options)
    if figure.figure.get_layout_engine() is not None:
        figure.figure.set_layout_engine("none")
    figure.figure.savefig(svg, format="svg", **options)
    return png.getvalue(), svg.getvalue()


def run(variant, panel, dpi: int) -> tuple[dict[str, tuple[float, int]], int]:
    """Seconds and draw passes per figure key for ``variant``, with fresh figures; and the number of figures."""
    from coreduce.report.build import make_report
    from coreduce.report.fonts import rc_params

    report, choice = make_report(panel, "zh")
    out = {}
    with matplotlib.rc_context(rc_params(choice)):
        for fig in report.figures:
            with counting_draws() as calls:
                started = time.perf_counter()
                variant(fig, dpi)
                out[fig.key] = (time.perf_counter() - started, calls["n"])
    return out, len(report.figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=2, help="rounds per variant (best time per figure)")
    parser.add_argument("--dpi", type=int, default=300)
    args = parser.parse_args()

    import shapely

    from coreduce.data.open import open_panel
    from coreduce.geo.basemap import china_basemap
    from coreduce.report.html import figure_files

    panel = open_panel(None)
    base = china_basemap()
    vertices = int(shapely.get_num_coordinates(base.provinces.geometry.to_numpy()).sum())
    vertices += int(shapely.get_num_coordinates(base.outline)) + int(shapely.get_num_coordinates(base.dashes))
    best: dict[str, dict[str, tuple[float, int]]] = {"before": {}, "now": {}}
    for _ in range(args.repeat):
        for name, variant in (("before", before), ("now", figure_files)):
            timings, count = run(variant, panel, args.dpi)
            for key, (seconds, draws) in timings.items():
                if key not in best[name] or seconds < best[name][key][0]:
                    best[name][key] = (seconds, draws)
    maps = sum(1 for key in best["now"] if "_map_" in key)
    print(
        f"report figures as PNG ({args.dpi} dpi) + SVG: {count} figures ({maps} maps on a base map of "
        f"{vertices:,} vertices); {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
        f"best of {args.repeat} rounds"
    )
    header = f"{'figure':<30}{'before s':>9}{'draws':>6}{'now s':>8}{'draws':>6}"
    print(header)
    print("-" * len(header))
    totals = [0.0, 0, 0.0, 0]
    for key in best["now"]:
        b, n = best["before"][key], best["now"][key]
        print(f"{key:<30}{b[0]:>9.2f}{b[1]:>6}{n[0]:>8.2f}{n[1]:>6}")
        totals = [totals[0] + b[0], totals[1] + b[1], totals[2] + n[0], totals[3] + n[1]]
    print("-" * len(header))
    print(f"{'all figures':<30}{totals[0]:>9.2f}{totals[1]:>6}{totals[2]:>8.2f}{totals[3]:>6}")


if __name__ == "__main__":
    main()
