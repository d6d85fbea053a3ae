"""PACT Technical Specifications v3 data model as Pydantic v2 models.

Written from the WBCSD PACT "Technical Specifications for PCF Data Exchange", version 3.0
(components ``ProductFootprint``, ``CarbonFootprint``, ``DataModelExtension``, ``Error``). Numbers are
decimal strings (the spec's ``Decimal``, ``PositiveOrZeroDecimal`` … types), identifiers are UUIDs and URNs,
timestamps must carry a time zone and are serialised in UTC. Consistency rules between fields that the spec
states in prose are enforced by model validators:

* ``validityPeriodStart`` < ``validityPeriodEnd`` and ``referencePeriodStart`` < ``referencePeriodEnd``;
* at most one of ``geographyRegionOrSubregion``, ``geographyCountry``, ``geographyCountrySubdivision``;
* ``packagingGhgEmissions`` must be undefined when ``packagingEmissionsIncluded`` is false;
* CCS quantities must be undefined when ``ccsTechnologicalCO2CaptureIncluded`` is false;
* ``otherOperatorName`` is required when a rule's operator is ``Other``;
* data quality ratings lie in [1, 5]; ``precedingPfIds`` does not contain the footprint's own id.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal as _Decimal
from decimal import InvalidOperation
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    model_validator,
)

SPEC_VERSION = "3.0.0"

_DECIMAL_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")
_URN_RE = re.compile(r"^[uU][rR][nN]:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$")


def _decimal_string(sign: str):
    def check(value: str) -> str:
        if not _DECIMAL_RE.match(value):
            raise ValueError(f"expected a decimal string such as '12.34', got {value!r}")
        try:
            number = _Decimal(value)
        except InvalidOperation as exc:  # pragma: no cover - the pattern already guards this
            raise ValueError(f"not a decimal: {value!r}") from exc
        if sign == ">0" and not number > 0:
            raise ValueError(f"must be greater than 0, got {value!r}")
        if sign == ">=0" and number < 0:
            raise ValueError(f"must be 0 or greater, got {value!r}")
        if sign == "<=0" and number > 0:
            raise ValueError(f"must be 0 or less, got {value!r}")
        return value

    return AfterValidator(check)


def _check_urn(value: str) -> str:
    if not _URN_RE.match(value):
        raise ValueError(f"expected a URN (RFC 8141) such as 'urn:gtin:4712345060507', got {value!r}")
    return value


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("timestamp must carry a time zone, e.g. '2025-01-01T00:00:00Z'")
    return value.astimezone(UTC)


def format_utc(value: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix (seconds, or milliseconds when present)."""
    value = value.astimezone(UTC)
    if value.microsecond:
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


Decimal = Annotated[str, _decimal_string("any")]
PositiveNonZeroDecimal = Annotated[str, _decimal_string(">0")]
PositiveOrZeroDecimal = Annotated[str, _decimal_string(">=0")]
NegativeOrZeroDecimal = Annotated[str, _decimal_string("<=0")]
Urn = Annotated[str, AfterValidator(_check_urn)]
NonEmptyString = Annotated[str, StringConstraints(min_length=1)]
UtcDateTime = Annotated[datetime, AfterValidator(_utc), PlainSerializer(format_utc, return_type=str)]
IdString = Annotated[UUID, PlainSerializer(str, return_type=str)]

