"""The NQPF → coupling-coordination estimate reported as found, its robustness checks, and the saturation of the
coupling coordination degree, on the bundled panel.

Independent numbers: the issue that asked for this reported 26 of 31 provinces in the top band (优质协调) in 2022
with the CEDS CO2 series and the default (pooled, standard) coupling; the same count comes out here with
``co2="co2_ceds"``. The baseline β equals column (2) of :func:`coreduce.analysis.regress.regress`, itself checked
against statsmodels dummy-variable OLS in tests/analysis/test_regress.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from coreduce.analysis.conventions import ProvinceConventions as C
from coreduce.analysis.costatus import costatus
from coreduce.analysis.nqpf_effect import nqpf_effect
from coreduce.analysis.regress import regress
from helpers.panels import nqpf_panel

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def effect(bundled_panel):
    return nqpf_effect(bundled_panel)


def test_negative_estimate_is_reported_with_its_robustness_checks(effect, bundled_panel):
    est = effect.estimates.set_index(["spec", "changed"])
    base = est.loc[("baseline", "")]
    reference = regress(bundled_panel, mediators={}, heterogeneity=False).coefficients
    beta = reference[(reference["model"] == "(2)") & (reference["variable"] == "nqpf")]["coef"].iloc[0]
    assert base["coef"] == pytest.approx(beta, rel=1e-12) and base["coef"] < 0
    assert {"co2", "window", "system", "cluster", "coupling_form", "coupling_bounds"} <= set(effect.estimates["spec"])
    assert ("co2", "co2_ceds") in est.index and ("window", "2011–2019") in est.index
    # clustering changes the standard error only
    assert est.loc[("cluster", "robust"), "coef"] == pytest.approx(base["coef"], rel=1e-12)
    assert est.loc[("cluster", "robust"), "std_err"] != pytest.approx(base["std_err"])
    assert (effect.estimates["ci_low"] < effect.estimates["coef"]).all()
    finding = next(n for n in effect.notes if n.key == "note.effect.finding")
    assert dict(finding.params)["negative"] == int((effect.estimates["coef"] < 0).sum())
    assert "do not show NQPF raising" in finding.text("en")


def test_saturation_comes_from_the_normalisation(effect, bundled_panel):
    sat = effect.saturation.set_index(["coupling_bounds", "coupling_form"])
    pooled = sat.loc[("pooled", "standard")]
    assert pooled["top_band"] >= 0.8 * pooled["provinces"]  # saturated: 25 of 30 with the CEADs series
    assert sat.loc[("log", "standard"), "top_band"] < 0.25 * pooled["top_band"]
    assert (effect.indicators["skewness"] > 1).all()
    ceds = costatus(bundled_panel, C(co2="co2_ceds")).coupling
    last = ceds[(ceds["level"] == "province") & (ceds["year"] == 2022)]
    assert (last["grade"] == 10).sum() == 26 and last["D"].notna().sum() == 31  # the 26 of 31


def test_coupling_bounds_yearly_and_log():
    """Yearly bounds: every year's cross-section spans order degrees 0 to 1; log bounds: the order degree is
    (ln max − ln x) / (ln max − ln min), computed here by hand from the bounds the result records."""
    panel = nqpf_panel()
    yearly = costatus(panel, C(coupling_bounds="yearly"))
    assert yearly.convention("coupling_bounds") == "yearly"
    assert set(yearly.bounds["year"]) == set(range(2008, 2023))
    logged = costatus(panel, C(coupling_bounds="log"))
    bounds = logged.bounds.set_index("indicator")
    assert (bounds["scale"] == "log").all()
    frame = panel.wide(["co2_ceads_energy", "gdp"], ["110000"]).loc["110000"]
    x = np.log(frame.loc[2015, "co2_ceads_energy"] / frame.loc[2015, "gdp"])
    lo, hi = bounds.loc["co2_intensity", ["lower", "upper"]]
    assert lo < x < hi
    pooled = costatus(panel).coupling.set_index(["geo", "year"])
    assert not np.allclose(logged.coupling.set_index(["geo", "year"])["D"].dropna(), pooled["D"].dropna())
