"""What a section builder receives, and how a section that cannot be built says why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coreduce.analysis.conventions import ProvinceConventions
from coreduce.data.panel import Panel
from coreduce.report.i18n import Text


class SectionUnavailable(Exception):
    """The section's analysis or data is not available; the message says what is missing."""


def started(job, *keys: str) -> dict[str, Any]:
    """``job`` (a generator function yielding the results of ``keys`` in that order) started in a second process
    where one may be used (:func:`~coreduce.report.background.second_process`), as entries of
    :attr:`Context.pending`; empty (nothing started) without a second process."""
    from coreduce.report.background import Background, second_process

    if not second_process():
        return {}
    queue = (Background(job, local=False), list(keys))
    return dict.fromkeys(keys, queue)


def stop_pending(pending: dict[str, Any]) -> None:
    """Stop the second processes of ``pending`` (entries of :attr:`Context.pending`) whose results no one read;
    one that already gave them all is only released."""
    for job, _keys in {id(queue): queue for queue in pending.values()}.values():
        job.close(stop=True)


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
    idle: list[Any] = field(default_factory=list)
    """Work this process may do while it waits for the second process (e.g. drawing figures ahead)."""

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
        if key not in self.results and key in self.pending:
            self._receive(key)
        if key not in self.results:
            self.results[key] = compute()
        return self.results[key]

    def ahead(self, job, *keys: str) -> None:
        """Start ``job`` (a generator function yielding the results of ``keys`` in that order) in a second process
        where one may be used (:func:`~coreduce.report.background.second_process`); :meth:`cached` takes its
        results. Without a second process nothing starts: each result is computed when a section asks for it."""
        if not any(k in self.results or k in self.pending for k in keys):
            self.pending |= started(job, *keys)

    def _receive(self, key: str) -> None:
        """Read the second process's results up to ``key``'s; if it fails, what it has not given is computed in
        this process when a section asks for it (the same code, the same result or exception)."""
        from coreduce.report.background import ChildFailed

        job, keys = self.pending[key]
        try:
            while keys and key not in self.results:
                while self.idle and not job.ready():
                    self.idle.pop(0)()
                first = keys.pop(0)
                del self.pending[first]
                self.results[first] = job.get()
        except ChildFailed:
            for left in keys:
                self.pending.pop(left, None)
            keys.clear()
        if not keys:
            job.close()

    def close(self) -> None:
        """Stop waiting for results no section asked for."""
        stop_pending(self.pending)
        self.pending.clear()
