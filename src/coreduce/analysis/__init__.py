"""Named analyses of the provinces, regions and nation: typed conventions in
(:class:`~coreduce.analysis.conventions.ProvinceConventions`), typed results out (one
:class:`~coreduce.results.Result` subclass per analysis).

* :func:`~coreduce.analysis.trends.trends` — national and regional CO2, CO2/SO2/NOx intensity and PM2.5;
* :func:`~coreduce.analysis.costatus.costatus` — co-control, decoupling, coupling coordination and synergy;
* :func:`~coreduce.analysis.drivers.drivers` and :func:`~coreduce.analysis.drivers.sector_drivers` — LMDI;
* :func:`~coreduce.analysis.nqpf.nqpf_index`, :func:`~coreduce.analysis.obstacles.obstacles` — the NQPF index;
* :func:`~coreduce.analysis.imbalance.imbalance` — regional imbalance of a measure;
* :func:`~coreduce.analysis.regress.regress` — fixed-effects, mediation and spatial tests.

Import each from its module (``from coreduce.analysis.trends import trends``).
"""

from coreduce.analysis.conventions import ProvinceConventions

__all__ = ["ProvinceConventions"]
