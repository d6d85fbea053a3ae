"""What a section builder receives, and how a section that cannot be built says why."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from coreduce.data.panel import Panel
from coreduce.report.i18n import Text


class SectionUnavailable(Exception):
    """The section's analysis or data is not available; the message says what is missing."""


@dataclass
class Context:
    """The panel, the language, and analysis results shared between sections (run each analysis once)."""

    panel: Panel
    lang: str
    grouping: str = "four_regions"
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def t(self) -> Text:
        return Text(self.lang)

    def analysis(self, module: str):
        """Import ``coreduce.analysis.<module>``; raise :class:`SectionUnavailable` when it is not installed."""
        name = f"coreduce.analysis.{module}"
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and (exc.name == name or name.startswith(exc.name + ".")):
                raise SectionUnavailable(f"the analysis module {name} is not available in this installation") from None
            raise

    def cached(self, key: str, compute):
        """Run ``compute()`` once per report and keep its result under ``key``."""
        if key not in self.results:
            self.results[key] = compute()
        return self.results[key]
