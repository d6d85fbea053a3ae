"""Coupling coordination against the documented output of the R package mathmodels
(``coupling_degree()`` help page, man/system_evaluation.Rd / reference/system_evaluation.md, example data
``df`` with subsystems s1–s3): the standard form with equal weights and the "adjusted" form of Wang Shujia
et al. (2021) with weights (0.4, 0.3, 0.3). The package prints three decimals."""

import numpy as np
import pandas as pd
import pytest

from coreduce.methods.coupling import CouplingError, coupling_coordination, coupling_degree, grade

U = pd.DataFrame(
    {
        "s1": [0.0162, 0.1782, 0.5490, 0.6730, 0.0207, 0.9875],
        "s2": [0.2720, 0.6824, 0.0593, 0.4812, 0.8891, 0.5573],
        "s3": [0.2655, 0.3721, 0.5729, 0.9082, 0.2017, 0.8984],
    },
    index=list("ABCDEF"),
)
STANDARD = {  # coupling, coord, coupling_coord
    "C": [0.571, 0.867, 0.674, 0.967, 0.418, 0.971],
    "T": [0.185, 0.411, 0.394, 0.687, 0.370, 0.814],
    "D": [0.325, 0.597, 0.515, 0.815, 0.393, 0.889],
}
ADJUSTED = {
    "C": [0.447, 0.501, 0.455, 0.669, 0.175, 0.715],
    "T": [0.168, 0.388, 0.409, 0.686, 0.336, 0.832],
    "D": [0.274, 0.440, 0.432, 0.678, 0.242, 0.771],
}


@pytest.mark.parametrize(
    ("form", "weights", "expected"), [("standard", None, STANDARD), ("modified", [0.4, 0.3, 0.3], ADJUSTED)]
)
def test_matches_mathmodels_documented_output(form, weights, expected):
    result = coupling_coordination(U, weights=weights, form=form)
    for column, values in expected.items():
        np.testing.assert_allclose(result[column].to_numpy(), values, atol=5e-4, err_msg=column)
    assert list(result.index) == list("ABCDEF")
    assert result.attrs["conventions"]["coupling form"] == form


def test_two_subsystems_hand_computed():
    # U = (0.2, 0.8): standard C = 2·sqrt(0.16)/1.0 = 0.8; T = 0.5; D = sqrt(0.4) = 0.632456
    # modified: spread = |0.8 − 0.2| / 1 = 0.6; closeness = (0.2/0.8 · 1)^(1/1) = 0.25; C = sqrt(0.4·0.25) = 0.316228
    assert coupling_degree([[0.2, 0.8]])[0] == pytest.approx(0.8)
    assert coupling_degree([[0.2, 0.8]], form="modified")[0] == pytest.approx(np.sqrt(0.1))
    assert coupling_coordination([[0.2, 0.8]])["D"].iloc[0] == pytest.approx(np.sqrt(0.4))


def test_grading_bands_and_labels():
    # Tian et al. (2021), Acta Geographica Sinica 76(4): 781, Table 1: 0.00 < D ≤ 0.10 极度失调, 0.10 < D ≤ 0.20
    # 严重失调, …, 0.40 < D ≤ 0.50 濒临失调, 0.50 < D ≤ 0.60 勉强协调, …, 0.90 < D ≤ 1.00 优质协调
    band, en, zh = grade([0.0, 0.05, 0.1, 0.5, 0.95, 1.0, np.nan])
    assert band.tolist() == [1, 1, 1, 5, 10, 10, 0]
    assert zh[3] == "濒临失调"
    lower, _, lower_zh = grade([0.0, 0.05, 0.1, 0.5, 0.95, 1.0, np.nan], closed="lower")
    assert lower.tolist() == [1, 1, 2, 6, 10, 10, 0] and lower_zh[3] == "勉强协调"
    assert en[0] == "extreme imbalance" and zh[0] == "极度失调"
    assert en[4] == "high-quality coordination" and zh[4] == "优质协调"
    assert en[6] == ""


def test_boundaries_computed_in_floating_point_fall_on_the_documented_side():
    # 0.1 + 0.2 = 0.30000000000000004 and 0.7 * 0.1 * 10 = 0.7000000000000001: both are the boundary itself
    d = [0.1 + 0.2, 0.7 * 0.1 * 10, np.sqrt(0.36), 0.3 + 2e-9]
    band, _, zh = grade(d)
    assert band.tolist() == [3, 7, 6, 4] and zh[0] == "中度失调"
    assert grade(d, closed="lower")[0].tolist() == [4, 8, 7, 4]
    with pytest.raises(CouplingError, match="closed must be"):
        grade(d, closed="both")


def test_zero_scores_are_explicit():
    result = coupling_coordination([[0.0, 0.0], [0.0, 0.5]])
    assert np.isnan(result["C"].iloc[0]) and result["D"].iloc[0] == 0.0
    assert result["C"].iloc[1] == 0.0 and result["D"].iloc[1] == 0.0


def test_bad_inputs():
    with pytest.raises(CouplingError, match=r"lie in \[0, 1\]"):
        coupling_coordination([[0.2, 1.5]])
    with pytest.raises(CouplingError, match="at least 2 subsystems"):
        coupling_coordination([[0.2], [0.3]])
    with pytest.raises(CouplingError, match="need 2 weights"):
        coupling_coordination([[0.2, 0.3]], weights=[1.0])
    with pytest.raises(CouplingError, match="sum to 1"):
        coupling_coordination([[0.2, 0.3]], weights=[0.7, 0.7])
    with pytest.raises(CouplingError, match="form must be"):
        coupling_coordination([[0.2, 0.3]], form="other")
    assert np.isnan(coupling_coordination([[0.2, np.nan]])["D"].iloc[0])
