"""The report's configuration: what to draw and how (``[report]``) and every analysis convention
(``[conventions]``, :class:`~coreduce.analysis.conventions.ProvinceConventions`), read from ``report.toml`` and
command options, and written back beside the report so that anyone can rerun it.

Example ``report.toml``::

    [report]
    lang = "en"
    dpi = 300
    sections = ["national_trends", "regional_trends"]

    [conventions]
    start = 2010
    end = 2020
    co2 = "co2_ceads"

A key given on the command line replaces the file's; an unknown key or a wrong value fails naming the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coreduce.analysis.conventions import ProvinceConventions
from coreduce.conventions import ConventionError, Conventions, option

SECTIONS = (
    "framework",
    "national_trends",
    "regional_trends",
    "provinces",
    "drivers",
    "nqpf",
    "nqpf_effect",
    "market",
    "finance",
)
"""Keys of the report's sections (the methods section is always written)."""
DEFAULT_SECTIONS = SECTIONS[:-1]
"""The sections of a report that names none: all but ``finance``, whose source is an unverified secondary
construct (a user asks for it by name)."""
FORMATS = ("html", "pdf")
PDF_ENGINES = ("auto", "chromium", "matplotlib")
CONFIG_NAME = "report.toml"


def _subset(allowed: tuple[str, ...]):
    def check(value: Any) -> str | None:
        ok = isinstance(value, tuple) and value and all(v in allowed for v in value)
        return None if ok else f"a non-empty list of {', '.join(allowed)}"

    return check


def _dpi(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 72 <= value <= 1200
    return None if ok else "an integer from 72 to 1200"


@dataclass(frozen=True)
class ReportOptions(Conventions):
    """How the report is drawn: language, raster resolution, sections, formats and PDF engine."""

    lang: str = option("zh", allowed=("zh", "en"))
    dpi: int = option(300, check=_dpi)
    sections: tuple = option(DEFAULT_SECTIONS, check=_subset(SECTIONS))
    formats: tuple = option(FORMATS, check=_subset(FORMATS))
    pdf_engine: str = option("auto", allowed=PDF_ENGINES)


@dataclass(frozen=True)
class ReportConfig:
    """The report options and the analysis conventions of one report."""

    report: ReportOptions = field(default_factory=ReportOptions)
    conventions: ProvinceConventions = field(default_factory=ProvinceConventions)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> ReportConfig:
        """From a mapping with the tables ``report`` and ``conventions`` (both optional)."""
        unknown = sorted(set(values) - {"report", "conventions"})
        if unknown:
            raise ConventionError(unknown[0], values[unknown[0]], "a [report] or [conventions] table")
        return cls(
            ReportOptions.from_mapping(values.get("report", {})),
            ProvinceConventions.from_mapping(values.get("conventions", {})),
        )

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides: Any) -> ReportConfig:
        """Read ``path`` (TOML) if given, then apply ``overrides`` (``None`` keeps the file's value); a key of
        :class:`ReportOptions` goes to ``[report]``, any other to ``[conventions]``."""
        values: dict[str, dict[str, Any]] = {"report": {}, "conventions": {}}
        if path is not None:
            path = Path(path)
            try:
                loaded = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise ValueError(f"{path}: not valid TOML ({exc})") from None
            for table, content in loaded.items():
                if not isinstance(content, dict):
                    raise ConventionError(table, content, f"a [report] or [conventions] table in {path}")
                values.setdefault(table, {}).update(content)
        report_keys = set(ReportOptions.keys())
        for key, value in overrides.items():
            if value is not None:
                table = "report" if key in report_keys else "conventions"
                values[table][key] = value
        return cls.from_mapping(values)

    def to_toml(self) -> str:
        """The whole configuration as TOML (every key, defaults included), readable by :meth:`load`."""
        lines = ["# coreduce report configuration: rerun with `coreduce report --config report.toml`", ""]
        for table, conventions in (("report", self.report), ("conventions", self.conventions)):
            lines.append(f"[{table}]")
            lines += [f"{key} = {_toml_value(value)}" for key, value in conventions.to_dict().items()]
            lines.append("")
        return "\n".join(lines)

    def items(self) -> list[tuple[str, str]]:
        """(``table.key``, value as written in TOML) of every setting, for the methods section."""
        return [
            (f"{table}.{key}", _toml_value(value))
            for table, conventions in (("report", self.report), ("conventions", self.conventions))
            for key, value in conventions.to_dict().items()
        ]


def _toml_value(value: Any) -> str:
    """A TOML literal for the values conventions hold: strings, booleans, numbers and (nested) tuples."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
