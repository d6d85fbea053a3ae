"""Activity uploads → co-accounting → PACT v3 footprints carrying the co-pollutant extension.

One set of activity rows gives both results (:func:`coreduce.accounting.account`): for each product
``P`` named in the upload, with ``n_P`` declared units produced over the reference period and ``a`` the declared
unit amount,

    pcf_P  = a / n_P × Σ_{rows r of P} C_r                       (kg CO2 per declared unit amount)
    poll_P = a / n_P × Σ_{rows r of P} E[r, poll]                (kg per declared unit amount)

where ``C_r`` is the row's CO2 when a CO2 factor serves it and otherwise its CO2e (purchased materials, whose
published factors are cradle-to-gate CO2e). That choice is the convention ``carbon = "co2_else_co2e"``
(alternative ``"co2e_else_co2"``), recorded in the footprint's comment and the upload result. CH4 and N2O of
combustion are not in the CO2 factors, so the footprint is a CO2 footprint of the uploaded activity; its
``comment`` says so. Pollutants with no factor for some row are totals over the rows that have one; the
extension's ``notCovered`` lists the gaps so a reader knows the value is a lower bound.

Rows are assigned to products by their ``product`` column (the product's ``key``); with one product and no
``product`` column every row belongs to it.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal as _Decimal
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from coreduce.exchange.errors import InvalidInput, describe
from coreduce.exchange.pact import copollutant
from coreduce.exchange.pact.models import (
    SPEC_VERSION,
    DeclaredUnit,
    NonEmptyString,
    PositiveNonZeroDecimal,
    PositiveOrZeroDecimal,
    ProductFootprint,
    RegionOrSubregion,
    Urn,
    UtcDateTime,
)

CARBON_CONVENTIONS = ("co2_else_co2e", "co2e_else_co2")
EXTENSION_POLLUTANTS = ("so2", "nox", "pm25", "bc", "voc")


class UploadError(ValueError):
    """An upload that cannot become footprints; the message names the product or row and the field."""


class ProductSpec(BaseModel):
    """What the uploaded activity produced: the product's identity, declared unit and reference period."""

    model_config = ConfigDict(extra="forbid")
    key: NonEmptyString | None = Field(
        default=None, description="Value of the activity rows' `product` column that belongs to this product."
    )
    productIds: list[Urn] = Field(min_length=1)
    productNameCompany: NonEmptyString
    productDescription: str = ""
    productClassifications: list[Urn] | None = Field(default=None, min_length=1)
    declaredUnitOfMeasurement: DeclaredUnit
    declaredUnitAmount: PositiveNonZeroDecimal = "1"
    producedAmount: PositiveNonZeroDecimal = Field(
        description="Declared units produced with the uploaded activity over the reference period."
    )
    productMassPerDeclaredUnit: PositiveOrZeroDecimal
    fossilCarbonContent: PositiveOrZeroDecimal = "0"
    referencePeriodStart: UtcDateTime
    referencePeriodEnd: UtcDateTime
    geographyCountry: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    geographyCountrySubdivision: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")] | None = None
    geographyRegionOrSubregion: RegionOrSubregion | None = None
    crossSectoralStandards: list[NonEmptyString] = Field(default_factory=lambda: ["GHGP-Product"], min_length=1)

    @model_validator(mode="after")
    def _consistency(self):
        if not self.referencePeriodStart < self.referencePeriodEnd:
            raise ValueError("referencePeriodStart must be before referencePeriodEnd")
        given = [
            n
            for n in ("geographyCountry", "geographyCountrySubdivision", "geographyRegionOrSubregion")
            if getattr(self, n) is not None
        ]
        if len(given) > 1:
            raise ValueError(f"at most one geography may be defined, got {', '.join(given)}")
        return self


