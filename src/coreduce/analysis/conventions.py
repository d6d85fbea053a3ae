"""The conventions of the province analyses: one frozen, validated object built once and passed to every analysis.

``ProvinceConventions()`` holds the defaults; ``ProvinceConventions(prices="constant", base_year=2015)`` or
``.replace(...)`` changes some; ``ProvinceConventions.from_mapping(toml_table)`` reads a configuration file. A
wrong value or combination fails here, once, naming the key (:class:`~coreduce.conventions.ConventionError`).
Each analysis records the conventions it used (``result.conventions``; :meth:`ProvinceConventions.used`).

Keys (message ids ``convention.<key>`` in the catalogues):

* window and places: ``start``, ``end``, ``grouping`` (built-in name or a TOML/CSV file), ``membership``
  (region totals: ``covered`` — members a series does not cover at all, such as Tibet in CEADs, left out and
  named, the others every year —, ``all`` members every year, or ``complete_members``);
* prices: ``prices`` (``nominal`` / ``constant``), ``base_year``, ``deflator`` (national series), ``gdp``,
  ``population``;
* series: ``national_co2`` (national CO2), ``co2`` (provincial CO2 summed into regions, co-control and coupling),
  ``so2`` and ``nox`` (trend intensities), ``pollutant`` (co-control pollutant), ``pm25``, ``lmdi_co2`` (LMDI
  target), ``sector_co2`` (sectoral LMDI target with its ``.sector.*`` breakdown), ``structure``, ``energy``,
  ``coal_share``, ``energy_mix`` (``auto`` / ``yes`` / ``no``);
* methods: ``tapio_boundary``, ``coupling_form``, ``coupling_bounds`` (min–max bounds of the coupling order
  degrees: ``pooled`` over provinces and years, ``yearly`` cross-sections, or ``log`` pooled over the logarithms),
  ``synergy_periods``, ``lmdi_form``, ``lmdi_yearly``;
* NQPF: ``system``, ``nqpf_method``, ``normalisation``, ``zero_rule``, ``epsilon``, ``nqpf_missing`` (absent
  indicator values: interpolated inside a series and/or re-weighted within their dimension, or complete cases),
  ``nqpf_min_share`` (the share of a dimension's indicators a re-weighted province-year must have);
* imbalance: ``measure`` (``nqpf``, ``coupling`` or a formula), ``kernel``, ``bandwidth``, ``kde_points``,
  ``span``, ``min_group_size``, ``bootstrap``, ``level``, ``seed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coreduce.conventions import Check, Convention, ConventionError, Conventions, option, year_between
from coreduce.methods.kde import BANDWIDTHS, KERNELS

YEARS = year_between(1978, 2035)
MEMBERSHIP = ("covered", "all", "complete_members")
PRICES = ("nominal", "constant")
NQPF_METHODS = ("entropy", "entropy-topsis", "critic", "critic-topsis", "fixed", "fixed-topsis")
NORMALISATIONS = ("pooled", "yearly")
NQPF_MISSING = ("interpolate-reweight", "interpolate", "reweight", "complete")
ZERO_RULES = ("limit", "shift", "squeeze")
COUPLING_FORMS = ("standard", "modified")
COUPLING_BOUNDS = ("pooled", "yearly", "log")
LMDI_FORMS = ("additive", "multiplicative")
ENERGY_MIX = ("auto", "yes", "no")
TAPIO_BOUNDARIES = ("coupling", "decoupling")


def _name() -> Check:
    def check(value: Any) -> str | None:
        return None if isinstance(value, str) and value.strip() else "a series or file name"

    return check


def _at_least(least: float, kind: type = int) -> Check:
    def check(value: Any) -> str | None:
        ok = isinstance(value, kind) and not isinstance(value, bool) and value >= least
        return None if ok else f"a{'n integer' if kind is int else ' number'} of at least {least}"

    return check


def _grouping(value: Any) -> str | None:
    from coreduce.geo import GroupingError, load_grouping

    if not isinstance(value, str) or not value:
        return "a built-in grouping (four_regions, three_belts) or a TOML/CSV grouping file"
    try:
        load_grouping(value)
    except GroupingError as exc:
        return f"a built-in grouping or a valid grouping file ({exc})"
    return None


def _periods(value: Any) -> str | None:
    ok = isinstance(value, tuple) and all(
        isinstance(p, tuple | list) and len(p) == 2 and all(isinstance(y, int) for y in p) and p[0] < p[1]
        for p in value
    )
    return None if ok else "a tuple of (first, last) year pairs, first before last (empty: the five-year plans)"


def _bandwidth(value: Any) -> str | None:
    if isinstance(value, str):
        return None if value in BANDWIDTHS else f"one of {', '.join(BANDWIDTHS)} or a positive number"
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    return None if ok else f"one of {', '.join(BANDWIDTHS)} or a positive number"


def _share(value: Any) -> str | None:
    ok = isinstance(value, float) and 0 < value <= 1
    return None if ok else "a share of a dimension's indicators above 0 and at most 1"


def _level(value: Any) -> str | None:
    ok = isinstance(value, float) and 0 < value < 1
    return None if ok else "a confidence level between 0 and 1"


@dataclass(frozen=True)
class ProvinceConventions(Conventions):
    """Every choice that changes a number of the province analyses (see the module docstring for the keys)."""

    start: int = option(2008, check=YEARS)
    end: int = option(2022, check=YEARS)
    grouping: str = option("four_regions", check=_grouping, source="coreduce.geo groupings (DESIGN: four regions)")
    membership: str = option("covered", allowed=MEMBERSHIP)
    prices: str = option("nominal", allowed=PRICES)
    base_year: int = option(2015, check=YEARS)
    deflator: str = option("gdp_deflator", check=_name(), source="World Bank NY.GDP.DEFL.ZS")
    gdp: str = option("gdp", check=_name())
    population: str = option("population", check=_name())
    national_co2: str = option("co2_gcb", check=_name())
    co2: str = option("co2_ceads_energy", check=_name())
    so2: str = option("so2_nbs", check=_name())
    nox: str = option("nox_ceds", check=_name())
    pollutant: str = option("so2_ceds", check=_name())
    pm25: str = option("pm25_aqli", check=_name())
    lmdi_co2: str = option("co2_ceads_energy", check=_name())
    sector_co2: str = option("co2_ceads", check=_name())
    structure: str = option("va_secondary", check=_name())
    energy: str = option("energy_total", check=_name())
    coal_share: str = option("coal_share", check=_name())
    energy_mix: str = option("auto", allowed=ENERGY_MIX)
    tapio_boundary: str = option("coupling", allowed=TAPIO_BOUNDARIES, source="Tapio (2005)")
    coupling_form: str = option("standard", allowed=COUPLING_FORMS, source="Wang et al. (2021)")
    coupling_bounds: str = option(
        "pooled",
        allowed=COUPLING_BOUNDS,
        source="Nardo et al. (2008), OECD/JRC Handbook on Constructing Composite Indicators, normalisation",
    )
    synergy_periods: tuple = option((), check=_periods)
    lmdi_form: str = option("additive", allowed=LMDI_FORMS, source="Ang (2005)")
    lmdi_yearly: bool = option(False, allowed=(False, True))
    system: str = option("default", check=_name())
    nqpf_method: str = option("entropy-topsis", allowed=NQPF_METHODS)
    normalisation: str = option("pooled", allowed=NORMALISATIONS)
    nqpf_missing: str = option(
        "interpolate-reweight",
        allowed=NQPF_MISSING,
        source="OECD/JRC (2008) Handbook on Constructing Composite Indicators",
    )
    nqpf_min_share: float = option(0.3, check=_share)
    zero_rule: str = option("shift", allowed=ZERO_RULES)
    epsilon: float = option(1e-4, check=_at_least(1e-12, float))
    measure: str = option("nqpf", check=_name())
    kernel: str = option("epanechnikov", allowed=tuple(KERNELS))
    bandwidth: str | float = option("stata", check=_bandwidth, source="Stata kdensity")
    kde_points: int = option(50, check=_at_least(2))
    span: int = option(1, check=_at_least(1))
    min_group_size: int = option(2, check=_at_least(1))
    bootstrap: int = option(0, check=_at_least(0))
    level: float = option(0.95, check=_level)
    seed: int = option(0, check=_at_least(0))

    def check(self) -> None:
        if self.end < self.start:
            raise ConventionError("end", self.end, f"a year from start ({self.start}) on")
        if self.bootstrap == 1:
            raise ConventionError("bootstrap", 1, "0 (no bootstrap) or at least 2 replicates")
        for first, last in self.synergy_periods:
            if not self.start <= first < last <= self.end:
                raise ConventionError("synergy_periods", (first, last), f"periods inside {self.start}–{self.end}")

    def require_span(self) -> None:
        """Refuse a one-year window for the analyses that compare two years (rates, decompositions)."""
        if self.end <= self.start:
            raise ConventionError("end", self.end, f"a year after start ({self.start}) for this analysis")

    @property
    def years(self) -> range:
        return range(self.start, self.end + 1)

    @property
    def constant(self) -> bool:
        return self.prices == "constant"

    def price_series(self) -> list[str]:
        """The series the price convention needs besides GDP (the deflator at constant prices)."""
        return [self.deflator] if self.constant else []

    def used(self, *keys: str) -> tuple[Convention, ...]:
        """The records of ``keys`` (an analysis records the conventions it used, not every field)."""
        wanted = set(keys)
        unknown = wanted - set(self.keys())
        if unknown:
            raise KeyError(f"no convention {', '.join(sorted(unknown))}")
        return tuple(r for r in self.records() if r.key in wanted)


WINDOW = ("start", "end")
PRICE_KEYS = ("prices", "base_year", "deflator", "gdp")
"""Conventions every analysis that uses GDP records (base year and deflator matter only at constant prices)."""


def price_keys(conventions: ProvinceConventions) -> tuple[str, ...]:
    return PRICE_KEYS if conventions.constant else ("prices", "gdp")
