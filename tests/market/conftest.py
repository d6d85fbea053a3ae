import pandas as pd
import pytest

from coreduce.market.units import read_gem


@pytest.fixture(scope="session")
def gem_units(shared_data) -> pd.DataFrame:
    """China's operating units of the GEM tracker (read once per session)."""
    return read_gem(shared_data / "gem_gcpt" / "Global-Coal-Plant-Tracker-July-2023.xlsx")
