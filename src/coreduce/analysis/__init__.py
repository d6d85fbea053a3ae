"""Named analyses on the canonical panel; each returns an :class:`AnalysisResult`.

* :func:`trends` — national and regional CO2, CO2/SO2/NOx intensity and PM2.5;
* :func:`costatus` — co-control, decoupling, coupling coordination and synergy of pollution and carbon reduction;
* :func:`drivers` — LMDI decomposition by province, region and nation.
"""

from coreduce.analysis.costatus import costatus
from coreduce.analysis.drivers import drivers
from coreduce.analysis.results import AnalysisResult, missing_frame, year_span
from coreduce.analysis.trends import trends

__all__ = ["AnalysisResult", "costatus", "drivers", "missing_frame", "trends", "year_span"]
