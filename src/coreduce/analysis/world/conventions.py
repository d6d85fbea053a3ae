"""Conventions of the world analyses: which data vintage, which country grouping, China inside or beside the
Global South, territorial or consumption-based CO2, how group figures are formed; recorded in every result."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coreduce.conventions import ConventionError, Conventions, option, year_between
from coreduce.geo.country_groups import BUILTIN

VINTAGE_SOURCE = (
    "CO2: owid_2024 = Our World in Data co2-data, release 2024-06-26 (Global Carbon Budget 2023); edgar_2024 = "
    "EDGAR 2024 (JRC/IEA), sum of 8 sectors; population, GDP (Maddison 2020) and energy always from OWID"
)


def _grouping(value: Any) -> str | None:
    if value in BUILTIN or (isinstance(value, str) and Path(value).suffix.lower() in (".toml", ".csv")):
        return None
    return f"a built-in grouping ({', '.join(BUILTIN)}) or a .toml/.csv grouping file"


def _years(value: Any) -> str | None:
    ok = isinstance(value, tuple) and value and all(isinstance(y, int) and 1750 <= y <= 2023 for y in value)
    return None if ok else "a tuple of years from 1750 to 2023"


@dataclass(frozen=True)
class WorldConventions(Conventions):
    """Choices shared by every world analysis."""

    vintage: str = option("owid_2024", allowed=("owid_2024", "edgar_2024"), source=VINTAGE_SOURCE, key="data_vintage")
    grouping: str = option("un_m49_2020", check=_grouping, source="coreduce.geo.country_groups", key="country_grouping")
    china: str = option(
        "inside",
        allowed=("inside", "beside"),
        source="China inside the Global South (UN M49 developing) or beside it as a group of its own",
        key="china_position",
    )
    basis: str = option(
        "territorial",
        allowed=("territorial", "consumption"),
        source="Global Carbon Budget: territorial (production) or consumption-based CO2",
        key="emissions_basis",
    )
    aggregation: str = option(
        "ratio_of_sums",
        allowed=("ratio_of_sums", "mean_of_ratios"),
        source="DESIGN.md: group ratios are Σ numerator ÷ Σ denominator",
        key="group_aggregation",
    )
    world: str = option(
        "countries",
        allowed=("countries", "with_bunkers"),
        source="World = Σ countries, or OWID's World row (adds international aviation and shipping)",
        key="world_total",
    )

    def check(self) -> None:
        if self.basis == "consumption" and self.vintage != "owid_2024":
            raise ConventionError("emissions_basis", self.basis, "territorial with the edgar_2024 vintage")


@dataclass(frozen=True)
class PeriodConventions(WorldConventions):
    start: int = option(1990, check=year_between(1950, 2023), key="start_year")
    end: int = option(2022, check=year_between(1950, 2023), source="OWID GDP (Maddison) ends in 2022", key="end_year")

    def check(self) -> None:
        super().check()
        if self.end <= self.start:
            raise ConventionError("end_year", self.end, f"a year after the start year {self.start}")


@dataclass(frozen=True)
class KayaConventions(PeriodConventions):
    form: str = option(
        "additive", allowed=("additive", "multiplicative"), source="Ang (2005), Table 1", key="kaya_form"
    )
    level: str = option(
        "aggregate",
        allowed=("aggregate", "members"),
        source="aggregate: the group's own factors (Σ over members); members: sum of the members' "
        "effects (LMDI with countries as sub-categories)",
        key="kaya_level",
    )
    pairs: str = option(
        "period", allowed=("period", "yearly"), source="one period, or chained year by year", key="kaya_pairs"
    )

    def check(self) -> None:
        super().check()
        if self.basis != "territorial":
            raise ConventionError("emissions_basis", self.basis, "territorial (the Kaya identity uses primary energy)")


@dataclass(frozen=True)
class DecouplingConventions(PeriodConventions):
    boundary: str = option(
        "coupling", allowed=("coupling", "decoupling"), source="Tapio (2005), Fig. 1", key="tapio_boundary"
    )
    pairs: str = option("period", allowed=("period", "yearly"), key="tapio_pairs")


@dataclass(frozen=True)
class CumulativeConventions(WorldConventions):
    since: tuple[int, ...] = option((1850, 1990), check=_years, key="cumulative_since")
    end: int = option(2022, check=year_between(1750, 2023), key="end_year")
    world: str = option(
        "with_bunkers",
        allowed=("countries", "with_bunkers"),
        source="Global Carbon Budget shares use the global total with bunkers",
        key="world_total",
    )

    def check(self) -> None:
        if self.vintage != "owid_2024":
            raise ConventionError("data_vintage", self.vintage, "owid_2024 (EDGAR starts in 1970)")
        late = [y for y in self.since if y > self.end]
        if late:
            raise ConventionError("cumulative_since", self.since, f"years up to the end year {self.end}")


@dataclass(frozen=True)
class InequalityConventions(PeriodConventions):
    china: str = option(
        "beside", allowed=("inside", "beside"), source="North / South / China (issue 14)", key="china_position"
    )
    weights: str = option(
        "unweighted",
        allowed=("unweighted",),
        source="Dagum (1997): each country one observation",
        key="inequality_weights",
    )
    span: int = option(
        1,
        check=lambda v: None if isinstance(v, int) and v >= 1 else "an integer ≥ 1",
        source="β-convergence growth span in years",
        key="beta_span",
    )
