"""The report's sections in order. Each module has ``build(ctx) -> Section``; the methods section, built last,
also receives the sections before it (their conventions are printed there)."""

from __future__ import annotations

from coreduce.report.i18n import Text
from coreduce.report.sections import framework, methods


def plan(t: Text) -> list[tuple[str, str, object]]:
    """(key, title, builder) of every section before the methods section."""
    return [
        ("framework", t("sec.framework", "理论框架", "Framework"), framework.build),
    ]


__all__ = ["methods", "plan"]
