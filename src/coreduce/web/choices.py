"""The choices a page's form sends: the fields given, years as integers, lists split on commas."""

from __future__ import annotations

from collections.abc import Mapping

YEARS = ("start", "end")
LISTS = ("sections",)


def choices_from(query: Mapping[str, str], keys: tuple[str, ...], error: type[ValueError]) -> dict[str, object]:
    """The ``keys`` the query gives (blank ones left out): years as integers, :data:`LISTS` fields split on
    commas; ``error`` names a year that is not a number."""
    chosen: dict[str, object] = {}
    for key in keys:
        value = (query.get(key) or "").strip()
        if not value:
            continue
        if key in YEARS:
            if not value.isdigit():
                raise error(f"{key}: expected a year such as 2015, not {value!r}")
            chosen[key] = int(value)
        elif key in LISTS:
            chosen[key] = [part.strip() for part in value.split(",") if part.strip()]
        else:
            chosen[key] = value
    return chosen
