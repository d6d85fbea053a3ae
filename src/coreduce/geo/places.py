"""Names a user may give wherever a geography is asked for: a province in any spelling, China, a group of the
grouping in use (``East``, ``东部``) or a named area of policy (``京津冀``, ``长三角``; :file:`areas.toml` gives the
provinces each covers and its source).

:func:`resolve_places` turns such names into the codes of the rows they denote: a province → its code; a group →
the group's own code (its aggregate row) and its members; an area → its member provinces; China →
:data:`~coreduce.geo.provinces.NATIONAL_CODE`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from coreduce.geo.groupings import DEFAULT, load_grouping
from coreduce.geo.provinces import NATIONAL_CODE, UnknownProvinceError, resolve

NATION = ("china", "中国", "全国", "national", "nation", NATIONAL_CODE)


@dataclass(frozen=True)
class Area:
    """A named area of policy and the provinces it covers."""

    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    members: tuple[str, ...]
    source: str
    note: str = ""


@cache
def areas() -> dict[str, Area]:
    """The named areas, by Chinese name."""
    doc = tomllib.loads(files(__package__).joinpath("areas.toml").read_text(encoding="utf-8"))
    out = {}
    for name, raw in doc["areas"].items():
        members = tuple(resolve(m).code for m in raw["members"])
        aliases = tuple(raw.get("aliases", ()))
        out[name] = Area(name, raw["name_en"], aliases, members, raw["source"], raw.get("note", ""))
    return out


def _area(name: str) -> Area | None:
    key = name.strip().lower()
    return next((a for a in areas().values() if key in (a.name_zh, a.name_en.lower(), *a.aliases)), None)


def resolve_places(names: list[str], grouping: str = DEFAULT) -> tuple[str, ...]:
    """The codes of the rows ``names`` denote (in order, without repeats); an unknown name raises
    :class:`UnknownProvinceError` listing what is accepted."""
    groups = load_grouping(grouping)
    by_group = {g.lower(): g for g in groups.groups} | {groups.label(g, "zh"): g for g in groups.groups}
    codes: list[str] = []
    for name in names:
        text = str(name).strip()
        area = _area(text)
        if text.lower() in NATION:
            codes.append(NATIONAL_CODE)
        elif text.lower() in by_group or text in by_group:
            group = by_group.get(text.lower()) or by_group[text]
            codes += [group, *groups.members(group)]
        elif area is not None:
            codes += area.members
        else:
            try:
                codes.append(resolve(text).code)
            except UnknownProvinceError as exc:
                known = ", ".join([*groups.groups, *areas()])
                raise UnknownProvinceError(f"{exc}; also accepted: China, {known}") from None
    return tuple(dict.fromkeys(codes))
