"""The one builder of test panels, and the synthetic panels built with it.

:func:`build_panel` turns rows (geo, year, variable, value, and optionally unit, source, status) into a
:class:`~coreduce.data.panel.Panel` with one catalogue entry per variable and one sources row per source.
The synthetic panels below differ only in their rows:

- :func:`closed_form_panel`: 31 provinces 2006–2022 whose expected figures can be computed by hand
  (analysis tests);
- :func:`nqpf_panel`: every input of the NQPF indicator systems, seeded random trends (analysis tests);
- :func:`national_panel`: national GDP and CO2 with one interpolated value and a gap (report tests);
- :func:`trend_panel`: provincial and national trend series with gaps, plus the NQPF inputs (report tests);
- :func:`small_frames_panel`: a handful of rows with an awkward sector name (data-layer tests).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from coreduce.data.panel import Panel
from coreduce.geo import NATIONAL_CODE, provinces

SYNTHETIC_SOURCE = ("test suite", "synthetic panel", "CC0", "-", "-")
"""publisher, title, licence, citation, files of the default source ``synthetic``."""


def build_panel(
    data: pd.DataFrame,
    units: Mapping[str, str] | None = None,
    *,
    sources: Mapping[str, tuple[str, str, str, str, str]] | None = None,
    definitions: Mapping[str, str] | None = None,
) -> Panel:
    """``data`` as a Panel: missing ``unit`` from ``units``, ``source`` = ``synthetic``, ``status`` = reported.

    ``sources`` maps each source id to (publisher, title, licence, citation, files); ids not given get the
    synthetic source's attribution. The catalogue lists each variable once (its first unit and source, the
    publisher of that source, the definition from ``definitions`` or the variable name).
    """
    data = data.copy()
    if "unit" not in data:
        data["unit"] = data["variable"].map(dict(units or {}))
    data["source"] = data.get("source", "synthetic")
    data["status"] = data.get("status", "reported")
    attribution = {s: (sources or {}).get(s, SYNTHETIC_SOURCE) for s in dict.fromkeys(data["source"])}
    first = data.drop_duplicates("variable")
    catalogue = pd.DataFrame(
        {
            "variable": first["variable"].to_numpy(),
            "unit": first["unit"].to_numpy(),
            "definition": [(definitions or {}).get(v, v) for v in first["variable"]],
            "publisher": [attribution[s][0] for s in first["source"]],
            "source": first["source"].to_numpy(),
        }
    )
    sources_frame = pd.DataFrame(
        [(s, *a) for s, a in attribution.items()],
        columns=["source", "publisher", "title", "licence", "citation", "files"],
    )
    return Panel.from_frames(data.reset_index(drop=True), catalogue, sources_frame)


def _frame(rows: list[tuple]) -> pd.DataFrame:
    columns = ["geo", "year", "variable", "value", "unit", "source", "status"]
    return pd.DataFrame(rows, columns=columns[: len(rows[0])])


CLOSED_FORM_UNITS = {
    "gdp": "1e8 CNY",
    "va_secondary": "1e8 CNY",
    "energy_total": "1e4 tce",
    "coal_share": "fraction",
    "co2_ceds": "Mt",
    "co2_ceads_energy": "Mt",
    "co2_apparent": "Mt",
    "co2_gcb": "Mt",
    "so2_nbs": "kt",
    "so2_ceds": "kt",
    "nox_ceds": "kt",
    "population": "1e4 person",
    "pm25_aqli": "ug/m3",
}
TIBET = "540000"


def closed_form_panel(drop: set[tuple[str, str, int]] | None = None) -> Panel:
    """31 provinces 2006–2022 in closed form; ``drop`` leaves out (geo, variable, year) rows.

    Province ``k`` (0–30, in GB/T order) in year ``y`` (t = y − 2006):
      gdp = 1000·(1 + k/10)·1.1^t [1e8 CNY];  va_secondary = 0.45·gdp·0.99^t;  energy_total = 0.8·gdp·0.95^t
      [1e4 tce];  coal_share = 0.7·0.98^t;  co2_ceds = 0.002·gdp·0.96^t [Mt];  co2_apparent = 0.0021·gdp·0.96^t
      and co2_ceads_energy = 0.0019·gdp·0.96^t (both without Tibet);  so2_nbs, so2_ceds = 0.05·gdp·0.9^t [kt];
      nox_ceds = 0.04·gdp·0.93^t [kt];  population = 3000 + 100·k [1e4 person]
    National: co2_gcb = 0.02·Σgdp·0.95^(y−2008) [Mt], so CO2 intensity = 2·0.95^(y−2008) t per 1e4 yuan;
    pm25_aqli for China, BTH, YRD, PRD = 50·0.97^t [ug/m3].
    """
    years = range(2006, 2023)
    rows = []
    gdp_sum = dict.fromkeys(years, 0.0)
    for k, province in enumerate(provinces()):
        for year in years:
            t = year - 2006
            gdp = 1000 * (1 + k / 10) * 1.1**t
            gdp_sum[year] += gdp
            values = {
                "gdp": gdp,
                "va_secondary": 0.45 * gdp * 0.99**t,
                "energy_total": 0.8 * gdp * 0.95**t,
                "coal_share": 0.7 * 0.98**t,
                "co2_ceds": 0.002 * gdp * 0.96**t,
                "co2_ceads_energy": 0.0019 * gdp * 0.96**t,
                "co2_apparent": 0.0021 * gdp * 0.96**t,
                "so2_nbs": 0.05 * gdp * 0.9**t,
                "so2_ceds": 0.05 * gdp * 0.9**t,
                "nox_ceds": 0.04 * gdp * 0.93**t,
                "population": 3000 + 100 * k,
            }
            for variable, value in values.items():
                if not (variable in ("co2_apparent", "co2_ceads_energy") and province.code == TIBET):
                    rows.append((province.code, year, variable, value))
    for year in years:
        rows.append((NATIONAL_CODE, year, "co2_gcb", 0.02 * gdp_sum[year] * 0.95 ** (year - 2008)))
        for geo in (NATIONAL_CODE, "BTH", "YRD", "PRD"):
            rows.append((geo, year, "pm25_aqli", 50 * 0.97 ** (year - 2006)))
    data = _frame(rows)
    if drop:
        keep = [(g, v, y) not in drop for g, y, v in zip(data["geo"], data["year"], data["variable"], strict=True)]
        data = data[keep]
    return build_panel(data, CLOSED_FORM_UNITS)


NQPF_UNITS = {
    "gdp": "1e8 CNY",
    "va_secondary": "1e8 CNY",
    "va_tertiary": "1e8 CNY",
    "population": "1e4 person",
    "energy_total": "1e4 tce",
    "electricity_generation": "1e8 kWh",
    "electricity_nonfossil": "1e8 kWh",
    "coal_share": "fraction",
    "rd_expenditure": "1e8 CNY",
    "patents_applied": "count",
    "patents_granted": "count",
    "patents_granted_invention": "count",
    "green_patents_invention": "count",
    "green_patents_utility": "count",
    "co2_ceads": "Mt",
    "co2_ceds": "Mt",
    "co2_ceads_energy": "Mt",
    "so2_ceds": "kt",
    "nox_ceds": "kt",
}


def _nqpf_values(rng, k: int, t: int, level: float, tech: float, green: float) -> dict[str, float]:
    gdp = 1000 * level * 1.09**t * rng.uniform(0.97, 1.03)
    sec = gdp * (0.5 - 0.008 * t * green) * rng.uniform(0.97, 1.03)
    gen = 500 * level * 1.06**t
    granted = 2e4 * tech * 1.15**t * rng.uniform(0.9, 1.1)
    return {
        "gdp": gdp,
        "va_secondary": sec,
        "va_tertiary": gdp * 0.9 - sec + 0.01 * gdp * t * tech,
        "population": 3000 + 100 * k,
        "energy_total": 0.9 * gdp * (0.96 - 0.005 * green) ** t,
        "electricity_generation": gen,
        "electricity_nonfossil": gen * min(0.9, 0.1 * green + 0.01 * t),
        "coal_share": (0.5 + 0.1 * level) * (0.98 - 0.005 * green) ** t,
        "rd_expenditure": gdp * 0.015 * tech * 1.03**t,
        "patents_applied": 1.6 * granted,
        "patents_granted": granted,
        "patents_granted_invention": granted * (0.1 + 0.1 * tech) * rng.uniform(0.9, 1.1),
        "green_patents_invention": granted * 0.05 * green * rng.uniform(0.9, 1.1),
        "green_patents_utility": granted * 0.04 * green * rng.uniform(0.9, 1.1),
        "co2_ceads": 0.002 * gdp * (0.95 - 0.01 * tech) ** t * rng.uniform(0.95, 1.05),
        "co2_ceds": 0.0021 * gdp * (0.95 - 0.01 * tech) ** t,
        "co2_ceads_energy": 0.0019 * gdp * (0.95 - 0.01 * tech) ** t,
        "so2_ceds": 0.05 * gdp * (0.9 - 0.01 * green) ** t * rng.uniform(0.95, 1.05),
        "nox_ceds": 0.04 * gdp * 0.93**t * rng.uniform(0.95, 1.05),
    }


def nqpf_panel(seed: int = 7, drop: set[tuple[str, int, str]] | None = None, years=range(2006, 2023)) -> Panel:
    """Every variable the NQPF systems use (31 provinces), seeded and smooth; ``drop`` leaves out
    (geo, year, variable) rows.

    Values are random but positive and trending, so every indicator varies across provinces and years; the tests
    use it for properties and for bad-input errors, while published numbers are checked in tests/methods.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for k, p in enumerate(provinces()):
        level, tech, green = rng.uniform(0.5, 2.0), rng.uniform(0.5, 2.0), rng.uniform(0.5, 2.0)
        for year in years:
            for var, value in _nqpf_values(rng, k, year - 2006, level, tech, green).items():
                if not (drop and (p.code, year, var) in drop) and not (var == "co2_ceads_energy" and p.code == TIBET):
                    rows.append((p.code, year, var, value))
    return build_panel(_frame(rows), NQPF_UNITS)


