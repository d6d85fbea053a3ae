"""Named analyses on the canonical panel; each returns an :class:`AnalysisResult`."""

from coreduce.analysis.results import AnalysisResult, missing_frame, year_span

__all__ = ["AnalysisResult", "missing_frame", "year_span"]
