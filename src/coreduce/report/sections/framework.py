"""Section 1: the framework of the paper (NQPF → three channels → co-reduction; obstacles)."""

from __future__ import annotations

from coreduce.report.figures.framework import framework_figure
from coreduce.report.model import Section
from coreduce.report.sections.base import Context


def build(ctx: Context) -> Section:
    t = ctx.t
    intro = t.pick(
        "新质生产力通过技术进步、产业升级和能源革命三条渠道推动减污降碳协同增效。本报告用公开数据检验这一框架："
        "全国与四大区域的排放和强度趋势、省级协同状态、驱动因素分解，以及新质生产力水平与区域差异。",
        "New quality productive forces (NQPF) drive the co-reduction of air pollution and carbon through three "
        "channels: technological progress, industrial upgrading and the energy revolution. This report confronts "
        "the framework with public data: national and regional trends in emissions and intensities, provincial "
        "co-reduction status, driver decompositions, and NQPF levels and regional imbalance.",
    )
    return Section(
        key="framework",
        title=t("sec.framework"),
        text=[intro],
        figures=[framework_figure(ctx.lang)],
    )
