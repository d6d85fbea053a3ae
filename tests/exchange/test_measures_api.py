"""Decision support through the API (real TLS server): ranked measures, trade-offs, MAC curve, bad options.

Hand checks use the factors cited in tests/exchange/test_accounting.py and the costs of the shipped catalogue
(exchange/data/measures.json): green electricity 0.04 CNY/kWh, boiler retrofit −2.4 CNY/GJ with 10 % less fuel.
"""

from __future__ import annotations

import ssl

import httpx
import pytest

from coreduce.accounting import load_factor_library, parse_activity
from coreduce.exchange.chain.measures import rank_measures
from coreduce.exchange.server import ServerThread
from coreduce.exchange.settings import Settings

ACTIVITY = """activity_type,fuel,sector,technology,region,year,mode,quantity,unit
fuel,hard_coal,industry,,,2015,,1000,GJ
electricity,,,,east,2022,,100,MWh
freight,,,,,2015,hgv_all_diesel/all_hgvs,10000,t*km
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory, tls_files):
    db = f"sqlite:///{tmp_path_factory.mktemp('measures') / 'x.sqlite3'}"
    with ServerThread(Settings(database_url=db), tls_files) as server:
        creds = server.app.state.exchange.add_client("urn:company:acme", "Acme")
        verify = ssl.create_default_context(cafile=str(tls_files.certfile))
        with httpx.Client(base_url=server.url, verify=verify, timeout=120) as client:
            r = client.post(
                "/auth/token", data={"grant_type": "client_credentials"}, auth=(creds.client_id, creds.client_secret)
            )
            client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
            yield client


@pytest.fixture(scope="module")
def ranked(api):
    r = api.post("/platform/measures", json={"activities": ACTIVITY})
    assert r.status_code == 200, r.text
    return r.json()


def test_ranking_hand_checks(ranked):
    rows = {row["measure_id"]: row for row in ranked["data"]}
    green = rows["green_electricity"]
    # All 100 MWh from green power: the East China grid's 0.5617 kg CO2/kWh × 100,000 kWh; 0.04 CNY/kWh.
    assert green["reduction_co2_kg"] == pytest.approx(56_170.0, rel=1e-9)
    assert green["cost_cny"] == pytest.approx(4_000.0)
    assert green["cost_per_t_co2"] == pytest.approx(4_000 / 56.17)
    boiler = rows["boiler_efficiency"]
    # 10 % of 1,000 GJ hard coal: CEDS 93.875 kg/GJ × 0.96 oxidised; −2.4 CNY/GJ saves money.
    assert boiler["reduction_co2_kg"] == pytest.approx(0.1 * 1000 * 93.87517970731849 * 0.96, rel=1e-7)
    assert boiler["cost_cny"] == pytest.approx(-2_400.0)
    assert boiler["rank"] == 1 and boiler["score_per_yuan"] is None  # saves money: first, score not finite
    fgd = rows["fgd_wet_limestone"]
    assert fgd["tradeoff"] and "co2" in fgd["raises"].split(",") and fgd["lowers"] == "so2"
    assert {t["measure_id"] for t in ranked["tradeoffs"]} >= {"fgd_wet_limestone", "scr_denox", "bag_filter"}
    assert ranked["baseline_kg"]["co2"] > 0 and ranked["conventions"]["weighting"] == "equal_normalised"


def test_api_ranking_equals_the_python_ranking(ranked):
    library = load_factor_library()
    expected = rank_measures(parse_activity(ACTIVITY, library=library), library)
    assert [r["measure_id"] for r in ranked["data"]] == expected.table["measure_id"].tolist()


def test_env_tax_weighting_and_mac_curve(api):
    body = {"activities": ACTIVITY, "weighting": "env_tax", "co2_price": 60, "tax_per_equivalent": 2.4}
    r = api.post("/platform/measures", json=body)
    assert r.status_code == 200, r.text
    weights = r.json()["conventions"]["weights"]
    # Environmental Protection Tax Law (2016) Annex 2: SO2 0.95 kg per equivalent; CO2 at 60 CNY/t.
    assert weights["so2"] == pytest.approx(2.4 / 0.95) and weights["co2"] == pytest.approx(0.06)
    svg = api.post("/platform/measures/mac.svg", json=body, params={"basis": "co2"})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content and b"green_electricity" in svg.content


@pytest.mark.parametrize(
    "body, needle",
    [
        ({"weighting": "env_tax"}, "co2_price"),
        ({"weighting": "env_tax", "co2_price": 60, "tax_per_equivalent": 50}, "1.2-12"),
        ({"weighting": "custom", "weights": {"co2": 0.1}}, "missing"),
        ({"pollutants": ["h2o"]}, "pollutants.0"),
        ({"activities": ACTIVITY.replace("1000,GJ", "-1000,GJ")}, "line 2, field 'quantity'"),
        ({"activities": ACTIVITY.replace("hard_coal", "kryptonite")}, "line 2, field 'fuel'"),
        ({"grid_year": 1066}, "grid_year"),
    ],
)
def test_bad_options_name_the_field(api, body, needle):
    r = api.post("/platform/measures", json={"activities": ACTIVITY, **body})
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "BadRequest" and needle in r.json()["message"]


def test_mac_basis_is_checked_and_catalogue_cites_every_number(api):
    r = api.post("/platform/measures/mac.svg", json={"activities": ACTIVITY}, params={"basis": "tonnes"})
    assert r.status_code == 400 and "basis" in r.json()["message"]
    catalogue = api.get("/platform/measures/catalogue").json()["data"]
    assert {m["category"] for m in catalogue} >= {"fuel_switch", "efficiency", "end_of_pipe", "green_electricity"}
    assert all(n["citation"] and isinstance(n["verified"], bool) for m in catalogue for n in m["numbers"])
