"""The report's sections in order. Each module has ``build(ctx) -> Section``; the methods section, built last,
also receives the sections before it (their conventions are printed there)."""

from __future__ import annotations

from coreduce.report.i18n import Text
from coreduce.report.sections import costatus, framework, methods, nqpf, trends


def plan(t: Text) -> list[tuple[str, str, object]]:
    """(key, title, builder) of every section before the methods section."""
    return [
        ("framework", t("sec.framework", "理论框架", "Framework"), framework.build),
        ("national_trends", t("sec.national", "全国趋势", "National trends"), trends.national),
        ("regional_trends", t("sec.regional", "四大区域趋势", "Trends of the four regions"), trends.regional),
        ("provinces", t("sec.provinces", "省级协同状态", "Provincial co-reduction status"), costatus.provinces_section),
        ("drivers", t("sec.drivers", "驱动因素分解（LMDI）", "Drivers (LMDI decomposition)"), costatus.drivers_section),
        (
            "nqpf",
            t("sec.nqpf", "新质生产力与区域差异", "New quality productive forces and regional imbalance"),
            nqpf.build,
        ),
    ]


__all__ = ["methods", "plan"]