NBS = ("National Bureau of Statistics", "China Statistical Yearbook", "none stated", "NBS", "gdp.csv")
GCB = ("Global Carbon Budget / OWID", "CO2 data", "CC BY 4.0", "Friedlingstein et al.", "co2.csv")


def national_panel() -> Panel:
    """National GDP and CO2 2008–2022 with one interpolated value and a gap (2020 absent)."""
    rows = []
    for year in range(2008, 2023):
        rows.append(("100000", year, "gdp", 300000.0 + 50000 * (year - 2008), "1e8 CNY", "nbs", "reported"))
        if year != 2020:
            status = "interpolated" if year == 2010 else "reported"
            rows.append(("100000", year, "co2_gcb", 7000.0 + 200 * (year - 2008), "Mt", "gcb", status))
    return build_panel(_frame(rows), sources={"nbs": NBS, "gcb": GCB}, definitions={"gdp": "GDP", "co2_gcb": "CO2"})


NQPF_INPUTS = (
    ("green_patents_invention", 500, "count"),
    ("green_patents_utility", 400, "count"),
    ("va_tertiary", 2000, "1e8 CNY"),
    ("electricity_nonfossil", 100, "1e8 kWh"),
    ("electricity_generation", 1000, "1e8 kWh"),
    ("rd_expenditure", 100, "1e8 CNY"),
    ("patents_granted", 20000, "count"),
    ("patents_granted_invention", 3000, "count"),
    ("patents_applied", 40000, "count"),
)
TREND_SOURCES = {
    "nbs": ("National Bureau of Statistics", "China Statistical Yearbook", "none stated", "NBS", "x.csv"),
    "ceds": ("CEDS / CREA", "CEDS gridded emissions by province", "CC BY 4.0", "O'Rourke et al.", "y.csv"),
    "gcb": ("Global Carbon Budget / OWID", "CO2 data", "CC BY 4.0", "Friedlingstein et al.", "z.csv"),
    "aqli": ("EPIC AQLI", "AQLI 2023", "none stated", "AQLI", "w.csv"),
    "ceads": ("CEADs", "apparent CO2", "cite", "Shan et al.", "v.csv"),
}


