"""The co-pollutant data-model extension: air pollutants per declared unit beside the carbon footprint.

A PACT v3 ``DataModelExtension`` (``specVersion``, ``dataSchema``, ``data``) whose ``data`` carries the mass of
SO2, NOx and PM2.5 (optionally black carbon and VOC) emitted per declared unit of the product, in kilograms,
over the same boundary and reference period as the footprint's ``pcf``. Its JSON Schema is generated from
:class:`CoPollutantData` and served by the exchange at :data:`SCHEMA_PATH`, so the ``dataSchema`` URL of every
extension it issues resolves to the schema that validates it.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from coreduce.exchange.pact.models import DataModelExtension, PositiveOrZeroDecimal

EXTENSION_NAME = "co-pollutants"
EXTENSION_VERSION = "1.0.0"
DATA_MODEL_EXTENSION_SPEC_VERSION = "2.0.0"
SCHEMA_PATH = f"/extensions/{EXTENSION_NAME}/{EXTENSION_VERSION}/data-model.json"


class CoPollutantData(BaseModel):
    """Air pollutants emitted per declared unit of the product (kg per declared unit, decimal strings)."""

    model_config = ConfigDict(extra="forbid", title="CoPollutantFootprint")
    unit: Literal["kg/declared unit"] = Field(
        default="kg/declared unit", description="Unit of every pollutant value: kilogram per declared unit."
    )
    so2: PositiveOrZeroDecimal = Field(description="Sulphur dioxide (SO2), kg per declared unit.")
    nox: PositiveOrZeroDecimal = Field(description="Nitrogen oxides as NO2, kg per declared unit.")
    pm25: PositiveOrZeroDecimal = Field(description="Primary fine particulate matter (PM2.5), kg per declared unit.")
    bc: PositiveOrZeroDecimal | None = Field(default=None, description="Black carbon, kg per declared unit.")
    voc: PositiveOrZeroDecimal | None = Field(
        default=None, description="Non-methane volatile organic compounds, kg per declared unit."
    )
    factorSources: list[str] | None = Field(
        default=None, description="Citations of the emission factors used (publisher, title, year)."
    )
    unverifiedFactors: list[str] | None = Field(
        default=None, description="Emission factors used that their provenance marks as unverified."
    )
    notCovered: list[str] | None = Field(
        default=None,
        description="Inputs with no factor for a pollutant (its value is then a lower bound), one line per pollutant.",
    )


def json_schema() -> dict[str, Any]:
    """The extension's JSON Schema (draft 2020-12), generated from :class:`CoPollutantData`."""
    schema = CoPollutantData.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (CoPollutantData.__doc__ or "").strip()
    return schema


def schema_url(base_url: str) -> str:
    return base_url.rstrip("/") + SCHEMA_PATH


def is_copollutant(extension: DataModelExtension) -> bool:
    return extension.dataSchema.endswith(SCHEMA_PATH)


def make_extension(data: CoPollutantData, base_url: str) -> DataModelExtension:
    return DataModelExtension(
        specVersion=DATA_MODEL_EXTENSION_SPEC_VERSION,
        dataSchema=schema_url(base_url),
        data=data.model_dump(mode="json", exclude_none=True),
    )
