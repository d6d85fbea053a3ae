"""Fixtures of the analysis tests: the closed-form synthetic panel (see ``helpers.panels.closed_form_panel`` for
its values, from which the expected figures are computed by hand) and the same panel with a GDP deflator."""

import pandas as pd
import pytest

from coreduce.data.panel import Panel
from helpers.panels import closed_form_panel


@pytest.fixture(scope="session")
def synthetic_panel() -> Panel:
    return closed_form_panel()


@pytest.fixture(scope="session")
def panel_factory():
    """``closed_form_panel`` itself, for tests that drop rows."""
    return closed_form_panel


def with_deflator(panel: Panel, years=range(2006, 2020)) -> Panel:
    """``panel`` plus a national ``gdp_deflator`` P(y) = 100·1.02^(y − 2015) for ``years`` (none for 2020–2022)."""
    extra = pd.DataFrame(
        {
            "geo": "100000",
            "year": list(years),
            "variable": "gdp_deflator",
            "value": [100 * 1.02 ** (y - 2015) for y in years],
            "unit": "index",
            "source": "synthetic",
            "status": "reported",
        }
    )
    catalogue = pd.concat(
        [
            panel.catalogue,
            pd.DataFrame(
                [
                    {
                        "variable": "gdp_deflator",
                        "unit": "index",
                        "definition": "deflator",
                        "publisher": "test",
                        "source": "synthetic",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    return Panel.from_frames(pd.concat([panel.data, extra], ignore_index=True), catalogue, panel.sources)


@pytest.fixture(scope="session")
def deflated_panel(synthetic_panel) -> Panel:
    return with_deflator(synthetic_panel)