def _trend_rows(rng, i: int, code: str, year: int) -> list[tuple]:
    weight, k = 1 + i / 10, year - 2008
    co2_rate, so2_rate = 1.04 - 0.003 * i, 0.9 + 0.006 * i  # some provinces cut CO2, others not
    rows = [
        (code, year, "gdp", 5000 * weight * 1.09**k, "1e8 CNY", "nbs"),
        (code, year, "co2_ceds", 150 * weight * co2_rate**k, "Mt", "ceds"),
        (code, year, "co2_ceads_energy", 140 * weight * (1 + 0.01 * i) * co2_rate**k, "Mt", "ceads"),
        (code, year, "so2_ceds", 900 * weight * so2_rate**k, "kt", "ceds"),
        (code, year, "population", 3000 * weight, "1e4 person", "nbs"),
        (code, year, "va_secondary", 2300 * weight * 1.07**k, "1e8 CNY", "nbs"),
        (code, year, "energy_total", 9000 * weight * 1.04**k, "1e4 tce", "nbs"),
        (code, year, "coal_share", 0.7 * 0.98**k, "fraction", "nbs"),
    ]
    for variable, base, unit in NQPF_INPUTS:
        rows.append((code, year, variable, base * weight * rng.uniform(0.5, 1.5) * 1.08**k, unit, "nbs"))
    if code != TIBET:
        rows.append((code, year, "co2_apparent", 140 * weight * (co2_rate - 0.01) ** k, "Mt", "ceads"))
    rows.append((code, year, "nox_ceds", 800 * weight * 0.97**k, "kt", "ceds"))
    if not (code == TIBET and year == 2012):
        rows.append((code, year, "so2_nbs", 700 * weight * 0.9**k, "kt", "nbs"))
    return [(*r, "reported") for r in rows]


