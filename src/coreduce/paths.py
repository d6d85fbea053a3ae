"""Where coreduce looks for things on disk: the public data folder and the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir


def shared_data_dir() -> Path:
    """The folder of public source files: ``$COREDUCE_SHARED_DATA``, else ``../shared/data`` beside the checkout."""
    env = os.environ.get("COREDUCE_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "data"


def user_dir() -> Path:
    """The user's coreduce data directory (``$COREDUCE_HOME`` or the platform's user data dir)."""
    return Path(os.environ.get("COREDUCE_HOME") or user_data_dir("coreduce", appauthor=False))


def default_store_path() -> Path:
    """The embedded panel store: ``$COREDUCE_STORE`` if set, else ``user_dir() / "coreduce.duckdb"``."""
    env = os.environ.get("COREDUCE_STORE")
    return Path(env) if env else user_dir() / "coreduce.duckdb"
