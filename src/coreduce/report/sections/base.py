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
    pending: dict[str, Any] = field(default_factory=dict)
    """Results a second process is computing (:class:`~coreduce.report.background.Background`), by key."""

    @property
    def grouping(self) -> str:
        return self.conventions.grouping

    @property
    def t(self) -> Text:
        return Text(self.lang)

    def cached(self, key: str, compute, *, record: bool = True):
        """Run ``compute()`` once per report (or take what a second process computed for ``key``, see
        :meth:`ahead`) and keep its result under ``key``; ``record=False`` leaves the result out of the section's
        sources."""
        if record:
            self.used.append(key)
        if key not in self.results:
            waiting = self.pending.pop(key, None)
            if waiting is None:
                self.results[key] = compute()
            else:
                try:
                    self.results[key] = waiting.get()
                finally:
                    waiting.close()
        return self.results[key]

    def ahead(self, key: str, compute) -> None:
        """Start ``compute()`` in a second process where one may be used; :meth:`cached` takes its result."""
        from coreduce.report.background import Background, once

        if key not in self.results and key not in self.pending:
            self.pending[key] = Background(once(compute))

    def close(self) -> None:
        """Stop waiting for results no section asked for."""
        for waiting in self.pending.values():
            waiting.close()
        self.pending.clear()
