"""Fixtures for every test folder: the public data folder, the bundled panel, an isolated coreduce home, and a
guard that fails any test whose process opens a connection beyond this machine (no test may need the network).

The guard (:mod:`helpers.network`) wraps the sockets of the test process; a test whose code tried to reach
another host fails even if the error was caught.
"""

from pathlib import Path

import pytest

from coreduce.paths import shared_data_dir
from helpers.network import attempts, guard_sockets

guard_sockets()


@pytest.fixture(autouse=True)
def _no_network():
    """Fail the test if it (or a fixture before it) tried to reach another host, even when the error was caught."""
    yield
    tried = attempts(clear=True)
    if tried:
        pytest.fail(f"the test tried to use the network: {'; '.join(tried[:3])}")


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
