"""Section 1: the framework of the paper (NQPF → three channels → co-reduction; obstacles)."""

from __future__ import annotations

from coreduce.report.figures.framework import framework_figure
from coreduce.report.model import Section
from coreduce.report.sections.base import Context
from coreduce.report.sections.effect import framework_caveat


def build(ctx: Context) -> Section:
    t = ctx.t
    intro = t("framework.new_quality_productive_forces_nqpf")
    caveat = framework_caveat(ctx)
    return Section(
        key="framework",
        title=t("sec.framework"),
        text=[intro, *([caveat] if caveat else [])],
        figures=[framework_figure(ctx.lang)],
    )
