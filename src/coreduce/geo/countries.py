"""Countries and areas of the world, their codes and names, and the aggregate rows that are not countries.

``countries.csv`` (made by :func:`coreduce.data.readers.classification.country_table` from UN M49 2020, the
World Bank's FY2025 list and the entity names of the OWID and EDGAR files) holds one row per country or area:
ISO 3166-1 alpha-3 code (``geo`` in the panel), M49 code, English and Chinese names, aliases (the names OWID,
EDGAR and the World Bank use), UN region and sub-region, the M49 developed / developing class, LDC, LLDC and
SIDS flags, World Bank region, income group and lending category. Kosovo (XKX) and the Channel Islands (CHI)
carry the World Bank's codes; Taiwan (TWN) is in the ISO and OWID lists but not in M49, so it has no UN class.

``country_aggregates.csv`` lists the rows publishers add that are not countries (OWID's ``World``, continents,
income groups, bunkers and "(GCP)" regions; EDGAR's ``GLOBAL TOTAL``, ``EU27``, aviation, shipping; the World
Bank's aggregates): their geo codes start with ``owid:``, ``edgar:`` or ``wb:`` so they never mix with
countries, and naming one where a country is expected is an :class:`AggregateError`.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

WORLD = "owid:world"
"""Geo code of OWID's World row."""


class UnknownCountryError(LookupError):
    """A name that matches no country; the message lists the closest known names."""


class AggregateError(ValueError):
    """An aggregate row (World, a continent, an income group, bunkers) named where a country is expected."""


@dataclass(frozen=True)
class Country:
    iso3: str
    m49: str
    name_en: str
    name_zh: str
    aliases: tuple[str, ...]
    un_region: str
    un_subregion: str
    un_class: str
    """``developing``, ``developed`` or empty (not classified by M49 2020)."""
    ldc: bool
    lldc: bool
    sids: bool
    wb_region: str
    wb_income: str
    """``L``, ``LM``, ``UM``, ``H`` or empty (not classified in FY2025)."""
    wb_lending: str

    def names(self) -> tuple[str, ...]:
        return (self.iso3, self.name_en, self.name_zh, *self.aliases, *((self.m49,) if self.m49 else ()))

    def name(self, lang: str = "en") -> str:
        return self.name_zh if lang == "zh" and self.name_zh else self.name_en


@dataclass(frozen=True)
class Aggregate:
    code: str
    name: str
    publisher: str


def _normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode() or str(name)
    text = text.strip().lower().replace("’", "'")
    text = re.sub(r"\(the\)|^the\s+", "", text)
    return re.sub(r"[\s\-_'.,()]", "", text)


def _rows(name: str) -> list[dict[str, str]]:
    with files(__package__).joinpath(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def countries() -> tuple[Country, ...]:
    """Every country or area, by ISO alpha-3 code."""
    out = []
    for r in _rows("countries.csv"):
        flags = {k: r[k] == "True" for k in ("ldc", "lldc", "sids")}
        aliases = tuple(a for a in r["aliases"].split(";") if a)
        out.append(Country(**{**r, **flags, "aliases": aliases}))
    return tuple(out)


@cache
def aggregates() -> tuple[Aggregate, ...]:
    """Every aggregate row known from OWID, EDGAR and the World Bank."""
    return tuple(Aggregate(**r) for r in _rows("country_aggregates.csv"))


@cache
def _index() -> dict[str, Country]:
    index: dict[str, Country] = {}
    for country in countries():
        for name in country.names():
            index.setdefault(_normalise(name), country)
    return index


@cache
def _aggregate_index() -> dict[str, Aggregate]:
    index = {}
    for agg in aggregates():
        for name in (agg.code, agg.name, agg.code.split(":", 1)[1]):
            index.setdefault(_normalise(name), agg)
    return index


def is_aggregate(name: str) -> bool:
    """Whether ``name`` (a code or a publisher's name) denotes an aggregate row rather than a country."""
    key = _normalise(name)
    if key in _index():
        return False
    return key in _aggregate_index() or str(name).split(":", 1)[0] in ("owid", "edgar", "wb")


def resolve_country(name: str | int) -> Country:
    """The country ``name`` denotes: ISO alpha-3 or M49 code, English or Chinese name, or a publisher's alias.

    An aggregate (``World``, ``Africa``, ``High-income countries``…) raises :class:`AggregateError`; an unknown
    name raises :class:`UnknownCountryError` naming the closest matches.
    """
    text = str(name).strip()
    key = _normalise(text)
    if text.isdigit():
        key = _normalise(text.zfill(3))
    found = _index().get(key)
    if found is not None:
        return found
    if is_aggregate(text):
        raise AggregateError(f"{text!r} is an aggregate row, not a country; name its member countries instead")
    candidates = sorted({n for c in countries() for n in (c.name_en, c.name_zh, *c.aliases)})
    close = difflib.get_close_matches(text, candidates, n=3, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in candidates}
        close = [lowered[c] for c in difflib.get_close_matches(text.lower(), list(lowered), n=3, cutoff=0.5)]
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise UnknownCountryError(f"unknown country {text!r}{hint}")


def iso3_of(name: str | int) -> str:
    """ISO alpha-3 code of the country ``name`` denotes."""
    return resolve_country(name).iso3


@cache
def by_iso3() -> dict[str, Country]:
    """Countries keyed by ISO alpha-3 code."""
    return {c.iso3: c for c in countries()}


def country_name(code: str, lang: str = "en") -> str:
    """Display name of a country code or an aggregate code (the code itself when unknown)."""
    country = by_iso3().get(code)
    if country is not None:
        return country.name(lang)
    for agg in aggregates():
        if agg.code == code:
            return agg.name
    return code
