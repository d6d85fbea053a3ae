"""Groupings of the 31 provinces into regions: the four regions (default), the three belts, or a user file.

A grouping is read from TOML (``[groups.<name>] members = [...]``) or from a two-column CSV
(``province,group``); every province must belong to exactly one group.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from coreduce.geo.grouping_files import Groups, assign, load_file, read_csv, read_toml
from coreduce.geo.provinces import provinces, resolve

BUILTIN = {"four_regions": "regions_four.toml", "three_belts": "regions_three_belts.toml"}
DEFAULT = "four_regions"


class GroupingError(ValueError):
    """A grouping file that does not assign every province to exactly one group."""


class Grouping(Groups):
    """Groups of provinces: group name → GB/T codes of its member provinces, in file order."""


def _province_code(member: str) -> str:
    return resolve(member).code


def _build(name: str, raw: dict[str, list[str]], labels_zh: dict[str, str], origin: str) -> Grouping:
    groups = assign(raw, _province_code, origin, GroupingError)
    seen = {code for codes in groups.values() for code in codes}
    missing = [p.name_en for p in provinces() if p.code not in seen]
    if missing:
        raise GroupingError(f"{origin}: provinces in no group: {', '.join(missing)}")
    return Grouping(name=name, groups=groups, labels_zh=labels_zh)


def _from_toml(text: str, origin: str, default_name: str) -> Grouping:
    doc, raw, labels = read_toml(text, origin, GroupingError)
    return _build(doc.get("name", default_name), raw, labels, origin)


def _from_csv(path: Path) -> Grouping:
    return _build(path.stem, read_csv(path, "province", _province_code, GroupingError), {}, str(path))


def load_grouping(spec: str | Path = DEFAULT) -> Grouping:
    """A built-in grouping by name (``four_regions``, ``three_belts``) or a user TOML/CSV file."""
    if isinstance(spec, str) and spec in BUILTIN:
        text = files(__package__).joinpath(BUILTIN[spec]).read_text(encoding="utf-8")
        return _from_toml(text, f"built-in grouping {spec}", spec)
    return load_file(spec, _from_csv, _from_toml, BUILTIN, GroupingError)
