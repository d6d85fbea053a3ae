"""Results shared within a run: keyed by every convention the analysis reads, equal to a fresh computation, and
never changed by another caller."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from coreduce.analysis._shared import shared, shared_results
from coreduce.analysis.conventions import PRICE_KEYS, WINDOW, ProvinceConventions
from coreduce.analysis.costatus import CONVENTION_KEYS as COSTATUS_KEYS
from coreduce.analysis.costatus import costatus
from coreduce.analysis.nqpf import CONVENTION_KEYS as NQPF_KEYS
from coreduce.analysis.nqpf import nqpf_index

# reads made while listing or copying all conventions (records, replace) are not reads by the analysis
BOOKKEEPING = (str(Path("coreduce", "conventions.py")), "dataclasses.py")


def _conventions_read(monkeypatch, call) -> set[str]:
    fields = set(ProvinceConventions.keys())
    read: set[str] = set()
    original = ProvinceConventions.__getattribute__

    def spy(self, name):
        if name in fields and not sys._getframe(1).f_code.co_filename.endswith(BOOKKEEPING):
            read.add(name)
        return original(self, name)

    monkeypatch.setattr(ProvinceConventions, "__getattribute__", spy)
    call()
    monkeypatch.undo()
    return read


def test_the_shared_key_holds_every_convention_the_analyses_read(bundled_panel, monkeypatch):
    c = ProvinceConventions(prices="constant")
    read = _conventions_read(monkeypatch, lambda: nqpf_index(bundled_panel, c))
    assert read and read <= {*WINDOW, *NQPF_KEYS}
    read = _conventions_read(monkeypatch, lambda: costatus(bundled_panel, c))
    assert read and read <= {*WINDOW, *PRICE_KEYS, *COSTATUS_KEYS, "synergy_periods"}


def test_a_shared_result_equals_a_fresh_one_and_no_caller_changes_it(bundled_panel):
    c = ProvinceConventions()
    fresh = nqpf_index(bundled_panel, c)
    with shared_results():
        first = nqpf_index(bundled_panel, c)
        first.scores["overall"] = 0.0  # a caller that changes its copy
        second = nqpf_index(bundled_panel, c.replace(co2="co2_ceds"))  # a convention the index does not read
    pd.testing.assert_frame_equal(second.scores, fresh.scores)
    assert second.missing == fresh.missing and second.conventions == fresh.conventions


def test_results_are_computed_once_per_key_inside_a_block_and_afresh_outside():
    calls = []

    def compute():
        calls.append(1)
        return {"value": len(calls)}

    c = ProvinceConventions()
    panel = object()
    assert shared("x", panel, c, ("start",), compute) == {"value": 1}  # no block: computed
    with shared_results():
        assert shared("x", panel, c, ("start",), compute) == {"value": 2}
        assert shared("x", panel, c.replace(end=2020), ("start",), compute) == {"value": 2}  # end not in key
        assert shared("x", panel, c.replace(start=2010), ("start",), compute) == {"value": 3}
        with shared_results():  # a nested block joins the outer one
            assert shared("x", panel, c, ("start",), compute) == {"value": 2}
        assert shared("x", object(), c, ("start",), compute) == {"value": 4}  # another panel
    assert shared("x", panel, c, ("start",), compute) == {"value": 5}


def test_the_coupling_only_status_holds_the_full_status_coupling_conventions_and_gaps(bundled_panel):
    c = ProvinceConventions(coupling_bounds="log")
    full = costatus(bundled_panel, c)
    lean = costatus(bundled_panel, c, coupling_only=True)
    pd.testing.assert_frame_equal(lean.coupling, full.coupling)
    pd.testing.assert_frame_equal(lean.bounds, full.bounds)
    assert (lean.conventions, lean.notes, lean.missing) == (full.conventions, full.notes, full.missing)
    pd.testing.assert_frame_equal(lean.sources, full.sources)
    assert lean.window.empty and lean.yearly.empty and lean.synergy.empty and lean.intensity.empty
    with shared_results():  # neither stands in for the other
        assert not costatus(bundled_panel, c, coupling_only=True).coupling.empty
        assert not costatus(bundled_panel, c).window.empty