DeclaredUnit = Literal[
    "liter",
    "kilogram",
    "cubic meter",
    "kilowatt hour",
    "megajoule",
    "ton kilometer",
    "square meter",
    "piece",
    "hour",
    "megabit second",
]
RegionOrSubregion = Literal[
    "Africa",
    "Americas",
    "Asia",
    "Europe",
    "Oceania",
    "Australia and New Zealand",
    "Central Asia",
    "Eastern Asia",
    "Eastern Europe",
    "Latin America and the Caribbean",
    "Melanesia",
    "Micronesia",
    "Northern Africa",
    "Northern America",
    "Northern Europe",
    "Polynesia",
    "South-eastern Asia",
    "Southern Asia",
    "Southern Europe",
    "Sub-Saharan Africa",
    "Western Asia",
    "Western Europe",
]
# The spec enumerates these but requires hosts to accept values from later revisions, so they are not enforced.
CROSS_SECTORAL_STANDARDS = (
    "ISO14067",
    "ISO14083",
    "ISO14040-44",
    "GHGP-Product",
    "PEF",
    "PACT-1.0",
    "PACT-2.0",
    "PACT-3.0",
    "PAS2050",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _unique(values: list | None, field: str) -> None:
    if values is not None and len({str(v).lower() for v in values}) != len(values):
        raise ValueError(f"{field}: items must be unique")


class ProductOrSectorSpecificRule(_Model):
    operator: Literal["PEF", "EPD International", "Other"]
    ruleNames: list[NonEmptyString] = Field(min_length=1)
    otherOperatorName: NonEmptyString | None = None

    @model_validator(mode="after")
    def _other_named(self):
        if self.operator == "Other" and not self.otherOperatorName:
            raise ValueError("otherOperatorName is required when operator is 'Other'")
        _unique(self.ruleNames, "ruleNames")
        return self


class EmissionFactorSource(_Model):
    name: NonEmptyString
    version: NonEmptyString


class DataQualityIndicators(_Model):
    technologicalDQR: Decimal
    geographicalDQR: Decimal
    temporalDQR: Decimal

    @model_validator(mode="after")
    def _range(self):
        for name in ("technologicalDQR", "geographicalDQR", "temporalDQR"):
            value = _Decimal(getattr(self, name))
            if not 1 <= value <= 5:
                raise ValueError(f"{name} must lie between 1 and 5 inclusive, got {getattr(self, name)!r}")
        return self


class Verification(_Model):
    coverage: Literal["PCF calculation model", "PCF program", "product level"] | None = None
    providerName: str | None = None
    completedAt: UtcDateTime | None = None
    standardName: str | None = None
    comments: str | None = None


class DataModelExtension(_Model):
    """A data model extension: ``specVersion``, ``dataSchema`` (URL of its JSON Schema), ``data``."""

    specVersion: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+(-\d{8})?$")]
    dataSchema: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
    documentation: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    data: dict[str, Any]


class CarbonFootprint(_Model):
    declaredUnitOfMeasurement: DeclaredUnit
    declaredUnitAmount: PositiveNonZeroDecimal
    productMassPerDeclaredUnit: Decimal
    referencePeriodStart: UtcDateTime
    referencePeriodEnd: UtcDateTime
    geographyRegionOrSubregion: RegionOrSubregion | None = None
    geographyCountry: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    geographyCountrySubdivision: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")] | None = None
    boundaryProcessesDescription: str | None = None
    pcfExcludingBiogenicUptake: Decimal
    pcfIncludingBiogenicUptake: Decimal
    fossilCarbonContent: PositiveOrZeroDecimal
    biogenicCarbonContent: PositiveOrZeroDecimal | None = None
    recycledCarbonContent: PositiveOrZeroDecimal | None = None
    fossilGhgEmissions: PositiveOrZeroDecimal
    landUseChangeGhgEmissions: PositiveOrZeroDecimal | None = None
    landCarbonLeakage: PositiveOrZeroDecimal | None = None
    landManagementFossilGhgEmissions: PositiveOrZeroDecimal | None = None
    landManagementBiogenicCO2Emissions: PositiveOrZeroDecimal | None = None
    landManagementBiogenicCO2Removals: NegativeOrZeroDecimal | None = None
    biogenicCO2Uptake: NegativeOrZeroDecimal | None = None
    biogenicNonCO2Emissions: PositiveOrZeroDecimal | None = None
    landAreaOccupation: PositiveOrZeroDecimal | None = None
    aircraftGhgEmissions: PositiveOrZeroDecimal | None = None
    packagingEmissionsIncluded: bool | None = None
    packagingGhgEmissions: PositiveOrZeroDecimal | None = None
    packagingBiogenicCarbonContent: PositiveOrZeroDecimal | None = None
    outboundLogisticsGhgEmissions: PositiveOrZeroDecimal | None = None
    technologicalCO2CaptureOrigin: str | None = None
    technologicalCO2Removals: PositiveOrZeroDecimal | None = None
    ccsTechnologicalCO2CaptureIncluded: bool | None = None
    ccsTechnologicalCO2Capture: NegativeOrZeroDecimal | None = None
    ccuCarbonContent: PositiveOrZeroDecimal | None = None
    ccuCalculationApproach: Literal["Cut-off", "Credit"] | None = None
    ccuCreditCertification: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    ipccCharacterizationFactors: list[Annotated[str, StringConstraints(pattern=r"^AR\d+$")]] = Field(min_length=1)
    crossSectoralStandards: list[NonEmptyString] = Field(
        min_length=1,
        description="Known values: " + ", ".join(CROSS_SECTORAL_STANDARDS) + "; later revisions' values are accepted",
    )
    productOrSectorSpecificRules: list[ProductOrSectorSpecificRule] | None = Field(default=None, min_length=1)
    exemptedEmissionsPercent: Decimal
    exemptedEmissionsDescription: str | None = None
    allocationRulesDescription: str | None = None
    secondaryEmissionFactorSources: list[EmissionFactorSource] | None = Field(default=None, min_length=1)
    primaryDataShare: Decimal | None = None
    dqi: DataQualityIndicators | None = None
    verification: Verification | None = None

    @model_validator(mode="after")
    def _consistency(self):
        if not self.referencePeriodStart < self.referencePeriodEnd:
            raise ValueError("referencePeriodStart must be before referencePeriodEnd")
        geographies = [
            name
            for name in ("geographyRegionOrSubregion", "geographyCountry", "geographyCountrySubdivision")
            if getattr(self, name) is not None
        ]
        if len(geographies) > 1:
            raise ValueError(f"at most one geography may be defined, got {', '.join(geographies)}")
        if self.packagingEmissionsIncluded is False and self.packagingGhgEmissions is not None:
            raise ValueError("packagingGhgEmissions must be undefined when packagingEmissionsIncluded is false")
        if self.ccsTechnologicalCO2CaptureIncluded is False and self.ccsTechnologicalCO2Capture is not None:
            raise ValueError(
                "ccsTechnologicalCO2Capture must be undefined when ccsTechnologicalCO2CaptureIncluded is false"
            )
        _unique(self.ipccCharacterizationFactors, "ipccCharacterizationFactors")
        _unique(self.crossSectoralStandards, "crossSectoralStandards")
        for name in ("exemptedEmissionsPercent", "primaryDataShare"):
            value = getattr(self, name)
            if value is not None and not 0 <= _Decimal(value) <= 100:
                raise ValueError(f"{name} is a percentage and must lie between 0 and 100, got {value!r}")
        return self

    @property
    def geography(self) -> str | None:
        return self.geographyCountrySubdivision or self.geographyCountry or self.geographyRegionOrSubregion


class ProductFootprint(_Model):
    id: IdString
    specVersion: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+(-\d{8})?$")]
    precedingPfIds: list[IdString] | None = Field(default=None, min_length=1)
    created: UtcDateTime
    status: Literal["Active", "Deprecated"]
    validityPeriodStart: UtcDateTime | None = None
    validityPeriodEnd: UtcDateTime | None = None
    companyName: NonEmptyString
    companyIds: list[Urn] = Field(min_length=1)
    productDescription: str
    productIds: list[Urn] = Field(min_length=1)
    productClassifications: list[Urn] | None = Field(default=None, min_length=1)
    productNameCompany: NonEmptyString
    comment: str | None = None
    pcf: CarbonFootprint
    extensions: list[DataModelExtension] | None = None

    @model_validator(mode="after")
    def _consistency(self):
        start, end = self.validityPeriodStart, self.validityPeriodEnd
        if start is not None and end is not None and not start < end:
            raise ValueError("validityPeriodStart must be before validityPeriodEnd")
        if not self.specVersion.startswith("3."):
            raise ValueError(f"specVersion must be a 3.x version of the PACT specification, got {self.specVersion!r}")
        if self.precedingPfIds and self.id in self.precedingPfIds:
            raise ValueError("precedingPfIds must not contain the footprint's own id")
        _unique(self.precedingPfIds, "precedingPfIds")
        _unique(self.companyIds, "companyIds")
        _unique(self.productIds, "productIds")
        _unique(self.productClassifications, "productClassifications")
        return self

    def validity(self) -> tuple[datetime, datetime]:
        """The validity period; when undefined, the spec's default of 3 years from ``referencePeriodEnd``."""
        ref_end = self.pcf.referencePeriodEnd
        start = self.validityPeriodStart or ref_end
        end = self.validityPeriodEnd or _add_years(ref_end, 3)
        return start, end

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


def _add_years(value: datetime, years: int) -> datetime:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


ErrorCode = Literal["BadRequest", "AccessDenied", "TokenExpired", "NotFound", "InternalError", "NotImplemented"]


class Error(BaseModel):
    """The spec's error body; platform endpoints add ``PayloadTooLarge`` (413) and ``Conflict`` (409)."""

    code: str
    message: str


class FootprintList(BaseModel):
    data: list[dict[str, Any]]


class FootprintOne(BaseModel):
    data: dict[str, Any]
