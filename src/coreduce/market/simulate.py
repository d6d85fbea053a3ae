"""``clear`` and ``simulate``: matchings of the national market as typed results.

``clear`` runs one matching (call auction, continuous book, or the limited-information regime of the
conventions) and reports the price, volume, who traded with whom, abatement and its cost, and the co-pollutant
side effects by province (a unit's bid meeting its own ask is no trade: it is left out of volumes and the trade
table). ``simulate`` runs every regime on the same orders and compares each with the
least-cost outcome solved independently by linear programming.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.market.allocation import allocate_units, sources_frame
from coreduce.market.auction import Clearing, least_cost
from coreduce.market.conventions import MarketConventions
from coreduce.market.copollutants import load_power_factors
from coreduce.market.efficiency import no_trade, run_regime
from coreduce.market.matching import Market, build_market, curves, match
from coreduce.market.outcome import copollutant_changes, evaluate, total_cost
from coreduce.market.results import ClearingResult, SimulationResult
from coreduce.results import Note

UNIT_COLUMNS = ["unit_id", "province", "owner", "category", "position_t"]


def _market(units: pd.DataFrame, conv: MarketConventions) -> Market:
    return build_market(allocate_units(units, conv), conv)


def _outcome(market: Market, clearing: Clearing) -> pd.DataFrame:
    conv = market.conv
    table = evaluate(market.orders, clearing.filled, market.steps, len(market.units), conv.noncompliance_price)
    return pd.concat([market.units[UNIT_COLUMNS], table], axis=1)


def _named_trades(market: Market, trades: pd.DataFrame) -> pd.DataFrame:
    ids, provinces = market.units["unit_id"].to_numpy(), market.units["province"].to_numpy()
    out = trades[trades["buyer"] != trades["seller"]].copy()
    for role in ("buyer", "seller"):
        out[f"{role}_id"] = ids[out[role].to_numpy()]
        out[f"{role}_province"] = provinces[out[role].to_numpy()]
    return out.drop(columns=["buyer", "seller"]).reset_index(drop=True)


def flows(trades: pd.DataFrame) -> pd.DataFrame:
    """Allowances traded between provinces (t): rows the sellers' provinces, columns the buyers'."""
    if trades.empty:
        return pd.DataFrame()
    return trades.pivot_table(
        index="seller_province", columns="buyer_province", values="quantity_t", aggfunc="sum", fill_value=0.0
    )


def _summary(label: str, clearing: Clearing, outcome: pd.DataFrame, lc, autarky: float) -> dict:
    cost = total_cost(outcome)
    gains = autarky - lc.cost
    real = clearing.trades[clearing.trades["buyer"] != clearing.trades["seller"]] if len(clearing.trades) else None
    return {
        "regime": label,
        "price": clearing.price,
        "volume_t": float(real["quantity_t"].sum()) if real is not None else 0.0,
        "trades": len(real) if real is not None else 0,
        "abatement_t": outcome["abated_t"].sum(),
        "abatement_cost": outcome["abatement_cost"].sum(),
        "uncovered_t": outcome["uncovered_t"].sum(),
        "total_cost": cost,
        "least_cost": lc.cost,
        "least_cost_price": lc.price,
        "autarky_cost": autarky,
        "gains_realised": (autarky - cost) / gains if gains > 1e-6 else np.nan,
    }


def _provinces(units: pd.DataFrame, outcome: pd.DataFrame, factors) -> pd.DataFrame:
    changes = copollutant_changes(units, outcome, factors)
    table = outcome if changes is None else pd.concat([outcome, changes], axis=1)
    numeric = [c for c in table.columns if c.endswith("_t") or c.endswith("cost")]
    return table.groupby("province")[numeric].sum()


def _notes(market: Market, lc, factor_rows: pd.DataFrame) -> list[Note]:
    notes = [Note.of("note.market.abatement_costs", seed=market.conv.seed)]
    unverified = factor_rows.loc[~factor_rows["verified"].astype(bool), "factor_id"].tolist()
    if unverified:
        notes.append(Note.of("note.market.unverified_factors", factors=", ".join(unverified)))
    if -market.units["position_t"].sum() <= 0:
        notes.append(Note.of("note.market.long_market", price=round(lc.price, 2)))
    return notes


def clear(units: pd.DataFrame, conv: MarketConventions | None = None, mechanism: str = "auction") -> ClearingResult:
    """One matching: ``auction`` (uniform price), ``continuous`` (the book with price limits), under
    ``conv.information`` (a limited-information regime replaces the single auction)."""
    conv = conv or MarketConventions()
    market = _market(units, conv)
    if conv.information == "full":
        clearing, label = match(market, mechanism), mechanism
    else:
        clearing, label = run_regime(market, conv.information), conv.information
    lc = least_cost(market.units["position_t"].to_numpy(), market.steps, conv.noncompliance_price)
    autarky = total_cost(_outcome(market, Clearing(np.nan, 0.0, no_trade(market.orders), pd.DataFrame())))
    outcome = _outcome(market, clearing)
    factors, factor_rows = load_power_factors()
    summary = pd.DataFrame([_summary(label, clearing, outcome, lc, autarky)])
    trades = _named_trades(market, clearing.trades)
    return ClearingResult(
        summary_table=summary,
        trades=trades,
        flows=flows(trades),
        units=outcome,
        provinces=_provinces(market.units, outcome, factors),
        curves=curves(market.orders),
        conventions=conv.records(),
        notes=tuple(_notes(market, lc, factor_rows)),
        sources=_sources(market.units, factor_rows),
    )


def _sources(units: pd.DataFrame, factor_rows: pd.DataFrame) -> pd.DataFrame:
    frame = sources_frame(units)
    if len(factor_rows):
        rows = factor_rows.assign(source=factor_rows["factor_id"] + ": " + factor_rows["citation"])
        rows = rows[["source", "publisher", "licence"]]
        frame = pd.concat([frame, rows.drop_duplicates()], ignore_index=True)
    return frame


def simulate(units: pd.DataFrame, conv: MarketConventions | None = None) -> SimulationResult:
    """Every information regime and the continuous book on the same orders, against the least-cost LP."""
    conv = conv or MarketConventions()
    market = _market(units, conv)
    lc = least_cost(market.units["position_t"].to_numpy(), market.steps, conv.noncompliance_price)
    autarky = total_cost(_outcome(market, Clearing(np.nan, 0.0, no_trade(market.orders), pd.DataFrame())))
    factors, factor_rows = load_power_factors()
    rows, provinces = [], {}
    runs = {r: run_regime(market, r) for r in ("full", "partial_book", "bilateral")}
    runs["continuous"] = match(market, "continuous")
    for label, clearing in runs.items():
        outcome = _outcome(market, clearing)
        rows.append(_summary(label, clearing, outcome, lc, autarky))
        provinces[label] = _provinces(market.units, outcome, factors)["abated_t"]
    regimes = pd.DataFrame(rows).set_index("regime")
    regimes["efficiency_gap"] = 1.0 - regimes["gains_realised"]
    return SimulationResult(
        regimes=regimes,
        provinces=pd.DataFrame(provinces).add_prefix("abated_t_"),
        mac=market.steps.assign(unit_id=market.units["unit_id"].to_numpy()[market.steps["unit"]]),
        conventions=conv.records(),
        notes=tuple(_notes(market, lc, factor_rows)),
        sources=_sources(market.units, factor_rows),
    )
