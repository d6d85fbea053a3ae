"""Decision support over HTTP: a company's activity rows → measures ranked by CO2 + pollutant reduction per yuan.

A thin layer over :func:`coreduce.exchange.chain.measures.rank_measures` (whose module docstring gives the formulas and
conventions): the request names the activity rows and the ranking options, the answer is the ranked table, the
baseline, the trade-offs and the conventions; :func:`mac_svg` draws the marginal abatement cost curve with
co-benefits. Non-finite numbers (``score_per_yuan`` of a measure that saves money, a reduction with no factor)
are answered as ``null``: the rank carries the order.
"""

from __future__ import annotations

import io
import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from coreduce.exchange.errors import InvalidInput


class MeasuresRequest(BaseModel):
    """Body of ``POST /platform/measures``."""

    model_config = ConfigDict(extra="forbid")
    activities: list[dict[str, Any]] | str = Field(
        description="Activity rows as JSON records, or CSV text with a header line (see coreduce.accounting.activity)."
    )
    weighting: Literal["equal_normalised", "env_tax", "custom"] = "equal_normalised"
    pollutants: list[Literal["co2", "so2", "nox", "pm25", "bc", "oc", "co", "nh3", "voc"]] = Field(
        default_factory=lambda: ["co2", "so2", "nox", "pm25"], min_length=1
    )
    co2_price: float | None = Field(default=None, ge=0, le=1e5, description="CNY per t CO2 (env_tax weighting).")
    tax_per_equivalent: float = Field(default=1.2, description="CNY per pollution equivalent, 1.2-12 (env_tax).")
    weights: dict[str, float] | None = Field(default=None, description="CNY per kg per pollutant (custom weighting).")
    grid_region: str | None = Field(default=None, description="Grid region of the electricity measures use.")
    grid_year: int | None = Field(default=None, ge=1990, le=2100)
    biogenic_co2: Literal["zero", "missing"] = "zero"


def _clean(value: Any) -> Any:
    """JSON-safe: non-finite floats → None, numpy scalars → Python, recursively."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def rank(request: MeasuresRequest, library):
    """The :class:`~coreduce.exchange.chain.measures.MeasureRanking` for a request; InvalidInput on bad input."""
    from coreduce.accounting import AccountingError, ActivityError, parse_activity
    from coreduce.exchange.chain.measures import MeasureError, rank_measures

    try:
        activity = parse_activity(request.activities, origin="activities", library=library)
        return rank_measures(
            activity,
            library,
            pollutants=tuple(dict.fromkeys(request.pollutants)),
            weighting=request.weighting,
            weights=request.weights,
            co2_price=request.co2_price,
            tax_per_equivalent=request.tax_per_equivalent,
            grid_region=request.grid_region,
            grid_year=request.grid_year,
            biogenic_co2=request.biogenic_co2,
        )
    except (ActivityError, AccountingError, MeasureError) as exc:
        message = str(exc)
        raise InvalidInput(message if message.startswith("activities") else f"{message}") from None


def ranking_body(ranking) -> dict[str, Any]:
    return {
        "data": _clean(ranking.table.to_dict("records")),
        "baseline_kg": _clean(ranking.baseline.to_dict()),
        "tradeoffs": _clean(ranking.tradeoffs().to_dict("records")),
        "conventions": _clean(ranking.conventions),
    }


def mac_svg(ranking, basis: str) -> bytes:
    """The MAC curve with co-benefits (:func:`coreduce.exchange.chain.mac.mac_curve`) as SVG."""
    from matplotlib.figure import Figure

    from coreduce.exchange.chain.mac import mac_curve
    from coreduce.exchange.chain.measures import MeasureError

    figure = Figure(figsize=(9, 5))
    try:
        mac_curve(ranking, basis=basis, ax=figure.add_subplot())
    except MeasureError as exc:
        raise InvalidInput(str(exc)) from None
    out = io.BytesIO()
    figure.savefig(out, format="svg", bbox_inches="tight")
    return out.getvalue()
