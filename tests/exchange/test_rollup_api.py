"""Roll-up of stored footprints across tiers through the API (real TLS server, SQLite and PostgreSQL).

The chain (hand-computed below): Beta shares iron ore, Gamma shares coke (no co-pollutant data), Acme makes steel
and electricity; steel takes 1.5 kg ore, 0.5 kg coke and 0.4 kWh electricity per kg; electricity takes 0.1 kg
steel per kWh (a cycle); slag takes 0.2 kg ore.
"""

from __future__ import annotations

import ssl

import httpx
import pytest

from coreduce.exchange.pact import copollutant
from coreduce.exchange.pact.models import ProductFootprint
from coreduce.exchange.server import ServerThread
from coreduce.exchange.settings import Settings
from helpers.exchange_samples import footprint

ACME, BETA, GAMMA = "urn:company:acme", "urn:company:beta", "urn:company:gamma"


def _pf(company, pcf, amount="1", unit="kilogram", pollutants=None, base_url="https://x.test"):
    overrides = {
        "companyName": company,
        "companyIds": [company],
        "pcf__declaredUnitAmount": amount,
        "pcf__declaredUnitOfMeasurement": unit,
        "pcf__pcfExcludingBiogenicUptake": pcf,
        "pcf__pcfIncludingBiogenicUptake": pcf,
        "pcf__fossilGhgEmissions": pcf,
    }
    if pollutants is not None:
        data = copollutant.CoPollutantData(**dict(zip(("so2", "nox", "pm25"), pollutants, strict=True)))
        overrides["extensions"] = [copollutant.make_extension(data, base_url).model_dump(mode="json")]
    return footprint(**overrides)


@pytest.fixture(scope="module")
def chain(database_url, tls_files):
    with ServerThread(Settings(database_url=database_url), tls_files) as server:
        ex = server.app.state.exchange
        creds = {c: ex.add_client(c, c.split(":")[-1].title()) for c in (ACME, BETA, GAMMA)}
        who = {c: ex.principal(ex.issue_token(v.client_id, v.client_secret)[0]) for c, v in creds.items()}
        docs = {
            "ore": _pf(BETA, "2.0", pollutants=("0.01", "0.02", "0.001")),
            "coke": _pf(GAMMA, "3.0", amount="10"),  # 0.3 kg CO2e per kg, no co-pollutant data
            "private": _pf(GAMMA, "9.0"),
            "steel": _pf(ACME, "1.0", pollutants=("0.005", "0.004", "0.0005")),
            "power": _pf(ACME, "0.5", unit="kilowatt hour", pollutants=("0.001", "0.002", "0.0001")),
            "slag": _pf(ACME, "0.1", pollutants=("0", "0", "0")),
        }
        for name, owner, share in (("ore", BETA, [ACME]), ("coke", GAMMA, [ACME]), ("private", GAMMA, [])):
            ex.add_footprints(who[owner], [ProductFootprint.model_validate(docs[name])], share_with=share)
        ex.add_footprints(who[ACME], [ProductFootprint.model_validate(docs[n]) for n in ("steel", "power", "slag")])
        ids = {name: doc["id"] for name, doc in docs.items()}
        verify = ssl.create_default_context(cafile=str(tls_files.certfile))
        with httpx.Client(base_url=server.url, verify=verify, timeout=60) as client:
            tokens = {}
            for c, v in creds.items():
                r = client.post(
                    "/auth/token", data={"grant_type": "client_credentials"}, auth=(v.client_id, v.client_secret)
                )
                tokens[c] = {"Authorization": f"Bearer {r.json()['access_token']}"}
            yield client, tokens, ids, ex


def _request(ids, **extra):
    return {
        "products": [ids["steel"], ids["power"], ids["slag"]],
        "inputs": [
            {"to": ids["steel"], "from": ids["ore"], "amount": "1.5"},
            {"to": ids["steel"], "from": ids["coke"], "amount": "0.5"},
            {"to": ids["steel"], "from": ids["power"], "amount": "0.4"},
            {"to": ids["power"], "from": ids["steel"], "amount": "0.1"},
            {"to": ids["slag"], "from": ids["ore"], "amount": "0.2"},
        ],
        **extra,
    }


