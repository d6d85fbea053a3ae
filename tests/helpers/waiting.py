"""Polling for a condition that another thread or process makes true."""

from __future__ import annotations

import time


def wait_for(predicate, timeout: float = 10.0) -> bool:
    """Call ``predicate`` every 50 ms until it returns true (→ True) or ``timeout`` seconds pass (→ False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
