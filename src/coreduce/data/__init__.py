"""The data layer: readers of public files → the canonical long panel → checks, repairs, store and exports.

``load_bundled()`` returns the panel shipped with coreduce; :class:`Panel` is its in-memory form. The store
(:mod:`coreduce.data.store`), exports (:mod:`coreduce.data.export`) and the build
(:mod:`coreduce.data.build`) are imported from their modules.
"""

from importlib import import_module

# Imported on first use (PEP 562), so that ``import coreduce.data.summary`` does not pay for pandas.
_HOMES = {
    "BundledDataMissingError": "coreduce.data.bundled",
    "bundled_corrections": "coreduce.data.bundled",
    "load_bundled": "coreduce.data.bundled",
    "MissingSeriesError": "coreduce.data.panel",
    "Panel": "coreduce.data.panel",
    "PanelSchemaError": "coreduce.data.schema",
    "Status": "coreduce.data.schema",
    "validate_panel": "coreduce.data.schema",
}

__all__ = [
    "BundledDataMissingError",
    "MissingSeriesError",
    "Panel",
    "PanelSchemaError",
    "Status",
    "bundled_corrections",
    "load_bundled",
    "validate_panel",
]


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'coreduce.data' has no attribute {name!r}")
