"""A synthetic panel with the canonical variables, built so that the expected figures can be computed by hand.

Province ``k`` (0–30, in GB/T order) in year ``y`` (t = y − 2006):
  gdp = 1000·(1 + k/10)·1.1^t [1e8 CNY];  va_secondary = 0.45·gdp·0.99^t;  energy_total = 0.8·gdp·0.95^t [1e4 tce]
  coal_share = 0.7·0.98^t;  co2_ceds = 0.002·gdp·0.96^t [Mt];  co2_apparent = 0.0021·gdp·0.96^t (no Tibet)
  so2_nbs, so2_ceds = 0.05·gdp·0.9^t [kt];  nox_ceds = 0.04·gdp·0.93^t [kt];  population = 3000 + 100·k [1e4 person]
National: co2_gcb = 0.02·Σgdp·0.95^(y−2008) [Mt], so CO2 intensity = 2·0.95^(y−2008) t per 1e4 yuan;
pm25_aqli for China, BTH, YRD, PRD = 50·0.97^t [ug/m3].
"""

import pandas as pd
import pytest
from synthetic import synthetic_as_panel

from coreduce.data.panel import Panel
from coreduce.geo import NATIONAL_CODE, provinces

YEARS = range(2006, 2023)
TIBET = "540000"
UNITS = {
    "gdp": "1e8 CNY",
    "va_secondary": "1e8 CNY",
    "energy_total": "1e4 tce",
    "coal_share": "fraction",
    "co2_ceds": "Mt",
    "co2_apparent": "Mt",
    "co2_gcb": "Mt",
    "so2_nbs": "kt",
    "so2_ceds": "kt",
    "nox_ceds": "kt",
    "population": "1e4 person",
    "pm25_aqli": "ug/m3",
}


def build_synthetic_panel(drop: set[tuple[str, str, int]] | None = None) -> Panel:
    rows = []
    gdp_sum = {y: 0.0 for y in YEARS}
    for k, province in enumerate(provinces()):
        for year in YEARS:
            t = year - 2006
            gdp = 1000 * (1 + k / 10) * 1.1**t
            gdp_sum[year] += gdp
            values = {
                "gdp": gdp,
                "va_secondary": 0.45 * gdp * 0.99**t,
                "energy_total": 0.8 * gdp * 0.95**t,
                "coal_share": 0.7 * 0.98**t,
                "co2_ceds": 0.002 * gdp * 0.96**t,
                "co2_apparent": 0.0021 * gdp * 0.96**t,
                "so2_nbs": 0.05 * gdp * 0.9**t,
                "so2_ceds": 0.05 * gdp * 0.9**t,
                "nox_ceds": 0.04 * gdp * 0.93**t,
                "population": 3000 + 100 * k,
            }
            for variable, value in values.items():
                if variable == "co2_apparent" and province.code == TIBET:
                    continue
                rows.append((province.code, year, variable, value))
    for year in YEARS:
        rows.append((NATIONAL_CODE, year, "co2_gcb", 0.02 * gdp_sum[year] * 0.95 ** (year - 2008)))
        for geo in (NATIONAL_CODE, "BTH", "YRD", "PRD"):
            rows.append((geo, year, "pm25_aqli", 50 * 0.97 ** (year - 2006)))
    data = pd.DataFrame(rows, columns=["geo", "year", "variable", "value"])
    if drop:
        keep = [(g, v, y) not in drop for g, y, v in zip(data["geo"], data["year"], data["variable"], strict=True)]
        data = data[keep]
    return synthetic_as_panel(data, UNITS)


@pytest.fixture(scope="session")
def synthetic_panel() -> Panel:
    return build_synthetic_panel()


@pytest.fixture(scope="session")
def panel_factory():
    """``build_synthetic_panel`` itself, for tests that drop rows."""
    return build_synthetic_panel


def with_deflator(panel: Panel, years=range(2006, 2020)) -> Panel:
    """``panel`` plus a national ``gdp_deflator`` P(y) = 100·1.02^(y − 2015) for ``years`` (none for 2020–2022)."""
    extra = pd.DataFrame(
        {
            "geo": "100000",
            "year": list(years),
            "variable": "gdp_deflator",
            "value": [100 * 1.02 ** (y - 2015) for y in years],
            "unit": "index",
            "source": "synthetic",
            "status": "reported",
        }
    )
    catalogue = pd.concat(
        [
            panel.catalogue,
            pd.DataFrame(
                [
                    {
                        "variable": "gdp_deflator",
                        "unit": "index",
                        "definition": "deflator",
                        "publisher": "test",
                        "source": "synthetic",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    return Panel.from_frames(pd.concat([panel.data, extra], ignore_index=True), catalogue, panel.sources)


@pytest.fixture(scope="session")
def deflated_panel(synthetic_panel) -> Panel:
    return with_deflator(synthetic_panel)
