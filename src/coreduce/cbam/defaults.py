"""Goods and default values: which CN codes CBAM covers, and the default values of IR (EU) 2025/2621 with mark-up.

A good is a CBAM good when its 8-digit CN code is in the goods list (Annex I of Regulation (EU) 2023/956). Its
default value is the Annex I row of IR 2025/2621 for the country of origin whose CN code (4, 6 or 8 digits) is the
longest prefix of the good's code, for the production route; where the country has no row or the row prints no
value ("DASH"), or the transcription's mark-ups contradict its total, the row "Other Countries and Territories"
is used and a note says so. The value applied in year *y* is the default × the mark-up of *y* (×1.10 / 1.20 / 1.30
for 2026 / 2027 / 2028 onwards; ×1.01 for fertilisers) — Art. 2 and Annex I of IR 2025/2621. Whether indirect
emissions count depends on the good: only direct emissions for the goods of Annex II of Regulation 2023/956
(iron and steel, aluminium, hydrogen — the annex's indirect column prints "NA" for exactly these), direct and
indirect for cement and fertilisers (Art. 7(1)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coreduce.cbam.conventions import CbamConventions
from coreduce.cbam.model import CbamInputError
from coreduce.cbam.reference import OTHER, CbamReference, load_reference, markup_factor
from coreduce.cbam.results import GoodsResult
from coreduce.results import Missing, Note

DIRECT_ONLY_SECTORS = ("iron_steel", "aluminium", "hydrogen", "electricity")
"""Sectors whose goods count direct emissions only (Annex II of Regulation (EU) 2023/956; electricity: Annex IV
point 4.2 — its embedded emissions are those of generation)."""


def good(ref: CbamReference, cn: str, where: str = "cn") -> pd.Series:
    """The goods-list row of ``cn`` (8 digits), or :class:`CbamInputError` naming ``where``."""
    code = str(cn).replace(" ", "")
    if not (code.isdigit() and len(code) == 8):
        raise CbamInputError(where, "an 8-digit CN code such as 25231000", cn)
    hit = ref.goods[ref.goods["cn"] == code]
    if hit.empty:
        raise CbamInputError(
            where, "a CBAM good: a CN code in Annex I of Regulation (EU) 2023/956 (this one is not in that list)", cn
        )
    return hit.iloc[0]


def counts_indirect(sector: str, indirect: str = "regulation") -> bool:
    """Whether a good of ``sector`` includes indirect emissions (``indirect`` = the convention)."""
    key = str(sector).strip().lower().replace(" and ", "_").replace(" ", "_")
    return indirect == "all_goods" or key not in DIRECT_ONLY_SECTORS


def on_route(routes: pd.Series, route: str) -> pd.Series:
    """Rows whose production route is ``route`` or lists it: IR 2025/2621 prints compound indicators such as
    "(C)/(F)" (carbon or low-alloy steel, BF/BOF) where the benchmark depends on the alloy grade."""
    return routes.eq(route) | routes.str.split("/").map(lambda parts: route in parts)


def _prefix_rows(table: pd.DataFrame, cn: str) -> pd.DataFrame:
    """Rows whose CN code is the longest prefix of ``cn``."""
    match = table[[cn.startswith(code) for code in table["cn"]]]
    if match.empty:
        return match
    longest = match["cn"].str.len().max()
    return match[match["cn"].str.len() == longest]


@dataclass(frozen=True)
class DefaultValue:
    """A default value applied: the Annex I row used, the mark-up, and why a fallback row was used."""

    cn: str
    country: str
    used_country: str
    route: str
    sector: str
    description: str
    direct: float
    indirect: float
    total: float
    markup_year: int
    markup: float
    fallback: str

    @property
    def direct_marked_up(self) -> float:
        return self.direct * self.markup

    @property
    def indirect_marked_up(self) -> float:
        return self.indirect * self.markup if np.isfinite(self.indirect) else np.nan

    def counted_marked_up(self, indirect_counts: bool) -> float:
        """The default value counted (t CO2e / t): "the default values of the column 'total emissions' shall be
        selected and increased" (IR (EU) 2026/1740, Annex I, opening paragraph; direct and indirect are given for
        information and differ from the total by rounding in 711 rows), or direct only where indirect does not
        count."""
        return (self.total if indirect_counts else self.direct) * self.markup


def default_rows(ref: CbamReference, cn: str, country: str) -> pd.DataFrame:
    """All Annex I rows (every route) for a good and a country of origin (ISO alpha-2), longest CN prefix."""
    rows = ref.defaults[ref.defaults["iso2"] == country.upper()]
    return _prefix_rows(rows, cn)


def default_value(ref: CbamReference, cn: str, country: str, route: str = "", year: int = 2026) -> DefaultValue:
    """The default value for ``cn`` from ``country`` by ``route`` in ``year`` (see the module docstring)."""
    good(ref, cn)
    reason = ""
    for used in (country.upper(), OTHER):
        rows = default_rows(ref, cn, used)
        usable = rows[rows["direct"].notna() & rows["check"].eq("")]
        usable = usable[on_route(usable["route"], route)] if route else usable
        if not usable.empty:
            break
        reason = "dash_or_inconsistent" if not rows.empty else "country_not_listed"
    else:
        raise CbamInputError(
            "cn", f"a good with a default value in IR (EU) 2025/2621 Annex I (route {route or 'any'})", cn
        )
    if usable["route"].nunique() > 1:
        raise CbamInputError("route", f"one of the production routes {sorted(usable['route'].unique())}", route)
    row = usable.iloc[0]
    markup_year = min(max(year, 2026), 2028)
    return DefaultValue(
        cn=cn,
        country=country.upper(),
        used_country=used,
        route=row["route"],
        sector=row["sector"],
        description=row["description"],
        direct=float(row["direct"]),
        indirect=float(row["indirect"]),
        total=float(row["total"]),
        markup_year=markup_year,
        markup=float(markup_factor(row["sector"], markup_year)),
        fallback=reason if used == OTHER and country.upper() != OTHER else "",
    )


def precursor_default(ref: CbamReference, cn: str, route: str = "", year: int = 2026) -> tuple[float, float, str]:
    """(highest default value, mark-up, description) of IR 2025/2621 Annex IV for a precursor of unknown origin."""
    rows = _prefix_rows(ref.precursors, str(cn))
    if route:
        rows = rows[on_route(rows["route"], route)]
    rows = rows[rows["highest"].notna()]
    if rows.empty:
        raise CbamInputError("precursors.cn", "a precursor listed in IR (EU) 2025/2621 Annex IV", cn)
    if rows["route"].nunique() > 1:
        raise CbamInputError("precursors.route", f"one of the routes {sorted(rows['route'].unique())}", route)
    row = rows.iloc[0]
    markup_year = min(max(year, 2026), 2028)
    return float(row["highest"]), float(markup_factor(row["sector"], markup_year)), row["description"]


def goods_table(ref: CbamReference, cn: str, country: str, year: int = 2026) -> pd.DataFrame:
    """What ``coreduce cbam goods`` prints: the good and its Annex I default values for every route."""
    item = good(ref, cn)
    rows = default_rows(ref, cn, country)
    used = country.upper()
    if rows.empty:
        rows, used = default_rows(ref, cn, OTHER), OTHER
    markup_year = min(max(year, 2026), 2028)
    return pd.DataFrame(
        {
            "cn": item["cn"],
            "sector": item["sector"],
            "category": item["category"],
            "country": used,
            "route": rows["route"].to_numpy(),
            "description": rows["description"].to_numpy(),
            "direct": rows["direct"].to_numpy(),
            "indirect": rows["indirect"].to_numpy(),
            "total": rows["total"].to_numpy(),
            "markup_year": markup_year,
            "markup": markup_factor(rows["sector"], markup_year),
            "total_with_markup": rows[f"markup_{markup_year}"].to_numpy(),
            "indirect_counted": counts_indirect(item["sector"]),
            "status": np.where(rows["check"].ne(""), rows["check"], rows["total_status"]),
            "verified": rows["verified"].to_numpy(),
        }
    )


def good_defaults(
    cn: str, country: str = OTHER, year: int = 2026, reference: CbamReference | None = None
) -> GoodsResult:
    """The good ``cn`` and its default values from ``country`` in ``year`` as a typed result (every route)."""
    ref = reference or load_reference()
    table = goods_table(ref, cn, country, year)
    verified = bool(table["verified"].all()) and not table.empty
    notes = [Note.of("note.cbam.defaults_verified" if verified else "note.cbam.defaults_unverified")]
    missing = []
    if (table["country"] == OTHER).all() and country.upper() != OTHER:
        notes.append(Note.of("note.cbam.default_fallback", cn=cn, country=country.upper()))
        missing.append(
            Missing.of("cbam_default_value", country.upper(), str(year), "missing.cbam.country_not_listed", cn=cn)
        )
    conventions = CbamConventions(values="default", year=year).records()
    return GoodsResult(
        defaults=table, conventions=conventions, notes=tuple(notes), missing=tuple(missing), sources=ref.sources()
    )
