"""The DiD / event-study estimator against a textbook's printed numbers, then on the provincial panel.

Reference: Wooldridge, J. M. (2013), *Introductory Econometrics: A Modern Approach*, 5th ed., Example 14.1
"Effect of Job Training on Firm Scrap Rates" (pp. 465–466): fixed effects of log(scrap) on d88, d89, grant and
grant₋₁, JTRAIN 1987–1989, n = 162: grant −.252 (.151), grant₋₁ −.422 (.210). The data are the copy of JTRAIN
bundled with linearmodels (``linearmodels.datasets.jobtraining``; Holzer et al. 1993, ILR Review 46: 625–636;
linearmodels is NCSA-licensed), read offline.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coreduce.finance.did import did, event_dummies, event_study
from coreduce.methods.econometrics import RegressionError


@pytest.fixture(scope="module")
def jtrain():
    from linearmodels.datasets import jobtraining

    data = jobtraining.load().set_index(["fcode", "year"]).sort_index()
    first = data.loc[data["grant"] == 1].reset_index().groupby("fcode")["year"].min()
    return data, first


def test_event_study_reproduces_wooldridge_example_14_1(jtrain):
    data, first = jtrain
    fit = event_study(data, "lscrap", first, leads=0, lags=1, covariance="unadjusted")
    assert fit.nobs == 162
    assert fit.table.loc["k=0", "coef"] == pytest.approx(-0.252, abs=5e-4)
    assert fit.table.loc["k=1", "coef"] == pytest.approx(-0.422, abs=5e-4)
    assert fit.table.loc["k=0", "std_err"] == pytest.approx(0.151, abs=5e-4)
    assert fit.table.loc["k=1", "std_err"] == pytest.approx(0.210, abs=5e-4)
    assert np.isnan(fit.pretrend_pvalue)  # no leads: every pre-treatment year is the reference


def test_did_on_the_grant_dummy_equals_the_event_study_without_lags(jtrain):
    data, first = jtrain
    treated = data.assign(D=(data["grant"] + data["grant_1"]).clip(upper=1))
    a = did(treated, "lscrap", "D", covariance="unadjusted")
    b = event_study(data, "lscrap", first, leads=0, lags=0, covariance="unadjusted")
    assert a.table.loc["D", "coef"] == pytest.approx(b.table.loc["k=0", "coef"], rel=1e-10)
    assert a.n_treated == b.n_treated == 29  # firms with a grant among the 54 with scrap rates


def test_event_dummies_bin_the_end_periods_and_leave_out_minus_one():
    rel = pd.Series([-6, -4, -2, -1, 0, 1, 5, np.nan])
    d = event_dummies(rel, leads=4, lags=2)
    assert list(d.columns) == ["k=-4", "k=-3", "k=-2", "k=0", "k=1", "k=2"]
    assert d["k=-4"].tolist() == [1, 1, 0, 0, 0, 0, 0, 0]
    assert d["k=2"].tolist() == [0, 0, 0, 0, 0, 0, 1, 0]
    assert d.iloc[3].sum() == 0 and d.iloc[7].sum() == 0


def test_event_study_refuses_a_lag_no_treated_unit_reaches(jtrain):
    data, first = jtrain
    with pytest.raises(RegressionError, match="k=3"):
        event_study(data, "lscrap", first, leads=0, lags=3)
