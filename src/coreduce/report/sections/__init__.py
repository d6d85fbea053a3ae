"""The report's sections in order. Each module has ``build(ctx) -> Section``; the methods section, built last,
also receives the sections before it (their conventions are printed there)."""

from __future__ import annotations

from coreduce.report.i18n import Text
from coreduce.report.sections import costatus, effect, finance, framework, market, methods, nqpf, trends
from coreduce.report.sections.base import started

LAST = ("framework", "nqpf", "nqpf_effect")
"""Sections built after the others (still shown in plan order): they wait for what a second process computes
meanwhile (the NQPF index's regional imbalance, the NQPF-effect estimates), and while they wait this process
draws the figures of the sections already built instead of idling."""


def start_early(wanted) -> dict:
    """Start now, before the panel is read, the analysis of the ``wanted`` sections that needs no panel: the
    carbon market's (reading the GEM workbook and matching), in a process of its own; returns the entries of
    :attr:`~coreduce.report.sections.base.Context.pending` (empty without a second process)."""
    return started(market.background(), "market") if "market" in wanted else {}


def start_background(ctx, wanted) -> None:
    """Start in a second process the analyses of the ``wanted`` sections that need scipy's statistics and
    linearmodels (which this process then never imports): the NQPF index and its regional imbalance, then the
    NQPF-effect estimates (the longest analysis); and in a third the carbon market's (reading the GEM workbook)."""
    keys, jobs = [], []
    if "nqpf" in wanted:
        keys, jobs = ["nqpf", "imbalance"], [nqpf.background(ctx)]
    if {"framework", "nqpf_effect"} & set(wanted):
        keys, jobs = [*keys, "nqpf_effect"], [*jobs, effect.background(ctx)]

    def job():
        for part in jobs:
            yield from part()

    if keys:
        ctx.ahead(job, *keys)
    if "market" in wanted:  # a process of its own (unless :func:`start_early` started it)
        ctx.ahead(market.background(ctx), "market")


def plan(t: Text) -> list[tuple[str, str, object]]:
    """(key, title, builder) of every section before the methods section."""
    return [
        ("framework", t("sec.framework"), framework.build),
        ("national_trends", t("sec.national"), trends.national),
        ("regional_trends", t("sec.regional"), trends.regional),
        ("provinces", t("sec.provinces"), costatus.provinces_section),
        ("drivers", t("sec.drivers"), costatus.drivers_section),
        (
            "nqpf",
            t("sec.nqpf"),
            nqpf.build,
        ),
        ("nqpf_effect", t("sec.nqpf_effect"), effect.build),
        ("market", t("sec.market"), market.build),
        ("finance", t("sec.finance"), finance.build),
    ]


__all__ = ["methods", "plan"]