def trend_panel() -> Panel:
    """Synthetic provincial GDP, CEDS CO2 and NOx, NBS SO2, national GCB CO2 and AQLI PM2.5, 2008–2022.

    Plus the inputs of the default NQPF indicator system (random around a trend, seed 0).
    Gaps: no PM2.5 after 2021 (as in AQLI), no GCB CO2 for 2015, Tibet without SO2 in 2012.
    """
    rng = np.random.default_rng(0)
    rows = [
        r for i, p in enumerate(provinces()) for year in range(2008, 2023) for r in _trend_rows(rng, i, p.code, year)
    ]
    for year in range(2008, 2023):
        if year != 2015:
            rows.append(("100000", year, "co2_gcb", 7500 * 1.03 ** (year - 2008), "Mt", "gcb", "reported"))
        if year <= 2021:
            status = "interpolated" if year == 2009 else "reported"
            for geo, level in (("100000", 50), ("BTH", 80), ("YRD", 55), ("PRD", 35)):
                rows.append((geo, year, "pm25_aqli", level * 0.96 ** (year - 2008), "ug/m3", "aqli", status))
    return build_panel(_frame(rows), sources=TREND_SOURCES)


SECTOR_POWER = "co2_ceads.sector.Production and Supply of Electric Power, Steam and Hot Water"


def small_frames_panel() -> Panel:
    """Beijing and Shanghai GDP 2008–2011 (Beijing 2010 missing as NaN), a long sector CO2 name, coal share."""
    rows = [
        ("110000", 2008, "gdp", 11115.0, "1e8 CNY"),
        ("110000", 2009, "gdp", 12153.0, "1e8 CNY"),
        ("110000", 2010, "gdp", float("nan"), "1e8 CNY"),
        ("110000", 2011, "gdp", 16252.0, "1e8 CNY"),
        *[("310000", 2008 + i, "gdp", v, "1e8 CNY") for i, v in enumerate((14069.9, 15046.5, 17166.0, 19195.7))],
        ("110000", 2008, SECTOR_POWER, 21.5, "Mt"),
        ("110000", 2009, SECTOR_POWER, 22.0, "Mt"),
        ("110000", 2008, "coal_share", 0.24, "fraction"),
        ("110000", 2009, "coal_share", 0.21, "fraction"),
    ]
    data = _frame(rows).assign(source="s1")
    attribution = {"s1": ("Publisher s1", "t", "CC BY 4.0", "c", "f")}
    return build_panel(data, sources=attribution, definitions={v: f"{v} test" for v in data["variable"].unique()})
