"""CBAM on the exchange: goods and default values, embedded emissions, certificates, the PACT extension.

Computations only (:mod:`coreduce.cbam`); nothing is stored. A precursor may come from a supplier's footprint in
the store (``supplierFootprints``): it is read as the caller (``NotFound`` / ``AccessDenied`` like
``GET /2/footprints/{id}``, so no other company's data is revealed) and its CBAM extension supplies the SEE.
Bad input is a 400 BadRequest whose message names the field.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from coreduce.cbam import pact
from coreduce.cbam.certificates import YEARS, CarbonPriceEvidence, certificates
from coreduce.cbam.conventions import CbamConventions
from coreduce.cbam.defaults import good_defaults
from coreduce.cbam.embedded import embedded_emissions
from coreduce.cbam.model import CbamInputError, Installation
from coreduce.cbam.reference import ReferenceError
from coreduce.conventions import ConventionError
from coreduce.exchange.api.deps import Caller, Service, base_url
from coreduce.exchange.api.errors import ERROR_RESPONSES
from coreduce.exchange.errors import InvalidInput
from coreduce.exchange.service import Exchange
from coreduce.results import Result

router = APIRouter(tags=["cbam"])


class SupplierFootprint(BaseModel):
    model_config = ConfigDict(extra="forbid")
    footprintId: str = Field(description="A footprint visible to the caller that carries a CBAM extension.")
    processId: str = Field(description="The installation process that consumes the precursor.")
    massT: float = Field(ge=0, description="Tonnes of the precursor consumed in the monitoring period.")


class CbamRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    imports: list[dict[str, Any]] = Field(description="Import lines: cn, country, mass_t, route, process_id.")
    installation: dict[str, Any] | None = Field(default=None, description="Installation (coreduce.cbam.model).")
    conventions: dict[str, Any] = Field(default_factory=dict, description="CbamConventions by key (cbam_…).")
    supplierFootprints: list[SupplierFootprint] = Field(default_factory=list)


class CertificatesRequest(CbamRequest):
    evidence: dict[str, Any] | None = Field(default=None, description="Evidence of a carbon price paid (Art. 9).")
    years: list[int] = Field(default_factory=lambda: list(YEARS), description="Scenario years (2026-2034).")


class CbamResponse(BaseModel):
    tables: dict[str, list[dict[str, Any]]] = Field(description="The result's tables, one list of rows each.")
    conventions: dict[str, Any] = Field(description="The CBAM conventions the result used.")
    notes: list[str]
    missing: list[dict[str, Any]]


class ExtensionsResponse(BaseModel):
    data: list[dict[str, Any]] = Field(description="PACT DataModelExtension objects, one per production process.")


def _body(result: Result) -> CbamResponse:
    tables = {name: json.loads(frame.to_json(orient="records")) for name, frame in result.tables().items()}
    return CbamResponse(
        tables=tables,
        conventions={c.key: c.value for c in result.conventions},
        notes=result.notes_text(),
        missing=result.missing_frame().to_dict("records"),
    )


def _installation(body: CbamRequest, exchange: Exchange, caller) -> Installation | None:
    """The request's installation with the supplier footprints' precursors added (read as the caller)."""
    inst = Installation.from_mapping(body.installation, "installation.") if body.installation is not None else None
    items = [item.model_dump() for item in body.supplierFootprints]
    return exchange.cbam_installation(caller.company_id, inst, items)


def _run(compute):
    try:
        return compute()
    except (CbamInputError, ConventionError, ReferenceError) as exc:
        raise InvalidInput(str(exc)) from None


@router.get(pact.SCHEMA_PATH, tags=["extension"])
def cbam_schema() -> dict[str, Any]:
    """JSON Schema of the CBAM embedded-emissions data-model extension's ``data`` object."""
    return pact.json_schema()


@router.get("/platform/cbam/goods/{cn}", responses=ERROR_RESPONSES)
def goods(
    cn: str,
    caller: Caller,
    country: str = Query("CN", description="Country of origin, ISO 3166 alpha-2."),
    year: int = Query(2026, description="Import year: the default-value mark-up."),
) -> CbamResponse:
    """A CBAM good, its sector and its default values (IR (EU) 2025/2621 Annex I) with the year's mark-up."""
    return _body(_run(lambda: good_defaults(cn, country, year)))


@router.post("/platform/cbam/embedded", responses=ERROR_RESPONSES)
def embedded(body: CbamRequest, caller: Caller, exchange: Service) -> CbamResponse:
    """Embedded emissions of imported goods: actual values of the installation, else default values."""

    def compute():
        conv = CbamConventions.from_mapping(body.conventions)
        inst = _installation(body, exchange, caller)
        library = exchange.factor_library() if inst is not None else None
        return embedded_emissions(body.imports, installation=inst, conventions=conv, library=library)

    return _body(_run(compute))


@router.post("/platform/cbam/certificates", responses=ERROR_RESPONSES)
def certificates_due(body: CertificatesRequest, caller: Caller, exchange: Service) -> CbamResponse:
    """CBAM certificates due and their cost for the year, and scenarios year by year."""

    def compute():
        conv = CbamConventions.from_mapping(body.conventions)
        inst = _installation(body, exchange, caller)
        evidence = CarbonPriceEvidence(**body.evidence) if body.evidence else None
        library = exchange.factor_library() if inst is not None else None
        return certificates(
            body.imports, installation=inst, conventions=conv, evidence=evidence, library=library, years=body.years
        )

    try:
        return _body(_run(compute))
    except TypeError as exc:
        raise InvalidInput(f"evidence: {exc}") from None


@router.post("/platform/cbam/extensions", responses=ERROR_RESPONSES)
def extensions(body: CbamRequest, request: Request, caller: Caller, exchange: Service) -> ExtensionsResponse:
    """The installation's specific embedded emissions as PACT extensions, to attach to its product footprints."""

    def compute():
        inst = _installation(body, exchange, caller)
        if inst is None:
            raise CbamInputError("installation", "an installation")
        conv = CbamConventions.from_mapping(body.conventions)
        lines = body.imports or [
            {"cn": p.cn, "country": inst.country, "mass_t": p.activity_level_t, "process_id": p.process_id}
            for p in inst.processes
        ]
        result = embedded_emissions(lines, installation=inst, conventions=conv, library=exchange.factor_library())
        return pact.extensions_from_result(result, inst, base_url(request))

    return ExtensionsResponse(data=_run(compute))
