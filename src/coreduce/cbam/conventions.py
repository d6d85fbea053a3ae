"""The CBAM conventions: every choice that changes embedded emissions or certificates, recorded in each result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coreduce.conventions import Check, ConventionError, Conventions, option, year_between

REG = "Regulation (EU) 2023/956"
METHOD = "Commission Implementing Regulation (EU) 2025/2547 (methodology) and Annex IV of " + REG
DEFAULTS = "Commission Implementing Regulation (EU) 2025/2621, Art. 2 and Annex I (mark-up)"
PHASE_OUT = (
    "Directive 2003/87/EC Art. 10a(1a) as amended by Directive (EU) 2023/959 (CBAM factor); "
    "Regulation (EU) 2023/956 Art. 31 and Implementing Regulation (EU) 2025/2620 (free allocation adjustment)"
)


def non_negative_or_none(value: Any) -> str | None:
    ok = value is None or (isinstance(value, int | float) and not isinstance(value, bool) and value >= 0)
    return None if ok else "a number ≥ 0 or None"


def between(low: float, high: float) -> Check:
    def check(value: Any) -> str | None:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high
        return None if ok else f"a number from {low} to {high}"

    return check


@dataclass(frozen=True)
class CbamConventions(Conventions):
    """Choices of a CBAM computation (definitive period, from 2026).

    ``values``: ``actual_else_default`` uses an installation's actual data where given and the default value of
    IR 2025/2621 otherwise (Art. 7(2) of Regulation 2023/956); ``actual`` refuses a fallback; ``default`` uses
    default values only. ``year``: the import year — it selects the default-value mark-up (2026 / 2027 / 2028
    onwards) and the CBAM factor of the free-allocation phase-out. ``indirect``: ``regulation`` counts indirect
    emissions only for goods outside Annex II (cement and fertilisers; iron and steel, aluminium and hydrogen are
    direct only, Art. 7(1)); ``all_goods`` reports them for every good (information only, never for
    certificates). ``cscf``: the cross-sectoral correction factor applied with the CBAM benchmark.
    """

    values: str = option(
        "actual_else_default",
        allowed=("actual_else_default", "actual", "default"),
        source=f"{REG} Art. 7(2)",
        key="cbam_values",
    )
    year: int = option(2026, check=year_between(2026, 2034), source=f"{DEFAULTS}; {PHASE_OUT}", key="cbam_year")
    indirect: str = option(
        "regulation", allowed=("regulation", "all_goods"), source=f"{REG} Art. 7(1), Annex II", key="cbam_indirect"
    )
    electricity_factor: str = option(
        "grid",
        allowed=("grid", "documented"),
        source=f"{METHOD}: grid factor or a documented actual factor",
        key="cbam_electricity_factor",
    )
    cscf: float = option(
        1.0, check=between(0.0, 1.0), source="Directive 2003/87/EC Art. 10a(5); 2021-2025 = 100 %", key="cbam_cscf"
    )
    carbon_price_paid_eur: float = option(
        0.0,
        check=between(0.0, 1e4),
        source=f"{REG} Art. 9 (carbon price effectively paid in the country of origin)",
        key="cbam_carbon_price_paid_eur",
    )
    certificate_price_eur: float | None = option(
        None,
        check=non_negative_or_none,
        source=f"{REG} Art. 21; None = the EU ETS annual series (latest year)",
        key="cbam_certificate_price_eur",
    )
    de_minimis: bool = option(
        True, allowed=(True, False), source=f"{REG} Art. 2a (Regulation (EU) 2025/2083)", key="cbam_de_minimis"
    )
    heat_factor_t_per_tj: float = option(
        56.1 / 0.9,
        check=between(0.0, 500.0),
        source=f"{METHOD}: heat whose factor is not documented, natural gas boiler at 90 % efficiency (56.1 / 0.9)",
        key="cbam_heat_factor_t_per_tj",
    )
    waste_gas_reference_t_per_tj: float = option(
        56.1,
        check=between(0.0, 500.0),
        source=f"{METHOD}: natural gas reference factor for waste-gas correction",
        key="cbam_waste_gas_reference_t_per_tj",
    )
    waste_gas_efficiency: float = option(
        0.667,
        check=between(0.0, 1.0),
        source=(
            "Corr_eta of the waste-gas correction, IR (EU) 2023/1773 Annex III (not read there); the Commission's "
            "communication template v2.1 steel example applies 56.1 × 0.667 (12,800 TJ exported → 478,959.36 t)"
        ),
        key="cbam_waste_gas_efficiency",
    )

    def check(self) -> None:
        if self.values == "default" and self.electricity_factor == "documented":
            raise ConventionError(
                "cbam_electricity_factor", self.electricity_factor, "'grid' when values = 'default' (no actual data)"
            )

    @property
    def markup_year(self) -> int:
        """The mark-up column of IR 2025/2621 Annex I: 2026, 2027, or 2028 (which applies from 2028 onwards)."""
        return min(self.year, 2028)
