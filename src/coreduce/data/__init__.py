"""The data layer: readers of public files → the canonical long panel → checks, repairs, store and exports.

``load_bundled()`` returns the panel shipped with coreduce; :class:`Panel` is its in-memory form. The store
(:mod:`coreduce.data.store`), exports (:mod:`coreduce.data.export`) and the build
(:mod:`coreduce.data.build`) are imported from their modules.
"""

from coreduce.data.bundled import BundledDataMissingError, bundled_corrections, load_bundled
from coreduce.data.panel import MissingSeriesError, Panel
from coreduce.data.schema import PanelSchemaError, Status, validate_panel

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
