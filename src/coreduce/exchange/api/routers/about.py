"""The co-pollutant extension's JSON Schema and the notice the PACT specification's licence requires."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from coreduce.exchange.pact import copollutant

router = APIRouter()


def notice_text() -> str:
    """The notice the PACT Technical Specifications licence (Section 3.2) requires, shipped as NOTICE.md."""
    return files("coreduce.exchange").joinpath("NOTICE.md").read_text(encoding="utf-8")


@router.get(copollutant.SCHEMA_PATH, tags=["extension"])
def copollutant_schema() -> dict[str, Any]:
    """JSON Schema of the co-pollutant data-model extension's ``data`` object."""
    return copollutant.json_schema()


@router.get("/notice", tags=["about"], response_class=PlainTextResponse)
def notice() -> str:
    """Attribution and disclaimer required by the licence of the PACT Technical Specifications."""
    return notice_text()
