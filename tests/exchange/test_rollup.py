"""Supply-chain roll-up: hand algebra on a three-tier chain with a cycle, a textbook Leontief inverse, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coreduce.exchange.chain.rollup import RollUpError, roll_up, roll_up_labelled, technology_matrix

# Products: 0 car (tier 0), 1 steel (tier 1), 2 electricity (tier 2), 3 coal (tier 3).
# Edges (src, dst, amount) = amount of src per unit of dst:
#   car takes 2 t steel and 10 MWh electricity; steel takes 0.5 MWh electricity per t;
#   electricity takes 0.4 t coal and 0.01 t steel per MWh (grid upkeep: the cycle steel ↔ electricity).
EDGES = (np.array([1, 2, 2, 3, 1]), np.array([0, 0, 1, 2, 2]), np.array([2.0, 10.0, 0.5, 0.4, 0.01]))
# Direct emissions per unit (kg): columns CO2, SO2.
DIRECT = np.array([[100.0, 0.0], [1800.0, 1.0], [600.0, 0.2], [50.0, 0.5]])


def _hand_co2() -> list[float]:
    # t_coal = 50
    # t_el    = 600 + 0.4·t_coal + 0.01·t_steel = 620 + 0.01·t_steel
    # t_steel = 1800 + 0.5·t_el = 1800 + 310 + 0.005·t_steel  →  t_steel = 2110 / 0.995 = 422000/199
    # t_el    = 620 + 0.01·422000/199 = (123380 + 4220)/199 = 127600/199
    # t_car   = 100 + 2·t_steel + 10·t_el = 100 + (844000 + 1276000)/199 = 2139900/199
    return [2139900 / 199, 422000 / 199, 127600 / 199, 50.0]


def _hand_so2() -> list[float]:
    # t_coal = 0.5; t_el = 0.2 + 0.4·0.5 + 0.01·t_steel = 0.4 + 0.01·t_steel
    # t_steel = 1 + 0.5·t_el = 1.2 + 0.005·t_steel → t_steel = 1.2/0.995 = 240/199
    # t_el = 0.4 + 2.4/199 = 82/199; t_car = 0 + 2·240/199 + 10·82/199 = 1300/199
    return [1300 / 199, 240 / 199, 82 / 199, 0.5]


@pytest.mark.parametrize("method", ["direct", "iterative", "auto"])
def test_three_tier_chain_with_cycle(method):
    result = roll_up(
        DIRECT, EDGES, method=method, products=["car", "steel", "electricity", "coal"], pollutants=["co2", "so2"]
    )
    assert result.totals[:, 0] == pytest.approx(_hand_co2(), rel=1e-9)
    assert result.totals[:, 1] == pytest.approx(_hand_so2(), rel=1e-9)
    assert result.conventions["cyclic_components"] == 1
    assert result.conventions["max_relative_residual"] < 1e-9
    frame = result.to_frame().set_index(["product", "pollutant"])
    assert frame.loc[("car", "co2"), "upstream"] == pytest.approx(2139900 / 199 - 100, rel=1e-9)
    assert "(I − Aᵀ)⁻¹" in result.summary() and "<table" in result._repr_html_()
    assert np.asarray(result).shape == (4, 2)


def test_leontief_inverse_of_miller_blair():
    # Miller & Blair (2009), Input-Output Analysis, 2nd ed., §2.3 numerical example: A = [[.15, .25], [.20, .05]],
    # printed Leontief inverse L = (I − A)⁻¹ = [[1.254, 0.330], [0.264, 1.122]].
    # With D = I the roll-up gives T = Lᵀ (T[j, p] = Σ_i D[i, p] L[i, j]).
    edges = (np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([0.15, 0.25, 0.20, 0.05]))
    totals = roll_up(np.eye(2), edges, method="direct").totals
    printed = np.array([[1.254, 0.330], [0.264, 1.122]])
    assert np.abs(totals.T - printed).max() < 5e-4


def test_edges_as_frame_and_duplicates_summed():
    frame = pd.DataFrame({"src": [1, 1], "dst": [0, 0], "amount": [1.5, 0.5]})
    assert technology_matrix(2, frame)[1, 0] == 2.0
    assert roll_up([1.0, 10.0], frame).totals[:, 0] == pytest.approx([21.0, 10.0])


def test_singular_cycle_is_a_clear_error():
    # steel takes 2 MWh per t and electricity 0.5 t steel per MWh: the cycle gain is exactly 1 → singular.
    edges = (np.array([1, 0]), np.array([0, 1]), np.array([2.0, 0.5]))
    for method in ("direct", "iterative"):
        with pytest.raises(RollUpError, match=r"singular .* cycle among products \[0, 1\]"):
            roll_up([[1.0], [1.0]], edges, method=method)


def test_cycle_that_produces_less_than_it_consumes():
    # gain 2 × 0.6 = 1.2 > 1: I − Aᵀ is invertible but the totals would be negative.
    edges = (np.array([1, 0, 2]), np.array([0, 1, 1]), np.array([2.0, 0.6, 1.0]))
    with pytest.raises(RollUpError, match=r"not productive .* cycle among products \[0, 1\] \(2 products\)"):
        roll_up(np.ones((3, 1)), edges, method="direct")


def test_bad_inputs_name_the_edge_and_field():
    with pytest.raises(RollUpError, match=r"edge 1, field 'dst': product 5 is outside 0…2"):
        roll_up(np.ones(3), (np.array([0, 1]), np.array([1, 5]), np.array([1.0, 1.0])))
    with pytest.raises(RollUpError, match=r"edge 0, field 'amount': -1.0; expected a finite amount ≥ 0"):
        roll_up(np.ones(3), (np.array([0]), np.array([1]), np.array([-1.0])))
    with pytest.raises(RollUpError, match=r"direct\[1, 0\] is nan"):
        roll_up(np.array([1.0, np.nan]), (np.array([0]), np.array([1]), np.array([1.0])))
    with pytest.raises(RollUpError, match="src must hold integer"):
        roll_up(np.ones(2), (np.array([0.5]), np.array([1]), np.array([1.0])))
    with pytest.raises(RollUpError, match="lacks columns"):
        roll_up(np.ones(2), pd.DataFrame({"from": [0], "to": [1]}))
    with pytest.raises(RollUpError, match="method 'lu'"):
        roll_up(np.ones(2), (np.array([0]), np.array([1]), np.array([1.0])), method="lu")


def test_direct_and_iterative_agree_on_a_random_cyclic_graph():
    rng = np.random.default_rng(7)
    n, m = 2000, 12000
    src = np.concatenate([np.arange(n), rng.integers(0, n, m)])  # every product supplies someone
    dst = np.concatenate([(np.arange(n) + 1) % n, rng.integers(0, n, m)])
    amount = rng.random(n + m)
    row = np.bincount(src, weights=amount, minlength=n)
    amount *= 0.8 / row[src]  # every row of A sums to 0.8, so ρ(A) = 0.8: productive
    d = rng.random((n, 3))
    a = roll_up(d, (src, dst, amount), method="direct").totals
    b = roll_up(d, (src, dst, amount), method="iterative").totals
    assert b == pytest.approx(a, rel=1e-7)
    # Summing t_j = d_j + Σ_i A[i, j] t_i over j: Σ t = Σ d + Σ_i t_i Σ_j A[i, j] = Σ d + 0.8 Σ t → Σ t = Σ d / 0.2.
    assert a.sum(axis=0) == pytest.approx(d.sum(axis=0) / 0.2, rel=1e-9)


def test_labelled_products_give_the_same_totals():
    ids = ["urn:car", "urn:steel", "urn:electricity", "urn:coal"]
    direct = pd.DataFrame(DIRECT, index=ids, columns=["co2", "so2"])
    src, dst, amount = EDGES
    edges = pd.DataFrame({"src": [ids[i] for i in src], "dst": [ids[i] for i in dst], "amount": amount})
    result = roll_up_labelled(direct, edges)
    frame = result.to_frame().set_index(["product", "pollutant"])
    assert frame.loc[("urn:car", "co2"), "total"] == pytest.approx(2139900 / 199, rel=1e-9)
    assert frame.loc[("urn:steel", "so2"), "total"] == pytest.approx(240 / 199, rel=1e-9)
    bad = edges.assign(dst=edges["dst"].replace("urn:steel", "urn:unknown"))
    with pytest.raises(RollUpError, match=r"edge 2, field 'dst': product 'urn:unknown' has no direct emissions row"):
        roll_up_labelled(direct, bad)
    with pytest.raises(RollUpError, match="field 'amount': expected numbers"):
        roll_up_labelled(direct, edges.assign(amount="lots"))


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 12),
    data=st.data(),
)
def test_totals_equal_the_supply_chain_series(n, data):
    # Independent check: t = Σ_k (Aᵀ)^k d, the sum over every path through the supply chain (tier 0, 1, 2, …),
    # converging because every column of A sums to at most 0.9 (ρ(A) ≤ 0.9).
    m = data.draw(st.integers(0, 3 * n))
    src = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)), dtype=np.int64)
    dst = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)), dtype=np.int64)
    amount = np.array(data.draw(st.lists(st.floats(0.0, 1.0), min_size=m, max_size=m)))
    col = np.bincount(dst, weights=amount, minlength=n)
    amount = np.where(col[dst] > 0.9, amount * 0.9 / np.maximum(col[dst], 1e-300), amount)
    d = np.array(data.draw(st.lists(st.floats(0.0, 100.0), min_size=n, max_size=n)))[:, None]
    a = np.zeros((n, n))
    np.add.at(a, (src, dst), amount)
    series, term = d.copy(), d.copy()
    for _ in range(400):
        term = a.T @ term
        series += term
    got = roll_up(d, (src, dst, amount), method="direct").totals
    assert np.allclose(got, series, rtol=1e-8, atol=1e-9)
    assert (got >= d - 1e-12).all()
