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


@pytest.fixture
def broken_csv(tmp_path: Path, shared_data: Path):
    """A function ``make(relative_path, edit)`` writing ``edit(frame)`` of a public CSV into a scratch root.

    ``frame`` holds the file's cells as text; the function returns the scratch root (same relative layout).
    """

    def make(relative: str, edit) -> Path:
        import pandas as pd

        frame = pd.read_csv(shared_data / relative, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        root = tmp_path / "broken"
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        edit(frame).to_csv(target, index=False)
        return root

    return make


@pytest.fixture(scope="session")
def read_once(shared_data: Path):
    """A function ``get(name)`` returning the named reader's output on the public data, read once per session."""
    from coreduce.data.readers import reader

    cache = {}

    def get(name: str):
        if name not in cache:
            cache[name] = reader(name).read(shared_data)
        return cache[name]

    return get
