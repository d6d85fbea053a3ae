"""The report's PNGs: the pixels matplotlib draws, written as opaque RGB with matplotlib's metadata."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from coreduce.report.drawing import encode, layout


def _figure() -> Figure:
    fig = Figure(figsize=(4, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.plot(np.arange(50), np.sin(np.arange(50) / 4), color="#1f77b4")
    ax.imshow(np.random.default_rng(3).random((8, 8)), extent=(0, 49, -1, 1), aspect="auto", alpha=0.5)
    ax.set_title("0.1 + 0.2")
    return fig


def test_png_has_matplotlibs_pixels_without_the_alpha_channel():
    ours, theirs = _figure(), _figure()
    png = Image.open(io.BytesIO(encode(ours, "png", layout(ours), 150)))
    buffer = io.BytesIO()
    theirs.savefig(buffer, format="png", dpi=150, **layout(theirs))
    reference = Image.open(buffer)
    assert (png.mode, reference.mode) == ("RGB", "RGBA")
    assert png.size == reference.size
    assert np.asarray(reference)[..., 3].min() == 255  # the white background: nothing transparent was dropped
    assert np.array_equal(np.asarray(png), np.asarray(reference)[..., :3])
    assert png.info["dpi"] == reference.info["dpi"]
    assert png.info["Software"] == reference.info["Software"]


def test_svg_of_the_same_figure_is_still_written_after_a_png():
    fig = _figure()
    options = layout(fig)
    encode(fig, "png", options, 72)
    assert encode(fig, "svg", options).lstrip().startswith(b"<?xml")
