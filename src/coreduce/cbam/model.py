"""The CBAM data model: installations, production processes and routes, source streams, precursors, imports.

An :class:`Installation` (linked to an exchange company by ``company_id``) runs :class:`ProductionProcess` es over a
:class:`MonitoringPeriod`. A process makes one CBAM good (CN code, production route) in an activity level (t) from
source streams (fuels through the factor library, or process materials with a stated factor), electricity
consumed, measurable heat and waste gases imported or exported, electricity produced, and precursors — consumed
from another process of the installation (``from_process``) or bought (the supplier's specific embedded
emissions, e.g. from a PACT footprint, or the default value of its origin). An :class:`ImportLine` is what an EU
declarant imported: a CN code, an origin, a mass and, when actual data exist, the installation process.

Every ``from_mapping`` raises :class:`CbamInputError` naming the field (``processes[0].source_streams[1].quantity``)
and what was expected; nothing is kept from a mapping that fails.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cache
from typing import Any

from coreduce.units import UnitError, parse_unit

MASS = "[mass]"
ENERGY = "[energy]"
VOLUME = "[length] ** 3"
DIMENSION_UNIT = {MASS: "t", ENERGY: "GJ", VOLUME: "m**3"}


class CbamInputError(ValueError):
    """Input that does not fit the CBAM data model; ``field`` names where (a dotted path)."""

    def __init__(self, field_path: str, expected: str, value: Any = None) -> None:
        self.field, self.expected, self.value = field_path, expected, value
        shown = "" if value is None else f" {value!r}"
        super().__init__(f"field '{field_path}':{shown} — expected {expected}")


def _number(data: Mapping, key: str, where: str, *, default: float | None = None, required: bool = False) -> Any:
    value = data.get(key, default)
    if value is None:
        if required:
            raise CbamInputError(f"{where}{key}", "a number ≥ 0 (required)")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise CbamInputError(f"{where}{key}", "a finite number ≥ 0", value)
    return float(value)


def _text(data: Mapping, key: str, where: str, *, required: bool = False, default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        value = default
    if not isinstance(value, str) or (required and not value.strip()):
        raise CbamInputError(f"{where}{key}", "a non-empty text" if required else "a text", value)
    return value.strip()


@cache
def _dimensionality(text: str) -> str:
    """The pint dimensionality of a unit text (cached: a file repeats a handful of units)."""
    return str(parse_unit(text).dimensionality)


def _unit(data: Mapping, key: str, where: str, dimensions: tuple[str, ...]) -> str:
    """The unit text of ``data[key]`` if it parses and has one of ``dimensions`` (e.g. ``[mass]``)."""
    text = _text(data, key, where, required=True)
    try:
        dims = _dimensionality(text)
    except UnitError as exc:
        raise CbamInputError(f"{where}{key}", f"a unit of {' or '.join(dimensions)}", text) from exc
    if dims not in {_dimensionality(DIMENSION_UNIT[d]) for d in dimensions}:
        raise CbamInputError(f"{where}{key}", f"a unit of {' or '.join(dimensions)}", text)
    return text


def _items(data: Mapping, key: str, where: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list | tuple):
        raise CbamInputError(f"{where}{key}", "a list", value)
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise CbamInputError(f"{where}{key}[{i}]", "an object")
    return list(value)


@cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


def _unknown(data: Mapping, cls: type, where: str) -> None:
    if unknown := sorted(set(data) - _field_names(cls)):
        raise CbamInputError(f"{where}{unknown[0]}", "one of the fields " + ", ".join(sorted(_field_names(cls))))


@dataclass(frozen=True)
class MonitoringPeriod:
    """The period the activity data cover (default: a calendar year; Art. 6 of IR 2025/2547)."""

    start: date
    end: date

    @classmethod
    def from_mapping(cls, data: Mapping, where: str = "period.") -> MonitoringPeriod:
        try:
            start, end = date.fromisoformat(str(data["start"])), date.fromisoformat(str(data["end"]))
        except KeyError as exc:
            raise CbamInputError(f"{where}{exc.args[0]}", "an ISO date (YYYY-MM-DD)") from None
        except ValueError as exc:
            raise CbamInputError(f"{where}start/end", f"ISO dates YYYY-MM-DD ({exc})") from None
        if end <= start:
            raise CbamInputError(f"{where}end", f"a date after start {start}", str(end))
        return cls(start, end)

    @property
    def year(self) -> int:
        return self.end.year


@dataclass(frozen=True)
class SourceStream:
    """A fuel (``kind='fuel'``: ``fuel`` named in the factor library, or a stated ``emission_factor``), a process
    material (``kind='process'``: ``emission_factor`` in t CO2e per unit required, e.g. 0.440 t / t CaCO3), or a
    mass-balance output (``kind='output'``: carbon leaving in products or slags, its stated factor — carbon content
    × 3.664 t CO2 / t C — counted negative, as in the mass balance of IR (EU) 2018/2066 Art. 25)."""

    name: str
    kind: str
    quantity: float
    unit: str
    fuel: str = ""
    emission_factor: float | None = None
    factor_source: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping, where: str) -> SourceStream:
        _unknown(data, cls, where)
        kind = _text(data, "kind", where, required=True)
        if kind not in ("fuel", "process", "output"):
            raise CbamInputError(f"{where}kind", "'fuel', 'process' or 'output'", kind)
        stream = cls(
            name=_text(data, "name", where, required=True),
            kind=kind,
            quantity=_number(data, "quantity", where, required=True),
            unit=_unit(data, "unit", where, (MASS, ENERGY, VOLUME) if kind == "fuel" else (MASS,)),
            fuel=_text(data, "fuel", where),
            emission_factor=_number(data, "emission_factor", where),
            factor_source=_text(data, "factor_source", where),
        )
        if stream.emission_factor is None and (kind != "fuel" or not stream.fuel):
            raise CbamInputError(f"{where}emission_factor", "t CO2e per unit (or, for a fuel, a 'fuel' name)")
        if stream.emission_factor is not None and not stream.factor_source:
            raise CbamInputError(f"{where}factor_source", "the document the stated emission factor comes from")
        return stream


@dataclass(frozen=True)
class PrecursorInput:
    """A precursor consumed (t in the period): from another process (``from_process``), from a supplier with actual
    specific embedded emissions (``see_direct`` / ``see_indirect``, t CO2e / t; ``supplier_footprint_id`` for a
    PACT footprint), or — neither given — the default value of ``country`` (or IR 2025/2621 Annex IV when unknown)."""

    cn: str
    mass_t: float
    from_process: str = ""
    see_direct: float | None = None
    see_indirect: float | None = None
    country: str = ""
    route: str = ""
    supplier_footprint_id: str = ""
    evidence: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping, where: str) -> PrecursorInput:
        _unknown(data, cls, where)
        item = cls(
            cn=_cn(data, where),
            mass_t=_number(data, "mass_t", where, required=True),
            from_process=_text(data, "from_process", where),
            see_direct=_number(data, "see_direct", where),
            see_indirect=_number(data, "see_indirect", where),
            country=_text(data, "country", where).upper(),
            route=_text(data, "route", where),
            supplier_footprint_id=_text(data, "supplier_footprint_id", where),
            evidence=_text(data, "evidence", where),
        )
        if item.from_process and item.see_direct is not None:
            raise CbamInputError(f"{where}see_direct", "no value when the precursor comes from_process")
        if item.see_indirect is not None and item.see_direct is None:
            raise CbamInputError(f"{where}see_direct", "a value when see_indirect is given")
        return item

    @property
    def source(self) -> str:
        return "internal" if self.from_process else "supplier" if self.see_direct is not None else "default"


def _cn(data: Mapping, where: str, key: str = "cn") -> str:
    text = str(data.get(key, "")).replace(" ", "").replace(".", "")
    if not (text.isdigit() and len(text) in (4, 6, 8)):
        raise CbamInputError(f"{where}{key}", "a CN code of 4, 6 or 8 digits", data.get(key))
    return text


@cache
def _optional_numbers(cls: type) -> tuple[tuple[str, Any], ...]:
    """(name, default) of the optional number fields of a model class."""
    return tuple(
        (f.name, f.default) for f in fields(cls) if f.type in ("float", "float | None") and f.name != "activity_level_t"
    )


@dataclass(frozen=True)
class ProductionProcess:
    """One production process of an installation, making the good ``cn`` by ``route`` (IR 2025/2547 Annex II)."""

    process_id: str
    cn: str
    activity_level_t: float
    route: str = ""
    source_streams: tuple[SourceStream, ...] = ()
    electricity_mwh: float = 0.0
    electricity_factor: float | None = None
    electricity_evidence: str = ""
    heat_imported_tj: float = 0.0
    heat_imported_factor: float | None = None
    heat_exported_tj: float = 0.0
    heat_exported_factor: float | None = None
    waste_gas_imported_tj: float = 0.0
    waste_gas_exported_tj: float = 0.0
    electricity_produced_mwh: float = 0.0
    electricity_produced_factor: float = 0.0
    precursors: tuple[PrecursorInput, ...] = ()

    @classmethod
    def from_mapping(cls, data: Mapping, where: str) -> ProductionProcess:
        _unknown(data, cls, where)
        numbers = {name: _number(data, name, where, default=default) for name, default in _optional_numbers(cls)}
        process = cls(
            process_id=_text(data, "process_id", where, required=True),
            cn=_cn(data, where),
            activity_level_t=_number(data, "activity_level_t", where, required=True),
            route=_text(data, "route", where),
            source_streams=tuple(
                SourceStream.from_mapping(s, f"{where}source_streams[{i}].")
                for i, s in enumerate(_items(data, "source_streams", where))
            ),
            electricity_evidence=_text(data, "electricity_evidence", where),
            precursors=tuple(
                PrecursorInput.from_mapping(p, f"{where}precursors[{i}].")
                for i, p in enumerate(_items(data, "precursors", where))
            ),
            **numbers,
        )
        if process.activity_level_t <= 0:
            raise CbamInputError(f"{where}activity_level_t", "a quantity of good produced > 0 t", 0)
        if process.electricity_factor is not None and not process.electricity_evidence:
            raise CbamInputError(f"{where}electricity_evidence", "the document behind an actual electricity factor")
        return process


@dataclass(frozen=True)
class Installation:
    """An installation in a third country (``country`` ISO 3166 alpha-2; ``region``: the GB/T 2260 province code
    whose grid factor applies in China), linked to an exchange company and its products."""

    installation_id: str
    name: str
    country: str
    period: MonitoringPeriod
    processes: tuple[ProductionProcess, ...]
    region: str = ""
    company_id: str = ""
    product_ids: tuple[str, ...] = field(default=())

    @classmethod
    def from_mapping(cls, data: Mapping, where: str = "") -> Installation:
        if not isinstance(data, Mapping):
            raise CbamInputError(where or "installation", "an object")
        _unknown(data, cls, where)
        if "period" not in data or not isinstance(data["period"], Mapping):
            raise CbamInputError(f"{where}period", "an object with start and end dates")
        processes = tuple(
            ProductionProcess.from_mapping(p, f"{where}processes[{i}].")
            for i, p in enumerate(_items(data, "processes", where))
        )
        if not processes:
            raise CbamInputError(f"{where}processes", "at least one production process")
        ids = [p.process_id for p in processes]
        if dup := sorted(i for i, n in Counter(ids).items() if n > 1):
            raise CbamInputError(f"{where}processes", "unique process_id values", dup[0])
        known = set(ids)
        for i, process in enumerate(processes):
            for j, pre in enumerate(process.precursors):
                if pre.from_process and pre.from_process not in known:
                    raise CbamInputError(
                        f"{where}processes[{i}].precursors[{j}].from_process", f"one of {ids}", pre.from_process
                    )
        country = _text(data, "country", where, required=True).upper()
        if len(country) != 2 or not country.isalpha():
            raise CbamInputError(f"{where}country", "an ISO 3166 alpha-2 code such as CN", country)
        products = data.get("product_ids", ())
        if not isinstance(products, list | tuple) or not all(isinstance(p, str) for p in products):
            raise CbamInputError(f"{where}product_ids", "a list of exchange product ids", products)
        return cls(
            installation_id=_text(data, "installation_id", where, required=True),
            name=_text(data, "name", where, required=True),
            country=country,
            period=MonitoringPeriod.from_mapping(data["period"], f"{where}period."),
            processes=processes,
            region=_text(data, "region", where),
            company_id=_text(data, "company_id", where),
            product_ids=tuple(products),
        )


@dataclass(frozen=True)
class ImportLine:
    """Goods a declarant imported in the year: CN code, origin, mass (t); ``process_id`` when the installation's
    actual data cover them (else default values), ``installation_id`` for the record."""

    cn: str
    country: str
    mass_t: float
    route: str = ""
    installation_id: str = ""
    process_id: str = ""
