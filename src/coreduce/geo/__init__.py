"""Geography: the 31 provinces, their names and codes, and region groupings."""

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
    "Grouping",
    "GroupingError",
    "Province",
    "UnknownProvinceError",
    "by_code",
    "code_of",
    "load_grouping",
    "provinces",
    "resolve",
]
