"""Fixtures of the report tests: a small synthetic panel, and the external programs the tests drive."""

from __future__ import annotations

import shutil

import matplotlib
import numpy as np
import pandas as pd
import pytest

from coreduce.data.panel import Panel

matplotlib.use("Agg")

SYSTEM_HINT = "apt-get install chromium poppler-utils fonts-noto-cjk"


def synthetic_panel() -> Panel:
    """National GDP and CO2 2008–2022 with one interpolated value and a gap (2020 absent)."""
    rows = []
    for year in range(2008, 2023):
        rows.append(("100000", year, "gdp", 300000.0 + 50000 * (year - 2008), "1e8 CNY", "nbs", "reported"))
        if year != 2020:
            status = "interpolated" if year == 2010 else "reported"
            rows.append(("100000", year, "co2_gcb", 7000.0 + 200 * (year - 2008), "Mt", "gcb", status))
    data = pd.DataFrame(rows, columns=["geo", "year", "variable", "value", "unit", "source", "status"])
    catalogue = pd.DataFrame(
        [("gdp", "1e8 CNY", "GDP", "NBS", "nbs"), ("co2_gcb", "Mt", "CO2", "GCB", "gcb")],
        columns=["variable", "unit", "definition", "publisher", "source"],
    )
    sources = pd.DataFrame(
        [
            ("nbs", "National Bureau of Statistics", "China Statistical Yearbook", "none stated", "NBS", "gdp.csv"),
            ("gcb", "Global Carbon Budget / OWID", "CO2 data", "CC BY 4.0", "Friedlingstein et al.", "co2.csv"),
        ],
        columns=["source", "publisher", "title", "licence", "citation", "files"],
    )
    return Panel.from_frames(data, catalogue, sources)


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


def trend_panel() -> Panel:
    """Synthetic provincial GDP, CEDS CO2 and NOx, NBS SO2, national GCB CO2 and AQLI PM2.5, 2008–2022.

    Plus the inputs of the default NQPF indicator system (random around a trend, seed 0).
    Gaps: no PM2.5 after 2021 (as in AQLI), no GCB CO2 for 2015, Tibet without SO2 in 2012.
    """
    from coreduce.geo import provinces

    rng = np.random.default_rng(0)
    rows = []
    for i, province in enumerate(provinces()):
        weight = 1 + i / 10
        for year in range(2008, 2023):
            k = year - 2008
            rows.append((province.code, year, "gdp", 5000 * weight * 1.09**k, "1e8 CNY", "nbs", "reported"))
            co2_rate = 1.04 - 0.003 * i  # some provinces cut CO2, others not
            rows.append((province.code, year, "co2_ceds", 150 * weight * co2_rate**k, "Mt", "ceds", "reported"))
            so2_rate = 0.9 + 0.006 * i
            rows.append((province.code, year, "so2_ceds", 900 * weight * so2_rate**k, "kt", "ceds", "reported"))
            rows.append((province.code, year, "population", 3000 * weight, "1e4 person", "nbs", "reported"))
            rows.append((province.code, year, "va_secondary", 2300 * weight * 1.07**k, "1e8 CNY", "nbs", "reported"))
            rows.append((province.code, year, "energy_total", 9000 * weight * 1.04**k, "1e4 tce", "nbs", "reported"))
            rows.append((province.code, year, "coal_share", 0.7 * 0.98**k, "fraction", "nbs", "reported"))
            for variable, base, unit in NQPF_INPUTS:
                value = base * weight * rng.uniform(0.5, 1.5) * 1.08**k
                rows.append((province.code, year, variable, value, unit, "nbs", "reported"))
            if province.code != "540000":
                co2 = 140 * weight * (co2_rate - 0.01) ** k
                rows.append((province.code, year, "co2_apparent", co2, "Mt", "ceads", "reported"))
            rows.append((province.code, year, "nox_ceds", 800 * weight * 0.97**k, "kt", "ceds", "reported"))
            if not (province.code == "540000" and year == 2012):
                rows.append((province.code, year, "so2_nbs", 700 * weight * 0.9**k, "kt", "nbs", "reported"))
    for year in range(2008, 2023):
        if year != 2015:
            rows.append(("100000", year, "co2_gcb", 7500 * 1.03 ** (year - 2008), "Mt", "gcb", "reported"))
        if year <= 2021:
            for geo, level in (("100000", 50), ("BTH", 80), ("YRD", 55), ("PRD", 35)):
                value = level * 0.96 ** (year - 2008)
                rows.append(
                    (geo, year, "pm25_aqli", value, "ug/m3", "aqli", "interpolated" if year == 2009 else "reported")
                )
    data = pd.DataFrame(rows, columns=["geo", "year", "variable", "value", "unit", "source", "status"])
    units = {
        "gdp": "1e8 CNY",
        "co2_ceds": "Mt",
        "nox_ceds": "kt",
        "so2_nbs": "kt",
        "co2_gcb": "Mt",
        "pm25_aqli": "ug/m3",
        "so2_ceds": "kt",
        "population": "1e4 person",
        "va_secondary": "1e8 CNY",
        "energy_total": "1e4 tce",
        "coal_share": "fraction",
        "co2_apparent": "Mt",
        **{variable: unit for variable, _, unit in NQPF_INPUTS},
    }
    catalogue = pd.DataFrame(
        [(v, u, v, "publisher", "nbs") for v, u in units.items()],
        columns=["variable", "unit", "definition", "publisher", "source"],
    )
    sources = pd.DataFrame(
        [
            ("nbs", "National Bureau of Statistics", "China Statistical Yearbook", "none stated", "NBS", "x.csv"),
            ("ceds", "CEDS / CREA", "CEDS gridded emissions by province", "CC BY 4.0", "O'Rourke et al.", "y.csv"),
            ("gcb", "Global Carbon Budget / OWID", "CO2 data", "CC BY 4.0", "Friedlingstein et al.", "z.csv"),
            ("aqli", "EPIC AQLI", "AQLI 2023", "none stated", "AQLI", "w.csv"),
            ("ceads", "CEADs", "apparent CO2", "cite", "Shan et al.", "v.csv"),
        ],
        columns=["source", "publisher", "title", "licence", "citation", "files"],
    )
    return Panel.from_frames(data, catalogue, sources)


