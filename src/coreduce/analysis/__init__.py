"""Named analyses on the canonical panel; each returns an :class:`AnalysisResult`.

* :func:`trends` — national and regional CO2, CO2/SO2/NOx intensity and PM2.5;
* :func:`costatus` — co-control, decoupling, coupling coordination and synergy of pollution and carbon reduction;
* :func:`drivers` — LMDI decomposition by province, region and nation (scale, structure, energy intensity,
  energy mix, emission factor);
* :func:`sector_drivers` — LMDI of production emissions over the three sectors of value added.
"""

from coreduce.analysis.costatus import costatus
from coreduce.analysis.drivers import drivers, sector_drivers
from coreduce.analysis.results import AnalysisResult, missing_frame, year_span
from coreduce.analysis.trends import trends

__all__ = ["AnalysisResult", "costatus", "drivers", "missing_frame", "sector_drivers", "trends", "year_span"]
