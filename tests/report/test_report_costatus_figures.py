"""The coupling coordination heatmap: each cell in its band's colour, missing cells grey, crisp at any DPI."""

import io

import matplotlib
import numpy as np
import pandas as pd
from PIL import Image

from coreduce.report.drawing import encode, layout
from coreduce.report.figures.costatus import BAND_COLOURS, coupling_heatmap

CODES = ["110000", "120000", "130000"]
YEARS = [2010, 2011, 2012, 2013]
D = np.array([[0.05, 0.15, 0.349, 0.95], [0.5, np.nan, 0.651, 0.999], [0.25, 0.75, 0.85, 0.45]])


def _heatmap():
    rows = [(geo, year, D[i, j]) for i, geo in enumerate(CODES) for j, year in enumerate(YEARS)]
    return coupling_heatmap(pd.DataFrame(rows, columns=["geo", "year", "D"]), "en", CODES)


def test_every_cell_of_the_png_is_its_bands_colour_and_a_missing_cell_grey():
    fig = _heatmap()
    options = layout(fig)
    png = np.asarray(Image.open(io.BytesIO(encode(fig, "png", options, 100))))
    ax = fig.axes[0]
    for i in range(len(CODES)):
        for j in range(len(YEARS)):
            for dx, dy in ((0, 0), (0.45, 0.45), (-0.45, -0.45)):  # the centre and near two corners
                x, y = ax.transData.transform((j + dx, i + dy))
                pixel = png[png.shape[0] - 1 - int(y), int(x)]
                band = "#eeeeee" if np.isnan(D[i, j]) else BAND_COLOURS[int(D[i, j] * 10)]
                expected = np.round(np.array(matplotlib.colors.to_rgb(band)) * 255)
                assert (pixel == expected).all(), (CODES[i], YEARS[j], dx, pixel, band)


def test_the_cells_are_one_image_in_the_svg_not_a_path_each():
    fig = _heatmap()
    svg = encode(fig, "svg", layout(fig)).decode()
    assert svg.count("<image") == 1
    assert svg.count(BAND_COLOURS[0].lower()) <= 1  # the colour bar's patch, not a cell


def test_the_figure_is_built_with_the_collector_paused(monkeypatch):
    import gc

    from matplotlib.figure import Figure

    seen = []
    add_subplot = Figure.add_subplot
    monkeypatch.setattr(
        Figure, "add_subplot", lambda self, *a, **k: (seen.append(gc.isenabled()), add_subplot(self, *a, **k))[1]
    )
    _heatmap()
    assert seen == [False]
    assert gc.isenabled()
