"""Turn synthetic (geo, year, variable, value) rows into a Panel with one made-up source and a unit per variable."""

import pandas as pd

from coreduce.data.panel import Panel


def synthetic_as_panel(data: pd.DataFrame, units: dict[str, str]) -> Panel:
    """``data`` (geo, year, variable, value) as a reported Panel of source ``synthetic``, units from ``units``."""
    data = data.assign(unit=data["variable"].map(units), source="synthetic", status="reported")
    catalogue = pd.DataFrame(
        {"variable": list(units), "unit": list(units.values()), "definition": list(units), "publisher": "test",
         "source": "synthetic"}
    )  # fmt: skip
    sources = pd.DataFrame(
        [{"source": "synthetic", "publisher": "test suite", "title": "synthetic panel", "licence": "CC0",
          "citation": "-", "files": "-"}]
    )  # fmt: skip
    return Panel.from_frames(data, catalogue, sources)