@pytest.fixture(scope="session")
def small_panel() -> Panel:
    return synthetic_panel()


@pytest.fixture(scope="session")
def rich_panel() -> Panel:
    return trend_panel()


@pytest.fixture(scope="session")
def chromium() -> str:
    from coreduce.report.pdf import find_chromium

    path = find_chromium()
    if path is None:
        pytest.skip(f"headless Chromium not installed ({SYSTEM_HINT})")
    return path


@pytest.fixture(scope="session")
def poppler() -> None:
    if shutil.which("pdftoppm") is None or shutil.which("pdfinfo") is None:
        pytest.skip(f"poppler-utils not installed ({SYSTEM_HINT})")


@pytest.fixture(scope="session")
def cjk_font() -> str:
    from coreduce.report.fonts import find_cjk_font

    family = find_cjk_font()
    if family is None:
        pytest.skip(f"no CJK font installed ({SYSTEM_HINT})")
    return family


def run_chromium(chromium: str, page, tmp_path, *extra: str) -> tuple[str, list[dict]]:
    """Load ``page`` in headless Chromium with DNS disabled; return the DOM after load and the network requests
    the page itself made (browser-internal requests, whose initiator is "not an origin", are left out)."""
    import json
    import subprocess

    profile = tmp_path / "chromium-profile"
    netlog = tmp_path / "netlog.json"
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--log-net-log={netlog}",
        *extra,
        "--dump-dom",
        page.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    log = json.loads(netlog.read_text(encoding="utf-8"))
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    requests = []
    for event in log["events"]:
        params = event.get("params", {})
        started = names.get(event["type"]) == "URL_REQUEST_START_JOB" and "url" in params
        if started and params.get("initiator") != "not an origin":
            requests.append(params)
    return done.stdout, requests


@pytest.fixture
def load_in_chromium(chromium, tmp_path):
    """``load_in_chromium(path) -> (dom, page_requests)``."""
    return lambda page, *extra: run_chromium(chromium, page, tmp_path, *extra)


@pytest.fixture(scope="module")
def small_report(tmp_path_factory, small_panel):
    """The report of the synthetic panel in Chinese, HTML and PDF (PDF by Chromium when installed)."""
    from coreduce.report import build_report

    out = tmp_path_factory.mktemp("report-small")
    return build_report(small_panel, out, lang="zh", formats=("html", "pdf"))
