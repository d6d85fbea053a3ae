"""Helpers shared by the exchange tests (imported by module name, never from conftest)."""

from __future__ import annotations

import time


def wait_for(predicate, timeout=10.0) -> bool:
    """Poll ``predicate`` every 50 ms until it is true (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
