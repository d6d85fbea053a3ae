"""The service layer owns every validation: Python callers get the same checks as HTTP clients, as domain errors.

Domain errors map to PACT v3 error codes in one place (``api/errors.py``): checked here for every class.
"""

from __future__ import annotations

import contextlib

import pytest

from coreduce.exchange import errors
from coreduce.exchange.api.errors import PACT_CODES, pact_error
from coreduce.exchange.pact import copollutant
from coreduce.exchange.pact.models import ProductFootprint
from coreduce.exchange.service import FootprintQuery, open_exchange
from helpers.exchange_samples import footprint

ACME, BETA = "urn:company:acme", "urn:company:beta"


@pytest.fixture
def exchange(database_url):
    ex = open_exchange(database_url)
    for urn in (ACME, BETA):
        with contextlib.suppress(errors.Conflict):  # the module-scoped database keeps companies between tests
            ex.add_company(urn.rsplit(":", 1)[1].title(), urn)
    return ex


def _bad_extension() -> dict:
    ext = copollutant.make_extension(
        copollutant.CoPollutantData(so2="0.1", nox="0.2", pm25="0"), "https://exchange.example"
    ).model_dump(mode="json")
    ext["data"]["nox"] = "-0.2"
    return footprint(extensions=[ext])


def test_python_callers_get_the_publish_validation(exchange):
    acme = exchange.acting_as(ACME)
    before = exchange.count_footprints()
    with pytest.raises(errors.InvalidInput, match=r"footprints\.1\.pcf\.declaredUnitAmount"):
        exchange.add_footprints(acme, [footprint(), footprint(pcf__declaredUnitAmount="-1")])
    # a valid PACT footprint whose co-pollutant extension breaks the extension's schema, passed as a model
    model = ProductFootprint.model_validate(_bad_extension())
    with pytest.raises(errors.InvalidInput, match=r"footprints\.0\.extensions\.0\.data\.nox"):
        exchange.add_footprints(acme, [model])
    twice = footprint()
    with pytest.raises(errors.InvalidInput, match="the same id appears more than once"):
        exchange.add_footprints(acme, [twice, twice])
    with pytest.raises(errors.InvalidInput, match="shareWith: not every company"):
        exchange.add_footprints(acme, [footprint()], ["urn:company:nobody"])
    assert exchange.count_footprints() == before  # nothing stored by any refused call


def test_python_callers_get_domain_errors_not_http(exchange):
    acme, beta = exchange.acting_as(ACME), exchange.acting_as(BETA)
    doc = footprint()
    assert exchange.add_footprints(acme, [doc]) == [doc["id"]]
    with pytest.raises(errors.Conflict):
        exchange.add_footprints(acme, [doc])
    with pytest.raises(errors.NotFound):
        exchange.get_footprint(beta.company_id, doc["id"])
    with pytest.raises(errors.AccessDenied, match="companyIds"):
        exchange.add_footprints(beta, [footprint()])  # Beta publishing in Acme's name
    with pytest.raises(errors.NotFound):
        exchange.share(beta, doc["id"], [ACME])
    with pytest.raises(errors.Unsupported):
        FootprintQuery.from_params([("x-acme-color", "red")])
    with pytest.raises(errors.InvalidInput, match="validOn: the date-time must carry a time zone"):
        FootprintQuery.from_params([("validOn", "2025-01-01T00:00:00")])
    with pytest.raises(errors.InvalidToken):
        exchange.principal("not-a-token")
    with pytest.raises(errors.InvalidClient):
        exchange.issue_token("nobody", "secret")


def test_python_callers_get_the_event_validation(exchange):
    acme = exchange.acting_as(ACME)
    event = {
        "specversion": "1.0",
        "id": "e-1",
        "source": "//other.example/3/events",
        "time": "2025-01-01T00:00:00Z",
        "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
        "data": {"productId": ["urn:x"], "colour": ["red"]},
    }
    with pytest.raises(errors.InvalidInput, match=r"data: unknown criteria \['colour'\]"):
        exchange.receive_event(acme, event)
    event["data"] = {"productId": ["urn:x"], "x-acme-colour": ["red"]}
    assert exchange.receive_event(acme, event)[0] is True
    assert exchange.receive_event(acme, event)[0] is False  # the same (source, id) again


@pytest.mark.parametrize(
    ("error", "code", "status"),
    [
        (errors.InvalidInput, "BadRequest", 400),
        (errors.InvalidToken, "BadRequest", 400),
        (errors.TokenExpired, "TokenExpired", 401),
        (errors.InvalidClient, "AccessDenied", 403),
        (errors.AccessDenied, "AccessDenied", 403),
        (errors.NotFound, "NotFound", 404),
        (errors.Conflict, "Conflict", 409),
        (errors.Unsupported, "NotImplemented", 501),
    ],
)
def test_each_domain_error_has_one_pact_code(error, code, status):
    response = pact_error(error("why"))
    assert (response.status_code, response.body) == (status, b'{"code":"' + code.encode() + b'","message":"why"}')


def test_every_domain_error_is_mapped():
    classes = {c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.ExchangeError)}
    assert classes - {errors.ExchangeError} == set(PACT_CODES)
