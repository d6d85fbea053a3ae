"""The report's PNGs: the pixels matplotlib draws, written as opaque RGB with matplotlib's metadata."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from coreduce.report.drawing import encode, layout, png_bytes


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


def test_png_carries_the_metadata_in_latin_1_and_beyond_and_its_resolution():
    fig = _figure()
    options = {**layout(fig), "metadata": {"Title": "图 1 协同减排", "Author": "Zoë"}}
    png = Image.open(io.BytesIO(encode(fig, "png", options, 300)))
    png.load()
    assert (png.info["Title"], png.info["Author"]) == ("图 1 协同减排", "Zoë")
    assert png.info["dpi"] == pytest.approx((300, 300), abs=1e-3)  # 11,811 pixels per metre


def test_png_bytes_is_a_valid_png_of_the_given_pixels():
    rgba = np.random.default_rng(5).integers(0, 256, (7, 13, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    image = Image.open(io.BytesIO(png_bytes(rgba, 72, {})))
    image.verify()  # every chunk's CRC and the end of the stream checked
    image = Image.open(io.BytesIO(png_bytes(rgba, 72, {})))
    assert image.mode == "RGB"
    assert np.array_equal(np.asarray(image), rgba[..., :3])


def test_a_constrained_figure_laid_out_without_drawing_draws_as_one_laid_out_by_a_draw():
    ours, theirs = _figure(), _figure()
    options = layout(ours)
    assert ours.get_layout_engine() is None  # no save lays it out again
    theirs.draw_without_rendering()  # constrained layout run by a draw at the figure's DPI
    theirs.set_layout_engine(None)
    assert [ax.get_position().bounds for ax in ours.axes] == [ax.get_position().bounds for ax in theirs.axes]
    png = np.asarray(Image.open(io.BytesIO(encode(ours, "png", options, 150))))
    assert np.array_equal(png, np.asarray(Image.open(io.BytesIO(encode(theirs, "png", options, 150)))))


def test_figures_are_drawn_with_the_collector_paused_and_left_as_it_was(monkeypatch):
    import gc

    seen = []
    draw = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: (seen.append(gc.isenabled()), draw(self, renderer)))
    fig = _figure()
    assert gc.isenabled()
    encode(fig, "png", layout(fig), 72)
    assert seen and not any(seen)
    assert gc.isenabled()
    gc.disable()
    try:
        encode(fig, "svg", layout(fig))
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_a_figure_with_more_texts_is_costlier_to_draw_than_one_as_large_with_fewer():
    from coreduce.report.drawing import COST_PER_SQUARE_INCH, COST_PER_TEXT, drawing_cost

    plain, labelled = _figure(), _figure()
    for i in range(20):
        labelled.axes[0].text(i, 0, f"{i}")
    assert drawing_cost(labelled) == pytest.approx(drawing_cost(plain) + 20 * COST_PER_TEXT)
    assert drawing_cost(Figure(figsize=(4, 3))) == pytest.approx(12 * COST_PER_SQUARE_INCH)
