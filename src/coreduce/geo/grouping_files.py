"""Groupings and their files, shared by province and country groupings.

A grouping is a TOML file (``[groups.<name>] members = [...]``, optional ``label_zh``; top-level ``name`` and
``definition``) or a two-column CSV (``<member column>,group``). Each member is resolved to a code by the caller's
``code_of``; a member in two groups or a group without members is an error naming the file (``origin``).
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

G = TypeVar("G", bound="Groups")

CodeOf = Callable[[str], str]
"""Member name → code; raises ``LookupError``/``ValueError`` with a message for an unknown member."""


@dataclass(frozen=True)
class Groups:
    """Named groups of member codes (in file order) with optional Chinese group labels."""

    name: str
    groups: dict[str, tuple[str, ...]]
    """Group name → member codes."""
    labels_zh: dict[str, str] = field(default_factory=dict)

    def group_of(self) -> dict[str, str]:
        """Member code → group name."""
        return {code: group for group, codes in self.groups.items() for code in codes}

    def members(self, group: str) -> tuple[str, ...]:
        if group not in self.groups:
            raise KeyError(f"grouping {self.name!r} has no group {group!r}; groups: {', '.join(self.groups)}")
        return self.groups[group]

    def label(self, group: str, lang: str = "en") -> str:
        return self.labels_zh.get(group, group) if lang == "zh" else group


def assign(raw: dict[str, list[str]], code_of: CodeOf, origin: str, error: type[Exception]) -> dict[str, tuple]:
    """Group → member codes in file order; ``error`` for an unknown member, one in two groups, an empty group."""
    groups: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for group, names in raw.items():
        codes = []
        for member in names:
            try:
                code = code_of(str(member))
            except (LookupError, ValueError) as exc:
                raise error(f"{origin}: group {group!r}: {exc}") from None
            if code in seen:
                raise error(f"{origin}: {member!r} is in both {seen[code]!r} and {group!r}")
            seen[code] = group
            codes.append(code)
        if not codes:
            raise error(f"{origin}: group {group!r} has no members")
        groups[group] = tuple(codes)
    if not groups:
        raise error(f"{origin}: no groups")
    return groups


def read_toml(text: str, origin: str, error: type[Exception]) -> tuple[dict, dict[str, list[str]], dict[str, str]]:
    """(the whole document, group → members as written, group → Chinese label) of a grouping in TOML."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{origin}: not valid TOML: {exc}") from None
    table = doc.get("groups")
    if not isinstance(table, dict) or not table:
        raise error(f"{origin}: expected a [groups.<name>] table with 'members'")
    raw, labels = {}, {}
    for group, spec in table.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("members"), list):
            raise error(f"{origin}: [groups.{group}] needs a list 'members'")
        raw[group] = spec["members"]
        if "label_zh" in spec:
            labels[group] = spec["label_zh"]
    return doc, raw, labels


def read_csv(path: Path, column: str, code_of: CodeOf, error: type[Exception]) -> dict[str, list[str]]:
    """Group → members as written in a CSV with columns ``column`` and ``group``; a member ``code_of`` does not
    know is an error naming its row and column."""
    raw: dict[str, list[str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or not {column, "group"} <= set(reader.fieldnames):
            raise error(f"{path}: expected columns '{column}' and 'group', found {reader.fieldnames}")
        for line, row in enumerate(reader, start=2):
            if not (row[column] or "").strip() or not (row["group"] or "").strip():
                raise error(f"{path}: row {line}: empty {column} or group")
            try:
                code_of(row[column])
            except (LookupError, ValueError) as exc:
                raise error(f"{path}: row {line}, column {column!r}: {exc}") from None
            raw.setdefault(row["group"].strip(), []).append(row[column].strip())
    return raw


def load_file(
    spec: str | Path,
    from_csv: Callable[[Path], G],
    from_toml: Callable[[str, str, str], G],
    builtin: Iterable[str],
    error: type[Exception],
) -> G:
    """A user grouping file ``spec``: ``from_csv`` for a .csv, ``from_toml(text, origin, default name)`` otherwise;
    ``error`` naming the built-in groupings when there is no such file."""
    path = Path(spec)
    if not path.exists():
        raise error(f"no built-in grouping or file named {spec!r}; built-in: {', '.join(builtin)}")
    if path.suffix.lower() == ".csv":
        return from_csv(path)
    return from_toml(path.read_text(encoding="utf-8"), str(path), path.stem)
