"""Groupings of the 31 provinces into regions: the four regions (default), the three belts, or a user file.

A grouping is read from TOML (``[groups.<name>] members = [...]``) or from a two-column CSV
(``province,group``); every province must belong to exactly one group.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from coreduce.geo.provinces import UnknownProvinceError, provinces, resolve

BUILTIN = {"four_regions": "regions_four.toml", "three_belts": "regions_three_belts.toml"}
DEFAULT = "four_regions"


class GroupingError(ValueError):
    """A grouping file that does not assign every province to exactly one group."""


@dataclass(frozen=True)
class Grouping:
    name: str
    groups: dict[str, tuple[str, ...]]
    """Group name → GB/T codes of its member provinces, in file order."""
    labels_zh: dict[str, str] = field(default_factory=dict)

    def group_of(self) -> dict[str, str]:
        """Province code → group name."""
        return {code: group for group, codes in self.groups.items() for code in codes}

    def members(self, group: str) -> tuple[str, ...]:
        if group not in self.groups:
            raise KeyError(f"grouping {self.name!r} has no group {group!r}; groups: {', '.join(self.groups)}")
        return self.groups[group]


def _build(name: str, raw: dict[str, list[str]], labels_zh: dict[str, str], origin: str) -> Grouping:
    groups: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for group, names in raw.items():
        codes = []
        for member in names:
            try:
                code = resolve(member).code
            except UnknownProvinceError as exc:
                raise GroupingError(f"{origin}: group {group!r}: {exc}") from None
            if code in seen:
                raise GroupingError(f"{origin}: {member!r} is in both {seen[code]!r} and {group!r}")
            seen[code] = group
            codes.append(code)
        if not codes:
            raise GroupingError(f"{origin}: group {group!r} has no members")
        groups[group] = tuple(codes)
    missing = [p.name_en for p in provinces() if p.code not in seen]
    if missing:
        raise GroupingError(f"{origin}: provinces in no group: {', '.join(missing)}")
    return Grouping(name=name, groups=groups, labels_zh=labels_zh)


def _from_toml(text: str, origin: str, default_name: str) -> Grouping:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GroupingError(f"{origin}: not valid TOML: {exc}") from None
    table = doc.get("groups")
    if not isinstance(table, dict) or not table:
        raise GroupingError(f"{origin}: expected a [groups.<name>] table with 'members'")
    raw, labels = {}, {}
    for group, spec in table.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("members"), list):
            raise GroupingError(f"{origin}: [groups.{group}] needs a list 'members'")
        raw[group] = spec["members"]
        if "label_zh" in spec:
            labels[group] = spec["label_zh"]
    return _build(doc.get("name", default_name), raw, labels, origin)


def _from_csv(path: Path) -> Grouping:
    raw: dict[str, list[str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or not {"province", "group"} <= set(reader.fieldnames):
            raise GroupingError(f"{path}: expected columns 'province' and 'group', found {reader.fieldnames}")
        for line, row in enumerate(reader, start=2):
            if not row["province"] or not row["group"]:
                raise GroupingError(f"{path}: row {line}: empty province or group")
            raw.setdefault(row["group"].strip(), []).append(row["province"])
    return _build(path.stem, raw, {}, str(path))


def load_grouping(spec: str | Path = DEFAULT) -> Grouping:
    """A built-in grouping by name (``four_regions``, ``three_belts``) or a user TOML/CSV file."""
    if isinstance(spec, str) and spec in BUILTIN:
        text = files(__package__).joinpath(BUILTIN[spec]).read_text(encoding="utf-8")
        return _from_toml(text, f"built-in grouping {spec}", spec)
    path = Path(spec)
    if not path.exists():
        raise GroupingError(f"no built-in grouping or file named {spec!r}; built-in: {', '.join(BUILTIN)}")
    if path.suffix.lower() == ".csv":
        return _from_csv(path)
    return _from_toml(path.read_text(encoding="utf-8"), str(path), path.stem)
