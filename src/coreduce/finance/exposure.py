"""Carbon-cost exposure of each borrower under a carbon-price scenario: China ETS and CBAM, vectorised.

China ETS (borrowers of a covered sector, the scenario's ``ets_sector`` rows)::

    cost_ets = emissions × P_CN(y) × (1 − f)                                               (CNY)

f is the share of emissions covered by free allowances (convention ``china_ets_free_share``; 0 by default, so
the exposure is gross, an upper bound: the national ETS allocates most allowances free by benchmark).

CBAM certificates for EU exports, by :func:`coreduce.cbam.certificates.certificates_per_tonne` (Regulation
(EU) 2023/956 Art. 22, 31 and 9; benchmarks of IR (EU) 2025/2620, default values of IR (EU) 2025/2621)::

    cost_cbam = exports × c(y) × P_EU(y) × FX(y)                                             (CNY)
    c(y) = max(0, SEE − BM_B × CF(y) − δ · SEE × P_CN(y) ÷ FX(y) ÷ P_EU(y))                (certificates per t)

SEE is the borrower's own intensity, emissions ÷ production (production in tonnes of the exported good), else
the default value for China with the year's mark-up; BM_B the whole-good CBAM benchmark of the good's route
(``cbam_route``, else the default value's route); CF(y) the CBAM factor (share of EU free allocation left:
0.975 in 2026 … 0 from 2034); δ = 1 when the carbon price paid in China is deducted (Art. 9) and the borrower's
sector is covered by the China ETS. Before 2026 (transitional period, Art. 32) no certificates are due.
Exposure = (cost_ets + cost_cbam) ÷ revenue (or EBITDA). A price the scenario does not give leaves that cost
missing (NaN), never zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.cbam.certificates import certificates_per_tonne
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
    fx = scenario.fx("EUR/CNY", year)
    covered = book["sector"].isin(scenario.ets_sectors("china_ets", year)).to_numpy()
    em = emissions.to_numpy(float)
    cost_ets = np.where(covered, em * (np.nan if p_cn is None else p_cn) * (1 - free_share), 0.0)
    exports = book["eu_exports"].fillna(0).to_numpy(float)
    exporting = exports > 0
    cost_cbam = np.zeros(len(book))
    if exporting.any() and year >= 2026:
        if None in (p_eu, fx):
            cost_cbam[exporting] = np.nan
        else:
            part = book.loc[exporting]
            paid = np.where(covered[exporting] & deduct, np.nan if p_cn is None else p_cn / fx, 0.0)
            intensity = part["emissions"] / part["production"].where(part["production"] > 0)
            route = part["cbam_route"].fillna("") if "cbam_route" in part else ""
            goods = pd.DataFrame({"cn": part["cn_code"].astype(str), "country": "CN", "route": route, "see": intensity})
            per_t = certificates_per_tonne(goods, year, paid_eur=paid, price_eur=p_eu)
            cost_cbam[exporting] = exports[exporting] * per_t["certificates"].to_numpy() * p_eu * fx
    total = cost_ets + cost_cbam
    denominator = book[base].where(book[base] > 0).to_numpy(float)
    frame = pd.DataFrame(
        {"covered_china_ets": covered, "cost_ets": cost_ets, "cost_cbam": cost_cbam, "carbon_cost": total,
         "cost_share": total / denominator},
        index=book.index,
    )  # fmt: skip
    needed = {"china_ets": p_cn} if covered.any() else {}
    if exporting.any() and year >= 2026:
        needed |= {"eu_ets": p_eu, "EUR/CNY": fx}
    return frame, needed
