"""Groupings of countries: the Global South and North, World Bank income groups and regions, BRICS, user files.

Built-in groupings (``load_country_grouping(name)``):

* ``un_m49_2020`` (default): **Global South** = the economies UN M49 classed as *developing regions*,
  **Global North** = *developed regions* (UNSD, Standard country or area codes for statistical use (M49),
  column "Developed / Developing Countries", 2020 edition, the last one that carried it). China is a developing
  economy in M49, so it is inside the Global South; :meth:`CountryGrouping.beside` puts it beside the group
  (groups ``China``, ``Global South excl. China``, ``Global North``), as the source document discusses it.
* ``wb_income``: World Bank income groups FY2025 (2023 GNI per capita, Atlas method).
* ``wb_region``: the seven World Bank regions (FY2025).
* ``brics_2024``: BRICS members from 1 January 2024 (``country_groups_brics_2024.toml``, with its citation).

No cited membership list of the G77 is available offline here, so it is not built in; users may supply it.
A user grouping is a TOML file (``[groups.<name>] members = [...]``, optional ``label_zh``, top-level ``name``
and ``definition``) or a CSV file with columns ``country,group``. Members may be named by code or any known
name; an unknown name lists the closest matches, an aggregate row (World, Africa, High-income countries…) or a
country in two groups is a :class:`CountryGroupingError`. Unlike province groupings, a country grouping need
not cover every country: :meth:`CountryGrouping.unassigned` names those outside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from coreduce.geo.countries import countries, resolve_country
from coreduce.geo.grouping_files import Groups, assign, load_file, read_csv, read_toml

CHINA = "CHN"
SOUTH, NORTH, CHINA_GROUP = "Global South", "Global North", "China"
SOUTH_EXCL = "Global South excl. China"
M49_DEFINITION = (
    "Global South = UN M49 developing regions, Global North = UN M49 developed regions (UNSD M49, column "
    "'Developed / Developing Countries', 2020 edition)"
)
WB_INCOME = {"L": ("Low income", "低收入"), "LM": ("Lower middle income", "中等偏下收入"),
             "UM": ("Upper middle income", "中等偏上收入"), "H": ("High income", "高收入")}  # fmt: skip
WB_REGIONS_ZH = {
    "East Asia & Pacific": "东亚与太平洋", "Europe & Central Asia": "欧洲与中亚",
    "Latin America & Caribbean": "拉丁美洲与加勒比", "Middle East & North Africa": "中东与北非",
    "North America": "北美", "South Asia": "南亚", "Sub-Saharan Africa": "撒哈拉以南非洲",
}  # fmt: skip
BUILTIN = ("un_m49_2020", "wb_income", "wb_region", "brics_2024")
DEFAULT = "un_m49_2020"


class CountryGroupingError(ValueError):
    """A grouping file or spec that is not a valid grouping of countries."""


@dataclass(frozen=True)
class CountryGrouping(Groups):
    """Groups of countries: group name → ISO alpha-3 codes of its members."""

    definition: str = ""
    china: str = "inside"
    """``inside`` (China counted in its group) or ``beside`` (China a group of its own)."""

    def unassigned(self, codes: list[str] | None = None) -> list[str]:
        """Codes in ``codes`` (default: every known country) that belong to no group."""
        inside = self.group_of()
        pool = [c.iso3 for c in countries()] if codes is None else codes
        return [c for c in pool if c not in inside]

    def beside(self, code: str = CHINA) -> CountryGrouping:
        """The grouping with ``code`` taken out of its group into a group of its own (China beside the South)."""
        owner = self.group_of().get(code)
        if owner is None:
            raise CountryGroupingError(f"grouping {self.name!r}: {code} is in no group, so it cannot be set beside")
        name = CHINA_GROUP if code == CHINA else code
        rest = SOUTH_EXCL if (owner == SOUTH and code == CHINA) else f"{owner} excl. {name}"
        groups: dict[str, tuple[str, ...]] = {name: (code,)}
        labels = {**self.labels_zh, CHINA_GROUP: "中国", SOUTH_EXCL: "全球南方（不含中国）"}
        for group, members in self.groups.items():
            groups[rest if group == owner else group] = tuple(m for m in members if m != code)
        return CountryGrouping(self.name, groups, labels, self.definition, china="beside")


def _country_code(member: str) -> str:
    return resolve_country(member).iso3


def _build(name: str, raw: dict[str, list[str]], labels: dict[str, str], origin: str, definition: str):
    groups = assign(raw, _country_code, origin, CountryGroupingError)
    return CountryGrouping(name=name, groups=groups, labels_zh=labels, definition=definition)


def _from_toml(text: str, origin: str, default_name: str) -> CountryGrouping:
    doc, raw, labels = read_toml(text, origin, CountryGroupingError)
    return _build(doc.get("name", default_name), raw, labels, origin, doc.get("definition", origin))


def _from_csv(path: Path) -> CountryGrouping:
    raw = read_csv(path, "country", _country_code, CountryGroupingError)
    return _build(path.stem, raw, {}, str(path), f"user grouping {path.name}")


def _by_attribute(name: str, attribute: str, order: dict[str, tuple[str, str]], definition: str):
    groups = {label: tuple(c.iso3 for c in countries() if getattr(c, attribute) == key)
              for key, (label, _) in order.items()}  # fmt: skip
    labels = {label: zh for label, zh in order.values()}
    return CountryGrouping(name, {g: m for g, m in groups.items() if m}, labels, definition)


def load_country_grouping(spec: str | Path = DEFAULT, china: str = "inside") -> CountryGrouping:
    """A built-in grouping by name (see the module doc) or a user TOML/CSV file; ``china="beside"`` sets China
    beside its group."""
    if china not in ("inside", "beside"):
        raise CountryGroupingError(f"china must be 'inside' or 'beside', not {china!r}")
    grouping = _load(spec)
    return grouping.beside(CHINA) if china == "beside" else grouping


def _load(spec: str | Path) -> CountryGrouping:
    if spec == "un_m49_2020":
        order = {"developing": (SOUTH, "全球南方"), "developed": (NORTH, "全球北方")}
        return _by_attribute("un_m49_2020", "un_class", order, M49_DEFINITION)
    if spec == "wb_income":
        return _by_attribute("wb_income", "wb_income", WB_INCOME, "World Bank income groups, FY2025")
    if spec == "wb_region":
        order = {r: (r, zh) for r, zh in WB_REGIONS_ZH.items()}
        return _by_attribute("wb_region", "wb_region", order, "World Bank regions, FY2025")
    if spec == "brics_2024":
        text = files(__package__).joinpath("country_groups_brics_2024.toml").read_text(encoding="utf-8")
        return _from_toml(text, "built-in grouping brics_2024", "brics_2024")
    return load_file(spec, _from_csv, _from_toml, BUILTIN, CountryGroupingError)
