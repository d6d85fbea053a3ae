"""The workspace's supply-chain pages over HTTP: roll-up, ranked measures with the MAC chart, CBAM cost, events.

Every number on these pages is the service's: each test compares the page with the same call made in Python. The
CBAM figures are the published worked example of tests/cbam/test_cbam_certificates.py (grey clinker, default
values: EE = 500 t × (1.35 + 0.04) × 1.10 = 764.5 t; certificates 764.5 − 500 × 0.666 × 0.975 = 439.825).
"""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi.testclient import TestClient

from coreduce.exchange.chain.advice import MeasuresRequest
from coreduce.exchange.chain.mac import mac_bars
from coreduce.exchange.chain.supply import RollUpRequest
from coreduce.exchange.chain.upload import ActivityUpload
from coreduce.exchange.settings import OutboundHost
from helpers.workspace import ACME, BETA, GAMMA, GOOD, PRODUCT, csrf_of, sign_in, workspace_app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return workspace_app(tmp_path_factory.mktemp("chain") / "exchange.db")


@pytest.fixture(scope="module")
def acme(app):
    c = TestClient(app, headers={"accept-language": "en"})
    assert sign_in(c, "ann@acme.example").status_code == 303
    return c


def _publish(exchange, urn: str, name: str, share: list[str]) -> str:
    spec = {k: v for k, v in PRODUCT.items() if k not in ("productId", "shareWith")}
    spec |= {"productIds": [PRODUCT["productId"]], "productNameCompany": name}
    for key in ("referencePeriodStart", "referencePeriodEnd"):
        spec[key] += "T00:00:00Z"
    upload = ActivityUpload(products=[spec], activities=GOOD, shareWith=share)
    return str(exchange.add_activity(exchange.acting_as(urn), upload, "http://testserver").footprints[0].id)


def test_rollup_page_shows_the_services_totals_and_hides_other_tenants(app, acme):
    exchange = app.state.exchange
    coil = _publish(exchange, ACME, "coil", [])
    billet = _publish(exchange, GAMMA, "billet", [ACME])
    secret = _publish(exchange, GAMMA, "secret", [])
    csrf = csrf_of(acme.get("/workspace/rollup").text)
    page = acme.post("/workspace/rollup", data={"csrf": csrf, "product": coil, "from0": billet, "amount0": "0.5"})
    assert page.status_code == 200
    body = RollUpRequest(products=[coil], inputs=[{"to": coil, "from": billet, "amount": "0.5"}])
    record = exchange.roll_up(exchange.acting_as(ACME), body, "http://testserver")[0].records()[0]
    row = re.search(r"<th scope=\"row\">pcfExcludingBiogenicUptake</th>(.*?)</tr>", page.text).group(1)
    assert re.findall(r"<td>([^<]*)</td>", row) == [
        record["direct"]["pcfExcludingBiogenicUptake"],
        record["upstream"]["pcfExcludingBiogenicUptake"],
        record["total"]["pcfExcludingBiogenicUptake"],
    ]
    # half a unit of a supplier product with the same footprint: total = 1.5 × direct
    assert float(record["total"]["pcfExcludingBiogenicUptake"]) == pytest.approx(
        1.5 * float(record["direct"]["pcfExcludingBiogenicUptake"]), rel=1e-9
    )
    absent = str(uuid.uuid4())
    theirs = acme.post("/workspace/rollup", data={"csrf": csrf, "product": coil, "from0": secret, "amount0": "1"})
    nothing = acme.post("/workspace/rollup", data={"csrf": csrf, "product": coil, "from0": absent, "amount0": "1"})
    error = re.compile(r'id="rollup-error">([^<]*)<')
    assert error.search(theirs.text).group(1).replace(secret, "ID") == error.search(nothing.text).group(1).replace(
        absent, "ID"
    )
    assert "secret" not in theirs.text


def test_measures_page_ranks_like_the_service_and_draws_the_mac_curve_without_inline_style(app, acme):
    csrf = csrf_of(acme.get("/workspace/measures").text)
    page = acme.post(
        "/workspace/measures",
        data={"csrf": csrf, "weighting": "equal_normalised"},
        files={"file": ("activity.csv", GOOD.encode(), "text/csv")},
    )
    assert page.status_code == 200
    ranking = app.state.exchange.rank_measures(MeasuresRequest(activities=GOOD))
    shown = re.findall(r'<th scope="row" class="text">[^<]*<br><small>([^<]+)</small>', page.text)
    assert shown == list(ranking.table["measure_id"])
    svg = re.search(r'<svg id="mac".*?</svg>', page.text, re.S).group(0)
    assert svg.count("<rect") == len(mac_bars(ranking).bars) > 0
    assert "style" not in svg and "<script" not in svg
    # a reduction without a factor is shown as unknown, never as a number
    assert ">nan<" not in page.text and ">inf<" not in page.text
    unknown = ranking.table.filter(like="reduction_").isna().to_numpy().sum()
    assert page.text.count("<td>—</td>") >= unknown > 0


def test_cbam_page_shows_the_published_clinker_example(acme):
    csrf = csrf_of(acme.get("/workspace/cbam").text)
    data = {"csrf": csrf, "cn0": "25231000", "country0": "CN", "mass0": "500", "route0": "A", "price": "80"}
    page = acme.post("/workspace/cbam", data=data)
    assert page.status_code == 200
    lines = re.search(r'<table class="cbam" id="cbam-lines">.*?</table>', page.text, re.S).group(0)
    assert "764.5" in lines and "439.825" in lines and "35,186" in lines
    bad = acme.post("/workspace/cbam", data={**data, "mass0": "lots"})
    assert "line 1, mass_t: expected a number of tonnes" in bad.text


def test_events_page_lists_queued_and_received_events_escaped(app, acme):
    exchange = app.state.exchange
    assert acme.get("/workspace/events").text.count("None yet") == 2
    body = {"type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3", "specversion": "1.0", "id": "e1",
            "source": "//host.example/3/events", "time": "2026-12-05T00:00:00Z",
            "data": {"productId": ["urn:gtin:4712345060507"], "comment": "<script>x</script>"}}  # fmt: skip
    exchange.receive_event(exchange.acting_as(ACME), body)
    # a share from the workspace queues a PublishedEvent when the recipient's host is configured
    exchange.outbound = (OutboundHost("https://beta.example", "id", "secret", (BETA,)),)
    coil = _publish(exchange, ACME, "announced", [])
    csrf = csrf_of(acme.get("/workspace").text)
    acme.post(f"/workspace/footprints/{coil}/share", data={"csrf": csrf, "company": BETA})
    page = acme.get("/workspace/events").text
    assert (
        "RequestCreatedEvent" in page
        and "PublishedEvent" in page
        and "<script>x" not in page
        and "&lt;script&gt;" in page
    )
    sent = re.search(r'<table id="sent">.*?</table>', page, re.S).group(0)
    assert coil in sent and BETA in sent and "pending" in sent
    assert [e["pfIds"] for e in exchange.sent_events(exchange.company_id(ACME))] == [[coil]]
    other = TestClient(app, headers={"accept-language": "en"})
    sign_in(other, "gus@gamma.example")
    assert coil not in other.get("/workspace/events").text
