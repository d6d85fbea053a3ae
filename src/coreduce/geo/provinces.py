"""The 31 mainland provinces and the resolution of their many names to one code.

Codes are GB/T 2260 administrative division codes (``110000`` Beijing …); every province also carries its
ISO 3166-2 code, Chinese full and short names, English and pinyin names and common variants, and any of
these resolves to the same province (case, spaces, hyphens and the suffixes 省/市/自治区 are ignored).
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

NATIONAL_CODE = "100000"
"""Geography code of China as a whole (the adcode used by DataV and the national statistics)."""


class UnknownProvinceError(LookupError):
    """A name that matches no province; the message lists the closest known names."""


@dataclass(frozen=True)
class Province:
    code: str
    iso: str
    name_zh: str
    short_zh: str
    name_en: str
    pinyin: str
    aliases: tuple[str, ...]

    def names(self) -> tuple[str, ...]:
        return (self.code, self.iso, self.name_zh, self.short_zh, self.name_en, self.pinyin, *self.aliases)


_SUFFIXES = re.compile(r"(维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市)$")


def _normalise(name: str) -> str:
    text = str(name).strip().lower()
    text = re.sub(r"[\s\-_'’.]", "", text)
    text = re.sub(r"(province|municipality|autonomousregion|shi|sheng)$", "", text)
    return _SUFFIXES.sub("", text) if re.search(r"[\u4e00-\u9fff]", text) else text


@cache
def provinces() -> tuple[Province, ...]:
    """The 31 provinces in GB/T 2260 order."""
    with files(__package__).joinpath("provinces.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        Province(
            code=r["code"],
            iso=r["iso"],
            name_zh=r["name_zh"],
            short_zh=r["short_zh"],
            name_en=r["name_en"],
            pinyin=r["pinyin"],
            aliases=tuple(a for a in r["aliases"].split(";") if a),
        )
        for r in rows
    )


@cache
def _index() -> dict[str, Province]:
    index: dict[str, Province] = {}
    for province in provinces():
        for name in province.names():
            index[_normalise(name)] = province
    return index


def resolve(name: str | int) -> Province:
    """Return the province that ``name`` denotes, in any of its spellings.

    Raises :class:`UnknownProvinceError` naming the closest matches when nothing matches.
    """
    key = _normalise(str(name))
    found = _index().get(key)
    if found is not None:
        return found
    candidates = sorted({n for p in provinces() for n in p.names()})
    close = difflib.get_close_matches(str(name).strip(), candidates, n=3, cutoff=0.5)
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise UnknownProvinceError(f"unknown province {name!r}{hint}")


def code_of(name: str | int) -> str:
    """GB/T 2260 code of the province ``name`` denotes."""
    return resolve(name).code


def by_code() -> dict[str, Province]:
    """Provinces keyed by GB/T 2260 code."""
    return {p.code: p for p in provinces()}