def test_three_tier_chain_with_a_cycle_equals_the_hand_computation(chain):
    client, tokens, ids, _ = chain
    r = client.post("/platform/rollup", json=_request(ids), headers=tokens[ACME])
    assert r.status_code == 200, r.text
    out = {row["id"]: row for row in r.json()["data"]}
    steel, power, slag = out[ids["steel"]], out[ids["power"]], out[ids["slag"]]
    # CO2e per unit: s = 1.0 + 1.5·2.0 + 0.5·(3.0/10) + 0.4·e, e = 0.5 + 0.1·s  ⇒  s = 4.35/0.96 = 4.53125,
    # e = 0.953125; slag = 0.1 + 0.2·2.0 = 0.5.
    assert float(steel["total"]["pcfExcludingBiogenicUptake"]) == pytest.approx(4.53125, rel=1e-9)
    assert float(power["total"]["pcfExcludingBiogenicUptake"]) == pytest.approx(0.953125, rel=1e-9)
    assert float(slag["total"]["pcfExcludingBiogenicUptake"]) == pytest.approx(0.5, rel=1e-9)
    assert float(steel["upstream"]["pcfExcludingBiogenicUptake"]) == pytest.approx(3.53125, rel=1e-9)
    # SO2: s = 0.005 + 1.5·0.01 + 0.4·e, e = 0.001 + 0.1·s  ⇒  s = 0.0204/0.96 = 0.02125, e = 0.003125.
    assert float(steel["total"]["so2"]) == pytest.approx(0.02125, rel=1e-9)
    assert float(power["total"]["so2"]) == pytest.approx(0.003125, rel=1e-9)
    assert float(slag["total"]["so2"]) == pytest.approx(0.002, rel=1e-9)
    # Coke carries no co-pollutants: steel and (through the cycle) electricity are incomplete, slag is not.
    assert {"so2", "nox", "pm25"} <= set(steel["incomplete"]) and "so2" in power["incomplete"]
    assert "so2" not in slag["incomplete"] and "pcfExcludingBiogenicUptake" not in steel["incomplete"]
    assert r.json()["conventions"]["cyclic_components"] == 1
    assert r.json()["published"] == []


def test_publish_stores_totals_as_new_footprints(chain):
    client, tokens, ids, ex = chain
    before = ex.count_footprints()
    r = client.post("/platform/rollup", json=_request(ids, publish=True, shareWith=[BETA]), headers=tokens[ACME])
    assert r.status_code == 200, r.text
    published = r.json()["published"]
    assert len(published) == 3 and ex.count_footprints() == before + 3
    got = client.get(f"/3/footprints/{published[0]}", headers=tokens[BETA])  # shared with Beta
    assert got.status_code == 200
    pf = got.json()["data"]
    assert pf["precedingPfIds"] == [ids["steel"]]
    assert float(pf["pcf"]["pcfExcludingBiogenicUptake"]) == pytest.approx(4.53125, rel=1e-9)
    (ext,) = pf["extensions"]
    assert float(ext["data"]["so2"]) == pytest.approx(0.02125, rel=1e-9)
    assert any(line.startswith("so2:") for line in ext["data"]["notCovered"])


@pytest.mark.parametrize(
    "change, status, needle",
    [
        (lambda ids, r: r["products"].append(ids["ore"]), 404, "products.3: your company owns no"),
        (lambda ids, r: r["inputs"].append({"to": ids["slag"], "from": ids["private"], "amount": "1"}), 404,
         "inputs.5.from: no footprint"),
        (lambda ids, r: r["inputs"].append({"to": ids["slag"], "from": "8d7e0e1c-1b6b-4a5e-9e3d-3a2f4b5c6d7e",
                                            "amount": "1"}), 404, "inputs.5.from: no footprint"),
        (lambda ids, r: r["inputs"].append({"to": ids["ore"], "from": ids["slag"], "amount": "1"}), 400,
         "inputs.5.to"),
        (lambda ids, r: r["inputs"].append({"to": ids["slag"], "from": ids["ore"], "amount": "-1"}), 400,
         "inputs.5.amount"),
        (lambda ids, r: r["inputs"].__setitem__(3, {"to": ids["power"], "from": ids["steel"], "amount": "20"}), 400,
         "not productive"),
        (lambda ids, r: r["products"].append(ids["steel"]), 400, "more than once"),
        (lambda ids, r: r.update(method="magic"), 400, "method"),
        (lambda ids, r: r.update(publish=True, shareWith=["urn:company:nobody"]), 400, "shareWith: not every company"),
    ],
)  # fmt: skip
def test_bad_roll_ups_get_4xx_naming_the_field_and_store_nothing(chain, change, status, needle):
    client, tokens, ids, ex = chain
    before = ex.count_footprints()
    body = _request(ids)
    change(ids, body)
    r = client.post("/platform/rollup", json=body, headers=tokens[ACME])
    assert r.status_code == status, r.text
    assert needle in r.json()["message"]
    assert ex.count_footprints() == before
