"""CBAM embedded emissions as a PACT data-model extension on a product footprint.

A PACT v3 ``DataModelExtension`` (``specVersion``, ``dataSchema``, ``data``) whose ``data`` carries the specific
embedded emissions of one CBAM good from one installation and period, direct and indirect separately, in the
terms of Regulation (EU) 2023/956 Annex IV (t CO2e per t of good, decimal strings as PACT numbers are), with the
share from default values and the electricity factor's source. Its JSON Schema is generated from
:class:`CbamEmbeddedEmissions` (:func:`json_schema`) and served by the exchange at :data:`SCHEMA_PATH`, so the
``dataSchema`` URL of every extension resolves to the schema that validates it. A supplier's extension is read
back as a precursor input (:func:`precursor_from_extension`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from coreduce.cbam.defaults import counts_indirect, good
from coreduce.cbam.model import PrecursorInput
from coreduce.cbam.reference import load_reference

EXTENSION_NAME = "cbam-embedded-emissions"
EXTENSION_VERSION = "1.0.0"
DATA_MODEL_EXTENSION_SPEC_VERSION = "2.0.0"
SCHEMA_PATH = f"/extensions/{EXTENSION_NAME}/{EXTENSION_VERSION}/data-model.json"
"""Where the exchange serves the schema: beside the co-pollutant extension, under the exchange's one extensions
path, one folder per extension name and version (the layout of the PACT extension catalogue,
wbcsd/pact-catalog ``data-model-extensions/@<namespace>/<extension-id>/<version>/``)."""
Number = Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+)?$")]
"""A non-negative decimal as a string (PACT encodes numbers as decimal strings)."""


class CbamEmbeddedEmissions(BaseModel):
    """Specific embedded emissions of a CBAM good (Regulation (EU) 2023/956 Annex IV), t CO2e per t of good."""

    model_config = ConfigDict(extra="forbid", title="CbamEmbeddedEmissions")
    cnCode: Annotated[str, StringConstraints(pattern=r"^\d{8}$")] = Field(description="8-digit CN code of the good.")
    productionRoute: str = Field(default="", description="Production route letter (IR (EU) 2025/2621 Annex I).")
    installationId: str = Field(description="Identifier of the installation (CBAM registry or operator's own).")
    countryOfOrigin: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = Field(description="ISO 3166 alpha-2.")
    periodStart: str = Field(description="Start of the monitoring period (ISO date).")
    periodEnd: str = Field(description="End of the monitoring period (ISO date).")
    unit: Literal["t CO2e/t"] = Field(default="t CO2e/t", description="Unit of every specific value.")
    seeDirect: Number = Field(description="Specific direct embedded emissions.")
    seeIndirect: Number = Field(description="Specific indirect embedded emissions (electricity consumed).")
    indirectCounted: bool = Field(description="Whether indirect emissions count for this good (Art. 7(1), Annex II).")
    valueType: Literal["actual", "default"] = Field(description="Actual values of the installation or defaults.")
    defaultShare: Number = Field(description="Share (0-1) of the direct value that comes from default values.")
    electricityFactorSource: str = Field(default="", description="Source of the electricity emission factor used.")
    methodology: str = Field(
        default="Regulation (EU) 2023/956 Annex IV; Commission Implementing Regulation (EU) 2025/2547",
        description="Rules the values were computed by.",
    )


def json_schema() -> dict[str, Any]:
    """The extension's JSON Schema (draft 2020-12), generated from :class:`CbamEmbeddedEmissions`."""
    schema = CbamEmbeddedEmissions.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (CbamEmbeddedEmissions.__doc__ or "").strip()
    return schema


def schema_url(base_url: str) -> str:
    return base_url.rstrip("/") + SCHEMA_PATH


def _decimal(value: float, places: int = 6) -> str:
    return format(Decimal(repr(round(float(value), places))).normalize(), "f")


def extensions_from_result(embedded, installation, base_url: str, reference=None) -> list[dict[str, Any]]:
    """One extension (``specVersion``, ``dataSchema``, ``data``) per production process of ``installation``."""
    ref = reference or load_reference()
    electricity = embedded.electricity.set_index("process_id")["factor_source"].to_dict()
    out = []
    for row in embedded.processes.to_dict("records"):
        share = row["see_default_direct"] / row["see_direct"] if row["see_direct"] > 0 else 0.0
        data = CbamEmbeddedEmissions(
            cnCode=row["cn"],
            productionRoute=row["route"],
            installationId=installation.installation_id,
            countryOfOrigin=installation.country,
            periodStart=str(installation.period.start),
            periodEnd=str(installation.period.end),
            seeDirect=_decimal(row["see_direct"]),
            seeIndirect=_decimal(row["see_indirect"]),
            indirectCounted=counts_indirect(good(ref, row["cn"])["sector"]),
            valueType="actual",
            defaultShare=_decimal(share),
            electricityFactorSource=str(electricity.get(row["process_id"], "")),
        )
        out.append(
            {
                "specVersion": DATA_MODEL_EXTENSION_SPEC_VERSION,
                "dataSchema": schema_url(base_url),
                "data": data.model_dump(mode="json"),
            }
        )
    return out


def is_cbam_extension(extension: dict[str, Any]) -> bool:
    return str(extension.get("dataSchema", "")).endswith(SCHEMA_PATH)


def precursor_from_extension(extension: dict[str, Any], mass_t: float, footprint_id: str = "") -> PrecursorInput:
    """A bought precursor from a supplier's CBAM extension (validated against the schema's model)."""
    data = CbamEmbeddedEmissions.model_validate(extension["data"])
    return PrecursorInput(
        cn=data.cnCode,
        mass_t=mass_t,
        see_direct=float(data.seeDirect),
        see_indirect=float(data.seeIndirect),
        country=data.countryOfOrigin,
        route=data.productionRoute,
        supplier_footprint_id=footprint_id,
        evidence=f"PACT extension {EXTENSION_NAME} {EXTENSION_VERSION}, {data.valueType} values",
    )


def frame(extensions: list[dict[str, Any]]) -> pd.DataFrame:
    """Extensions' data as a table (one row per extension)."""
    return pd.DataFrame([e["data"] for e in extensions])
