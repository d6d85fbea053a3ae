"""What a section builder receives, and how a section that cannot be built says why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coreduce.analysis.conventions import ProvinceConventions
from coreduce.data.panel import Panel
from coreduce.report.i18n import Text


class SectionUnavailable(Exception):
    """The section's analysis or data is not available; the message says what is missing."""


@dataclass
class Context:
    """The panel, the language, the conventions every analysis of the report uses, and the analysis results
    shared between sections (each analysis runs once)."""

    panel: Panel
    lang: str
    conventions: ProvinceConventions = field(default_factory=ProvinceConventions)
    config: Any = None
    """The :class:`~coreduce.report.config.ReportConfig` of the report, printed in its methods section."""
    results: dict[str, Any] = field(default_factory=dict)
    used: list[str] = field(default_factory=list)
    """Keys of the results the section being built asked for (their series name its figures' sources)."""

    @property
    def grouping(self) -> str:
        return self.conventions.grouping

    @property
    def t(self) -> Text:
        return Text(self.lang)

    def cached(self, key: str, compute):
        """Run ``compute()`` once per report and keep its result under ``key``."""
        self.used.append(key)
        if key not in self.results:
            self.results[key] = compute()
        return self.results[key]
