"""Helpers shared by the factor builders: one library row with the defaults, and name slugs."""

from __future__ import annotations

import numpy as np

from coreduce.accounting.library import ANY


def row(**kw) -> dict:
    """A library row: ``*`` (any) for every identifying field not given, no year, verified and reported."""
    base = dict.fromkeys(("fuel", "sector", "technology", "region", "material", "mode"), ANY)
    base.update(year=np.nan, verified=True, status="reported", note="")
    base.update(kw)
    return base


def slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "_" for ch in str(text).strip())
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")
