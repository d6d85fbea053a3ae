"""Roll-up of stored footprints across supply-chain tiers: a product's total includes its suppliers' footprints.

A company names its products (footprints it owns, holding their *direct* emissions per declared unit, e.g. from
an activity upload) and their inputs: ``amount`` declared units of footprint ``from`` (its own product or a
supplier's footprint shared with it) per declared unit of product ``to``. Inputs among the products may form
cycles. Supplier footprints that are not products enter with their own values as totals (they are already
cradle-to-gate). Each quantity ``q`` is rolled per declared unit (value ÷ ``declaredUnitAmount``) by
:func:`coreduce.exchange.chain.rollup.roll_up`, i.e. the sparse system ``(I − Aᵀ) T = D``, and reported back per the
product's ``declaredUnitAmount``.

Quantities: ``pcfExcludingBiogenicUptake``, ``pcfIncludingBiogenicUptake``, ``fossilGhgEmissions`` (kg CO2e) and
the co-pollutant extension's ``so2``, ``nox``, ``pm25``, ``bc``, ``voc`` (kg). A footprint without a pollutant
counts as 0 for it, and every product whose total draws on such a footprint lists the pollutant as incomplete:
the same solve carries an indicator column per pollutant (1 where the value is absent), whose total is positive
exactly when some footprint upstream lacks the value (amounts are ≥ 0).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal as _Decimal
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from coreduce.exchange.chain.upload import decimal_string
from coreduce.exchange.pact import copollutant
from coreduce.exchange.pact.models import IdString, PositiveOrZeroDecimal, ProductFootprint

CARBON = ("pcfExcludingBiogenicUptake", "pcfIncludingBiogenicUptake", "fossilGhgEmissions")
POLLUTANTS = ("so2", "nox", "pm25", "bc", "voc")
QUANTITIES = CARBON + POLLUTANTS


class ChainInput(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    to: IdString = Field(description="Id of one of the products (a footprint the caller owns).")
    from_: IdString = Field(alias="from", description="Id of the input's footprint (own product or shared).")
    amount: PositiveOrZeroDecimal = Field(description="Declared units of `from` per declared unit of `to`.")


class RollUpRequest(BaseModel):
    """Body of ``POST /platform/rollup``."""

    model_config = ConfigDict(extra="forbid")
    products: list[IdString] = Field(min_length=1, max_length=20_000)
    inputs: list[ChainInput] = Field(default_factory=list, max_length=200_000)
    method: Literal["auto", "direct", "iterative"] = Field(
        default="auto", description="Solver: direct (SuperLU), iterative (BiCGSTAB), or auto (by size)."
    )
    publish: bool = Field(default=False, description="Store each product's total as a new footprint.")
    shareWith: list[str] = Field(default_factory=list, description="Companies the published footprints go to.")


class ChainError(ValueError):
    """A roll-up request that does not describe a supply chain; the message names the field."""


@dataclass
class ChainResult:
    products: list[str]
    direct: np.ndarray  # products × QUANTITIES, per declared unit amount
    total: np.ndarray
    incomplete: list[list[str]]
    conventions: dict[str, Any]

    def records(self) -> list[dict[str, Any]]:
        out = []
        for i, pid in enumerate(self.products):
            out.append(
                {
                    "id": pid,
                    "direct": {q: decimal_string(v) for q, v in zip(QUANTITIES, self.direct[i], strict=True)},
                    "upstream": {
                        q: decimal_string(t - d)
                        for q, d, t in zip(QUANTITIES, self.direct[i], self.total[i], strict=True)
                    },
                    "total": {q: decimal_string(v) for q, v in zip(QUANTITIES, self.total[i], strict=True)},
                    "incomplete": self.incomplete[i],
                }
            )
        return out


def values(doc: dict) -> tuple[np.ndarray, np.ndarray, float]:
    """(values per declared unit amount, absent flags, declaredUnitAmount) of a stored footprint document."""
    pcf = doc["pcf"]
    data: dict[str, Any] = {}
    for ext in doc.get("extensions") or []:
        if ext.get("dataSchema", "").endswith(copollutant.SCHEMA_PATH):
            data = ext.get("data") or {}
    raw = [pcf.get(q) for q in CARBON] + [data.get(p) for p in POLLUTANTS]
    absent = np.array([v is None for v in raw])
    vals = np.array([0.0 if v is None else float(v) for v in raw])
    return vals, absent, float(_Decimal(pcf["declaredUnitAmount"]))


def solve(request: RollUpRequest, documents: dict[str, dict]) -> ChainResult:
    """Totals of ``request.products`` from the stored ``documents`` (id → footprint JSON) of every node."""
    from coreduce.exchange.chain.rollup import RollUpError, roll_up

    products = [str(p) for p in request.products]
    if len(set(products)) != len(products):
        raise ChainError("products: the same footprint id is given more than once")
    index = {pid: i for i, pid in enumerate(products)}
    for k, edge in enumerate(request.inputs):
        if str(edge.to) not in index or index[str(edge.to)] >= len(products):
            raise ChainError(f"inputs.{k}.to: {edge.to} is not one of the products")
        if str(edge.from_) not in index:
            index[str(edge.from_)] = len(index)
    nodes = list(index)
    n, q = len(nodes), len(QUANTITIES)
    per_unit = np.zeros((n, q))
    absent = np.zeros((n, q))
    amounts = np.empty(n)
    for pid, i in index.items():
        vals, missing, amount = values(documents[pid])
        per_unit[i], absent[i], amounts[i] = vals / amount, missing, amount
    src = np.array([index[str(e.from_)] for e in request.inputs], dtype=np.int64)
    dst = np.array([index[str(e.to)] for e in request.inputs], dtype=np.int64)
    amount = np.array([float(e.amount) for e in request.inputs])
    # Supplier footprints outside the products are leaves: no inputs reach them, so their total = their value.
    try:
        result = roll_up(
            np.hstack([per_unit, absent]),
            (src, dst, amount),
            method=request.method,
            products=nodes,
            pollutants=[*QUANTITIES, *(f"absent:{x}" for x in QUANTITIES)],
        )
    except RollUpError as exc:
        raise ChainError(f"inputs: {exc}") from None
    m = len(products)
    scale = amounts[:m, None]
    total = result.totals[:m, :q] * scale
    direct = per_unit[:m] * scale
    reach = result.totals[:m, q:]
    incomplete = [[x for x, r in zip(QUANTITIES, row, strict=True) if r > 0] for row in reach]
    conventions = {
        **result.conventions,
        "units": "values per declaredUnitAmount of each product; inputs in the input's declared units",
        "absent_values": "counted as 0; products drawing on them list the quantity as incomplete",
        "supplier_footprints": "entered with their own values as totals (cradle-to-gate)",
    }
    return ChainResult(products, direct, total, incomplete, conventions)


def rolled_footprint(
    doc: dict, total: np.ndarray, incomplete: list[str], n_inputs: int, schema_base_url: str, now=None
) -> ProductFootprint:
    """A new footprint carrying the product's totals, preceded by the direct footprint it was rolled from."""
    now = now or datetime.now(UTC)
    new = {k: v for k, v in doc.items() if k not in ("id", "created", "precedingPfIds", "extensions")}
    new["pcf"] = dict(doc["pcf"])
    for name, value in zip(QUANTITIES, total, strict=True):
        if name in CARBON and name in doc["pcf"]:
            new["pcf"][name] = decimal_string(value)
    extensions = [e for e in doc.get("extensions") or [] if not e["dataSchema"].endswith(copollutant.SCHEMA_PATH)]
    old = next((e for e in doc.get("extensions") or [] if e["dataSchema"].endswith(copollutant.SCHEMA_PATH)), None)
    pollutant = dict(zip(QUANTITIES, total, strict=True))
    data = {p: decimal_string(pollutant[p]) for p in ("so2", "nox", "pm25")}
    data.update({p: decimal_string(pollutant[p]) for p in ("bc", "voc") if p not in incomplete})
    gaps = [f"{p}: some footprints upstream carry no {p} value (counted as 0)" for p in POLLUTANTS if p in incomplete]
    if old:
        for key in ("factorSources", "unverifiedFactors"):
            if old["data"].get(key):
                data[key] = old["data"][key]
        gaps = list(old["data"].get("notCovered") or []) + gaps
    if gaps:
        data["notCovered"] = gaps
    extensions.append(copollutant.make_extension(copollutant.CoPollutantData.model_validate(data), schema_base_url))
    new.update(
        id=str(uuid.uuid4()),
        created=now,
        precedingPfIds=[doc["id"]],
        comment=(
            f"Total including {n_inputs} supply-chain input(s), rolled up from footprint {doc['id']} "
            "(direct) by solving (I − Aᵀ) T = D. " + (doc.get("comment") or "")
        ).strip(),
    )
    new["extensions"] = extensions
    return ProductFootprint.model_validate(new)
