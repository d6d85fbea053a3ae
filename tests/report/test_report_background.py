"""The second process of the report build: the same values as one process, and one process's behaviour when it
cannot be used or fails."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from matplotlib.figure import Figure

from coreduce.report import background
from coreduce.report.background import Background, once
from coreduce.report.drawing import Drawing, split
from coreduce.report.model import ReportFigure


@pytest.fixture
def child_allowed(monkeypatch):
    """The child path, whatever threads earlier tests of this worker left running: the build refuses to fork
    beside other threads (``second_process``), and a run-time check, unlike a mark evaluated at import, cannot be
    turned into a silent in-process pass by them. The children here touch nothing those threads hold."""
    monkeypatch.setattr(background.threading, "active_count", lambda: 1)
    if not background.second_process():
        pytest.skip("no fork or a single CPU: the child path needs Linux and two usable CPUs")


def _values():
    yield os.getpid()
    yield [0.1 + 0.2, "二氧化碳"]


def test_a_child_computes_and_the_values_come_back_in_order(child_allowed):
    job = Background(_values)
    assert job.get() != os.getpid()  # computed by another process
    assert job.get() == [0.1 + 0.2, "二氧化碳"]
    job.close()


def test_one_process_when_asked(monkeypatch):
    monkeypatch.setenv(background.PROCESSES_ENV, "1")
    assert not background.second_process()
    job = Background(_values)
    assert job.get() == os.getpid() and job.get() == [0.1 + 0.2, "二氧化碳"]


def test_a_failing_child_leaves_the_work_and_its_exception_to_this_process(child_allowed):
    parent = os.getpid()

    def fails_in_child():
        if os.getpid() != parent:
            raise RuntimeError("child only")
        return "computed here"

    assert Background(once(fails_in_child)).get() == "computed here"

    def always_fails():
        raise KeyError("the panel has no series x")

    with pytest.raises(KeyError, match="no series x"):
        Background(once(always_fails)).get()

    def unpicklable():
        return lambda: None  # a value the child cannot send back

    assert callable(Background(once(unpicklable)).get())


def _figure(key: str, width: float) -> ReportFigure:
    fig = Figure(figsize=(width, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.plot([2008, 2015, 2022], [2.325, 1.5, 1.001], label="CO2")
    ax.set_title(key)
    return ReportFigure(key=key, title=key, figure=fig, data=pd.DataFrame({"x": [1]}))


def test_figures_are_split_by_drawing_cost_and_drawn_the_same_by_one_or_two_processes(monkeypatch):
    widths = [9, 4, 3, 8, 2]
    # areas 27, 12, 9, 24, 6 in² with 45, 43, 35, 45, 33 texts: costs 71, 42, 33, 66, 27 ms, the costliest first
    # to the lighter side: 71 + 33 + 27 and 66 + 42
    assert split([_figure(f"f{i}", w) for i, w in enumerate(widths)]) == ([0, 2, 4], [1, 3])
    two = Drawing([_figure(f"f{i}", w) for i, w in enumerate(widths)], dpi=72)
    two_svg, two_png = two.vectors(), two.images()
    monkeypatch.setenv(background.PROCESSES_ENV, "1")
    one = Drawing([_figure(f"f{i}", w) for i, w in enumerate(widths)], dpi=72)
    one_svg, one_png = one.vectors(), one.images()
    assert list(two_png) == [f"f{i}" for i in range(5)] == list(two_svg)
    assert two_png == one_png
    assert {k: len(v) for k, v in two_svg.items()} == {k: len(v) for k, v in one_svg.items()}


def test_a_child_that_does_not_answer_is_stopped_and_the_work_done_here(child_allowed, monkeypatch):
    import time

    parent = os.getpid()
    monkeypatch.setattr(background, "WAIT", 0.5)

    def stuck_in_child():
        while os.getpid() != parent:
            time.sleep(1)
        return "computed here"

    job = Background(once(stuck_in_child))
    assert job.get() == "computed here" and job._process is None


def test_no_second_process_while_other_threads_run():
    import threading

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not background.second_process()
    finally:
        release.set()
        other.join()


def test_sections_take_results_from_the_second_process_and_compute_what_it_could_not(monkeypatch):
    from coreduce.report.sections.base import Context

    parent = os.getpid()

    def job():
        yield os.getpid()
        raise ValueError("only in the child")

    ctx = Context(panel=None, lang="en")
    ctx.ahead(job, "a", "b")
    a = ctx.cached("a", lambda: parent)
    assert a != parent if background.second_process() else a == parent
    assert ctx.cached("b", lambda: "computed here") == "computed here"
    assert ctx.used == ["a", "b"] and not ctx.pending
    monkeypatch.setenv(background.PROCESSES_ENV, "1")
    one = Context(panel=None, lang="en")
    one.ahead(job, "a")
    assert not one.pending and one.cached("a", lambda: "computed here") == "computed here"


def test_the_market_analysis_starts_before_the_panel_is_read_with_the_same_result(child_allowed):
    """The carbon market's analysis needs no panel: ``start_early`` forks it before the panel is read, and the
    section then takes the child's result, equal to the one computed here."""
    from coreduce.report import sections
    from coreduce.report.sections.base import Context, SectionUnavailable

    assert sections.start_early({"nqpf", "provinces"}) == {}
    early = sections.start_early({"market", "nqpf"})
    assert set(early) == {"market"}
    ctx = Context(panel=None, lang="en", pending=dict(early))
    try:
        here = sections.market._compute()
    except SectionUnavailable as exc:  # no GEM workbook: the child fails the same way and this process computes
        ctx.close()
        pytest.skip(f"the carbon-market section needs the GEM workbook: {exc}")
    positions, simulated = ctx.cached("market", lambda: pytest.fail("the child gave no result"))
    pd.testing.assert_frame_equal(positions.provinces, here[0].provinces)
    pd.testing.assert_frame_equal(simulated.mac, here[1].mac)
    assert not ctx.pending


def test_figures_drawn_ahead_are_reused_as_they_are():
    from coreduce.report.drawing import predraw

    figures = [_figure(f"f{i}", w) for i, w in enumerate([9, 4, 3])]
    predraw(figures[1], 72)
    kept = dict(figures[1].drawn)
    drawing = Drawing(figures, dpi=72)
    svg, png = drawing.vectors(), drawing.images()
    assert svg["f1"] is kept["svg"] and png["f1"] is kept["png"]
    fresh = Drawing([_figure(f"f{i}", w) for i, w in enumerate([9, 4, 3])], dpi=72)
    fresh.vectors()
    assert fresh.images() == png  # the same pixels whether drawn ahead or not
    again = Drawing(figures, dpi=144)  # another DPI: drawn anew
    again.vectors()
    assert again.images()["f1"] != png["f1"]


def test_warnings_raised_in_the_child_are_raised_here(child_allowed):
    import warnings

    def warns():
        warnings.warn("a province-year left out", UserWarning, stacklevel=1)
        yield 1

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert Background(warns).get() == 1
    assert [str(w.message) for w in caught] == ["a province-year left out"]


def test_the_frozen_collector_gives_back_what_it_froze_and_leaves_an_enclosing_freeze_alone():
    import gc

    assert gc.get_freeze_count() == 0
    with background.frozen_collector():
        outer = gc.get_freeze_count()
        assert outer > 0
        with background.frozen_collector():
            made_inside = [[] for _ in range(10)]
            assert gc.get_freeze_count() >= outer
        assert gc.get_freeze_count() >= outer  # the inner block did not give back the outer one's objects
        del made_inside
    assert gc.get_freeze_count() == 0
