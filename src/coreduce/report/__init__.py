"""The report: figures, tables and the self-contained HTML/PDF document built from the panel."""

from coreduce.report.build import BuildResult, build_report, make_report, write_report

__all__ = ["BuildResult", "build_report", "make_report", "write_report"]
