"""coreduce: evidence on the co-reduction of air pollution and carbon in China (减污降碳协同增效)."""

__version__ = "0.1.0"