class ActivityUpload(BaseModel):
    """Body of ``POST /platform/activity``: the products, their activity rows (records or CSV text), sharing."""

    model_config = ConfigDict(extra="forbid")
    products: list[ProductSpec] = Field(min_length=1, max_length=100)
    activities: list[dict[str, Any]] | str = Field(
        description="Activity rows as JSON records, or CSV text with a header line (see coreduce.accounting.activity)."
    )
    shareWith: list[str] = Field(default_factory=list)
    carbon: Literal["co2_else_co2e", "co2e_else_co2"] = "co2_else_co2e"


@dataclass
class Accounted:
    """The footprints built from one upload and the accounting behind them."""

    footprints: list[ProductFootprint]
    rows: pd.DataFrame  # accounting.account result (row × pollutant)
    totals: list[dict[str, Any]]  # one per product: key, productIds, rows, kg per pollutant
    factor_ids: list[str]
    conventions: dict[str, Any]


def decimal_string(value: float) -> str:
    """A PACT decimal string (fixed point, no exponent) with 10 significant digits."""
    text = format(_Decimal(f"{value:.10g}"), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _assign(rows: pd.DataFrame, products: list[ProductSpec]) -> dict[int, list[int]]:
    """Product index → activity row numbers; raises UploadError on rows or products that do not match."""
    keys = [p.key for p in products]
    if len(products) == 1 and ("product" not in rows.columns or keys[0] is None):
        return {0: rows["row"].tolist()}
    if any(k is None for k in keys):
        i = keys.index(None)
        raise UploadError(f"products.{i}.key: required when an upload names more than one product")
    if len(set(keys)) != len(keys):
        raise UploadError("products: the same key is given to more than one product")
    if "product" not in rows.columns:
        raise UploadError("activities: a 'product' column is required to assign rows to the products' keys")
    index = {k: i for i, k in enumerate(keys)}
    out: dict[int, list[int]] = {i: [] for i in range(len(products))}
    for number, product in zip(rows["row"], rows["product"], strict=True):
        name = "" if pd.isna(product) else str(product).strip()
        if name not in index:
            raise UploadError(
                f"activities: row {number}, field 'product': {name!r} is not the key of any product ({keys})"
            )
        out[index[name]].append(int(number))
    for i, numbers in out.items():
        if not numbers:
            raise UploadError(f"products.{i}.key: no activity row has product {keys[i]!r}")
    return out


def _carbon_per_row(result: pd.DataFrame, carbon: str) -> tuple[pd.Series, dict[int, str]]:
    """kg of carbon per activity row under the ``carbon`` convention, and which quantity each row used."""
    order = ("co2", "co2e") if carbon == "co2_else_co2e" else ("co2e", "co2")
    by_row = result[result["pollutant"].isin(order)].pivot_table(
        index="row", columns="pollutant", values="emission", aggfunc="sum"
    )
    values, used = {}, {}
    for number, rec in by_row.iterrows():
        for name in order:
            if name in rec.index and pd.notna(rec[name]):
                values[number], used[number] = float(rec[name]), name
                break
    return pd.Series(values, dtype=float), used


def _copollutants(part: pd.DataFrame, numbers: list[int], scale: float) -> copollutant.CoPollutantData:
    """The co-pollutant extension data of one product: kg per declared unit, factor sources, gaps."""
    pollutant_kg = part.groupby("pollutant")["emission"].sum()
    covered = part.groupby("pollutant")["row"].nunique()
    not_covered = [
        f"{p}: {len(numbers) - int(covered.get(p, 0))} of {len(numbers)} activity rows have no factor"
        for p in EXTENSION_POLLUTANTS[:3]
        if int(covered.get(p, 0)) < len(numbers)
    ]
    factors = part[part["pollutant"].isin(("co2", "co2e", *EXTENSION_POLLUTANTS))]
    unverified = sorted(set(factors.loc[~factors["verified"].astype(bool), "factor_id"]))
    return copollutant.CoPollutantData(
        so2=decimal_string(pollutant_kg.get("so2", 0.0) * scale),
        nox=decimal_string(pollutant_kg.get("nox", 0.0) * scale),
        pm25=decimal_string(pollutant_kg.get("pm25", 0.0) * scale),
        bc=decimal_string(pollutant_kg["bc"] * scale) if "bc" in pollutant_kg else None,
        voc=decimal_string(pollutant_kg["voc"] * scale) if "voc" in pollutant_kg else None,
        factorSources=sorted(set(factors["citation"])),
        unverifiedFactors=unverified or None,
        notCovered=not_covered or None,
    )


def _pcf(spec: ProductSpec, n_rows: int, types: list[str], pcf_value: str, sources: pd.DataFrame) -> dict[str, Any]:
    """The ``pcf`` of one product's footprint: the product's declared fields and the carbon per declared unit."""
    pcf: dict[str, Any] = {
        "declaredUnitOfMeasurement": spec.declaredUnitOfMeasurement,
        "declaredUnitAmount": spec.declaredUnitAmount,
        "productMassPerDeclaredUnit": spec.productMassPerDeclaredUnit,
        "referencePeriodStart": spec.referencePeriodStart,
        "referencePeriodEnd": spec.referencePeriodEnd,
        "geographyCountry": spec.geographyCountry,
        "geographyCountrySubdivision": spec.geographyCountrySubdivision,
        "geographyRegionOrSubregion": spec.geographyRegionOrSubregion,
        "boundaryProcessesDescription": (
            f"{n_rows} uploaded activity rows ({', '.join(types)}), accounted with the coreduce emission-factor library"
        ),
        "pcfExcludingBiogenicUptake": pcf_value,
        "pcfIncludingBiogenicUptake": pcf_value,
        "fossilCarbonContent": spec.fossilCarbonContent,
        "fossilGhgEmissions": pcf_value,
        "ipccCharacterizationFactors": ["AR6"],
        "crossSectoralStandards": spec.crossSectoralStandards,
        "exemptedEmissionsPercent": "0",
        "secondaryEmissionFactorSources": [
            {"name": r["publisher"], "version": r["citation"]} for _, r in sources.iterrows()
        ],
    }
    return {k: v for k, v in pcf.items() if v is not None}


def _product_footprint(spec, numbers, activity, part, carbon_kg, used, context) -> ProductFootprint:
    """One product's footprint; ``context`` = (upload, company name, company URN, schema base URL, now)."""
    upload, company_name, company_urn, schema_base_url, now = context
    scale = float(_Decimal(spec.declaredUnitAmount) / _Decimal(spec.producedAmount))
    n_co2e = sum(1 for n in numbers if used[n] == "co2e")
    types = sorted(set(activity.loc[activity["row"].isin(numbers), "activity_type"]))
    carbon_rows = part[[used[n] == p for n, p in zip(part["row"], part["pollutant"], strict=True)]]
    sources = carbon_rows.drop_duplicates(["publisher", "citation"])
    return ProductFootprint(
        id=uuid.uuid4(),
        specVersion=SPEC_VERSION,
        created=now,
        status="Active",
        companyName=company_name,
        companyIds=[company_urn],
        productDescription=spec.productDescription,
        productIds=spec.productIds,
        productClassifications=spec.productClassifications,
        productNameCompany=spec.productNameCompany,
        comment=(
            f"CO2 footprint of the uploaded activity ({len(numbers) - n_co2e} rows by CO2 factors, {n_co2e} "
            f"purchased-material rows by cradle-to-gate CO2e factors; convention {upload.carbon}); CH4 and "
            "N2O of combustion are not included. Co-pollutants in the co-pollutant extension."
        ),
        pcf=_pcf(spec, len(numbers), types, decimal_string(carbon_kg * scale), sources),
        extensions=[copollutant.make_extension(_copollutants(part, numbers, scale), schema_base_url)],
    )


def build_footprints(
    upload: ActivityUpload,
    activity: pd.DataFrame,
    result: pd.DataFrame,
    *,
    company_name: str,
    company_urn: str,
    schema_base_url: str,
    now: datetime | None = None,
) -> Accounted:
    """Footprints (one per product) from parsed activity rows and their accounting result (see module doc)."""
    context = (upload, company_name, company_urn, schema_base_url, now or datetime.now(UTC))
    groups = _assign(activity, upload.products)
    carbon, used = _carbon_per_row(result, upload.carbon)
    no_carbon = sorted(set(activity["row"]) - set(carbon.index))
    if no_carbon:
        keys = activity.set_index("row").loc[no_carbon[:5]]
        shown = ", ".join(f"row {n} ({_describe(r)})" for n, r in keys.iterrows())
        raise UploadError(f"activities: no CO2 or CO2e factor for {shown}; the carbon footprint would be incomplete")
    footprints, totals = [], []
    for i, spec in enumerate(upload.products):
        numbers = groups[i]
        part = result[result["row"].isin(numbers)]
        carbon_kg = float(carbon.loc[numbers].sum())
        footprint = _product_footprint(spec, numbers, activity, part, carbon_kg, used, context)
        footprints.append(footprint)
        totals.append(
            {
                "key": spec.key,
                "footprintId": str(footprint.id),
                "productIds": spec.productIds,
                "rows": len(numbers),
                "carbon_kg": carbon_kg,
                "emissions_kg": {p: float(v) for p, v in part.groupby("pollutant")["emission"].sum().items()},
            }
        )
    conventions = {
        **result.attrs.get("conventions", {}),
        "carbon": upload.carbon,
        "per_declared_unit": "total × declaredUnitAmount ÷ producedAmount",
        "decimals": "10 significant digits",
    }
    return Accounted(footprints, result, totals, sorted(set(result["factor_id"])), conventions)


def _describe(row: pd.Series) -> str:
    fields = ("activity_type", "fuel", "sector", "technology", "region", "material", "mode")
    return "/".join(str(row[f]) for f in fields if f in row.index and str(row[f]) not in ("*", "<NA>", "nan"))


def activity_text(filename: str | None, raw: bytes) -> str:
    """The activity rows of an uploaded file as text: UTF-8 CSV or JSON as it is, or the first sheet of an xlsx
    workbook written as CSV with one line per sheet row (so that sheet row *n* is reported as line *n*; a line
    break inside a cell becomes a space, a whole number ``2015.0`` is written ``2015``)."""
    if raw[:4] == b"PK\x03\x04":
        from python_calamine import CalamineWorkbook

        try:
            cells = (
                CalamineWorkbook.from_filelike(io.BytesIO(raw)).get_sheet_by_index(0).to_python(skip_empty_area=False)
            )
        except Exception as exc:  # calamine reports corrupt parts with its own exception types
            raise InvalidInput(f"file {filename!r}: the xlsx workbook cannot be read ({exc})") from None
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for row in cells:
            writer.writerow(
                [int(v) if isinstance(v, float) and v.is_integer() else str(v).replace("\n", " ") for v in row]
            )
        return out.getvalue()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"file {filename!r}: not UTF-8 text (CSV or JSON) nor an xlsx workbook") from None


def upload_from_form(filename: str | None, raw: bytes, products: str, share_with: list[str], carbon: str):
    """An :class:`ActivityUpload` from a multipart form: the file's bytes (:func:`activity_text`: CSV, JSON or
    xlsx), the products as JSON text; InvalidInput naming the part that does not validate."""
    text = activity_text(filename, raw)
    try:
        specs = json.loads(products)
    except ValueError:
        raise InvalidInput("products: not valid JSON (expected a list of product objects)") from None
    try:
        return ActivityUpload(products=specs, activities=text, shareWith=share_with, carbon=carbon)
    except ValidationError as exc:
        raise InvalidInput(describe(exc)) from None
