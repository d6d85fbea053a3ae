from pathlib import Path

import pytest

from coreduce.paths import shared_data_dir


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The public source files in ../shared/data (the checkout's sibling); skip when absent."""
    root = shared_data_dir()
    if not (root / "PROVENANCE.md").exists():
        pytest.skip(f"public data not found at {root}: set COREDUCE_SHARED_DATA or place shared/ beside the checkout")
    return root


@pytest.fixture(scope="session")
def bundled_panel():
    """The panel shipped with coreduce (built from the public data); skip when it is absent."""
    from coreduce.data import BundledDataMissingError, load_bundled

    try:
        return load_bundled()
    except BundledDataMissingError as exc:
        pytest.skip(str(exc))


@pytest.fixture(autouse=True)
def _isolated_user_dir(tmp_path, monkeypatch):
    """Every test gets its own coreduce home so no test touches the user's store."""
    monkeypatch.setenv("COREDUCE_HOME", str(tmp_path / "coreduce-home"))
