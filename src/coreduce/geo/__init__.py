"""Geography: the 31 provinces, their names and codes, and region groupings; countries, country aggregates and
country groupings (Global South / North, income groups, regions, BRICS, user files)."""

from coreduce.geo.countries import (
    AggregateError,
    Country,
    UnknownCountryError,
    by_iso3,
    countries,
    country_name,
    is_aggregate,
    iso3_of,
    resolve_country,
)
from coreduce.geo.country_groups import CountryGrouping, CountryGroupingError, load_country_grouping
from coreduce.geo.groupings import DEFAULT, Grouping, GroupingError, load_grouping
from coreduce.geo.provinces import (
    NATIONAL_CODE,
    Province,
    UnknownProvinceError,
    by_code,
    code_of,
    provinces,
    resolve,
)

__all__ = [
    "DEFAULT",
    "NATIONAL_CODE",
    "AggregateError",
    "Country",
    "CountryGrouping",
    "CountryGroupingError",
    "Grouping",
    "GroupingError",
    "Province",
    "UnknownCountryError",
    "UnknownProvinceError",
    "by_code",
    "by_iso3",
    "code_of",
    "countries",
    "country_name",
    "is_aggregate",
    "iso3_of",
    "load_country_grouping",
    "load_grouping",
    "provinces",
    "resolve",
    "resolve_country",
]
