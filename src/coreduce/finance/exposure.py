"""Carbon-cost exposure of each borrower under a carbon-price scenario: China ETS and CBAM, vectorised.

China ETS (borrowers of a covered sector, the scenario's ``ets_sector`` rows)::

    cost_ets = emissions × P_CN(y) × (1 − f)                                               (CNY)

f is the share of emissions covered by free allowances (convention ``china_ets_free_share``; 0 by default, so
the exposure is gross, an upper bound: the national ETS allocates most allowances free by benchmark).

CBAM certificates for EU exports (Regulation (EU) 2023/956; embedded emissions of a tonne exported taken as the
borrower's own intensity, emissions ÷ production, so production must be in tonnes of the exported good)::

    cost_cbam = exports × (emissions ÷ production) × s(y) × max(P_EU(y)·FX(y) − δ·P_CN(y), 0)   (CNY)

with s(y) the CBAM share of year y (1 − the free allocation still given), FX the CNY per EUR, δ = 1 when the
carbon price paid in China is deducted (Art. 9) and the borrower's sector is covered by the China ETS.
Exposure = (cost_ets + cost_cbam) ÷ revenue (or EBITDA). A price the scenario does not give leaves that cost
missing (NaN), never zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.finance.scenarios import Scenario


def carbon_cost(
    book: pd.DataFrame,
    emissions: pd.Series,
    scenario: Scenario,
    year: int,
    *,
    deduct: bool = True,
    base: str = "revenue",
    free_share: float = 0.0,
) -> tuple[pd.DataFrame, dict[str, float | None]]:
    """Per loan: ``cost_ets``, ``cost_cbam``, ``carbon_cost`` (CNY) and ``cost_share`` of ``base``; and the
    scenario values the book needed (``None`` where the scenario lacks one)."""
    p_cn, p_eu = scenario.price("china_ets", year), scenario.price("eu_ets", year)
    fx, share = scenario.fx("EUR/CNY", year), scenario.cbam_share(year)
    covered = book["sector"].isin(scenario.ets_sectors("china_ets", year)).to_numpy()
    em = emissions.to_numpy(float)
    cost_ets = np.where(covered, em * (np.nan if p_cn is None else p_cn) * (1 - free_share), 0.0)
    exports = book["eu_exports"].fillna(0).to_numpy(float)
    intensity = (book["emissions"] / book["production"].where(book["production"] > 0)).to_numpy(float)
    if share == 0:  # transitional period (2023–2025): reports, no certificates
        eu_price = np.zeros(len(book))
    elif None in (p_eu, fx, share):
        eu_price = np.full(len(book), np.nan)
    else:
        paid = np.where(covered & deduct, np.nan if p_cn is None else p_cn, 0.0)
        eu_price = np.clip(p_eu * fx - paid, 0, None) * share
    cost_cbam = np.where(exports > 0, exports * intensity * eu_price, 0.0)
    total = cost_ets + cost_cbam
    denominator = book[base].where(book[base] > 0).to_numpy(float)
    frame = pd.DataFrame(
        {"covered_china_ets": covered, "cost_ets": cost_ets, "cost_cbam": cost_cbam, "carbon_cost": total,
         "cost_share": total / denominator},
        index=book.index,
    )  # fmt: skip
    needed = {"china_ets": p_cn} if covered.any() else {}
    if (exports > 0).any():
        needed["cbam_share"] = share
        if share != 0:
            needed |= {"eu_ets": p_eu, "EUR/CNY": fx}
    return frame, needed
