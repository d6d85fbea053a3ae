"""Typed conventions: the choices that change an answer, frozen, validated once, recorded in every result.

A domain declares its conventions as a frozen dataclass that subclasses :class:`Conventions`; each field is made
with :func:`option`, which gives it a stable key (its message id is ``convention.<key>``), its allowed values
(a tuple, or a check function) and the source that defines it. Building the object validates every field and
then the combination (:meth:`Conventions.check`); a wrong value fails there, once, with a message that names the
key, the value and what is allowed. Results carry ``conventions.records()``: one :class:`Convention` per field.

Example::

    @dataclass(frozen=True)
    class PriceConventions(Conventions):
        prices: str = option("nominal", allowed=("nominal", "constant"), source="NBS price bases")
        base_year: int = option(2010, check=year_between(1978, 2030))
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Self

Check = Callable[[Any], str | None]
"""A validator: returns ``None`` when the value is allowed, else what was expected (e.g. "a year 1978–2030")."""


class ConventionError(ValueError):
    """A convention value or combination that is not allowed; names the key, the value and what is allowed."""

    def __init__(self, key: str, value: Any, expected: str) -> None:
        self.key, self.value, self.expected = key, value, expected
        super().__init__(f"convention {key!r} = {value!r} is not allowed: expected {expected}")


@dataclass(frozen=True)
class Convention:
    """One recorded convention: its stable key, the value used, and the source that defines it."""

    key: str
    value: Any
    source: str = ""

    @property
    def message_id(self) -> str:
        return f"convention.{self.key}"

    def value_message_id(self) -> str:
        """Message id of a categorical value (``convention.prices.constant``); free values are shown as is."""
        return f"convention.{self.key}.{self.value}"


def option(
    default: Any,
    *,
    allowed: tuple[Any, ...] | None = None,
    check: Check | None = None,
    source: str = "",
    key: str | None = None,
) -> Any:
    """A convention field: default value, allowed values or a check, its source, and (optionally) a key other
    than the field name."""
    metadata = {"allowed": allowed, "check": check, "source": source, "key": key}
    if isinstance(default, list | dict | set):
        raise TypeError("convention defaults must be immutable (use a tuple or a frozen mapping)")
    return dataclasses.field(default=default, metadata=metadata)


def year_between(first: int, last: int) -> Check:
    def check(value: Any) -> str | None:
        ok = isinstance(value, int) and not isinstance(value, bool) and first <= value <= last
        return None if ok else f"a year from {first} to {last}"

    return check


def one_of_or_none(*allowed: Any) -> Check:
    def check(value: Any) -> str | None:
        return None if value is None or value in allowed else f"one of {', '.join(map(repr, allowed))} or None"

    return check


@dataclass(frozen=True)
class Conventions:
    """Base of every domain's conventions object (frozen, validated on construction)."""

    def __post_init__(self) -> None:
        for spec in dataclasses.fields(self):
            value = getattr(self, spec.name)
            key = spec.metadata.get("key") or spec.name
            allowed = spec.metadata.get("allowed")
            if allowed is not None and value not in allowed:
                raise ConventionError(key, value, "one of " + ", ".join(map(repr, allowed)))
            check = spec.metadata.get("check")
            if check is not None and (expected := check(value)) is not None:
                raise ConventionError(key, value, expected)
        self.check()

    def check(self) -> None:
        """Validate combinations of fields; subclasses override and raise :class:`ConventionError`."""

    def replace(self, **changes: Any) -> Self:
        """A copy with some conventions changed (validated again)."""
        unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(self)})
        if unknown:
            raise ConventionError(unknown[0], changes[unknown[0]], f"one of the keys {', '.join(self.keys())}")
        return dataclasses.replace(self, **changes)

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        return tuple(f.metadata.get("key") or f.name for f in dataclasses.fields(cls))

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Self:
        """Build from a mapping such as a TOML table; an unknown key is an error, lists become tuples."""
        names = {(f.metadata.get("key") or f.name): f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - set(names))
        if unknown:
            raise ConventionError(unknown[0], values[unknown[0]], f"one of the keys {', '.join(names)}")
        return cls(**{names[k]: tuple(v) if isinstance(v, list) else v for k, v in values.items()})

    def to_dict(self) -> dict[str, Any]:
        return {record.key: record.value for record in self.records()}

    def records(self) -> tuple[Convention, ...]:
        """One :class:`Convention` per field, in declaration order."""
        return tuple(
            Convention(f.metadata.get("key") or f.name, getattr(self, f.name), f.metadata.get("source", ""))
            for f in dataclasses.fields(self)
        )
