"""Helpers for the reader tests: a scratch copy of the public data tree with chosen files broken."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def scratch_root(tmp_path: Path, shared_data: Path):
    """A function ``make(*relative_dirs)`` linking the public files of those folders into a fresh root.

    Tests then replace single files in the scratch root with broken copies; the public files are never touched.
    """

    def make(*folders: str) -> Path:
        root = tmp_path / "data"
        for folder in folders:
            target = root / folder
            target.mkdir(parents=True, exist_ok=True)
            for file in (shared_data / folder).iterdir():
                if file.is_file():
                    (target / file.name).symlink_to(file)
        return root

    return make
