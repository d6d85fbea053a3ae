"""The section that reports the estimated NQPF effect on coupling coordination as found, with its robustness
checks, and why the coupling coordination degree saturates."""

from __future__ import annotations

import pandas as pd

from coreduce.data.panel import MissingSeriesError
from coreduce.report.model import ReportTable, Section
from coreduce.report.sections.base import Context, SectionUnavailable
from coreduce.report.sections.common import conventions_text, missing_table, notes_text, source_line


def _compute(ctx: Context):
    def compute():
        from coreduce.analysis.nqpf_effect import nqpf_effect  # its regressions import scipy.stats (0.4 s)

        return nqpf_effect(ctx.panel, ctx.conventions)

    return compute


def result(ctx: Context):
    return ctx.cached("nqpf_effect", _compute(ctx))


def background(ctx: Context):
    """The section's analysis for a second process (key ``nqpf_effect``; the report's longest)."""

    def job():
        yield _compute(ctx)()

    return job


def _robustness(ctx: Context, res) -> ReportTable:
    t = ctx.t
    est = res.estimates
    frame = pd.DataFrame(
        {
            t("effect.spec"): [
                t(f"effect.spec.{s}", value=v) for s, v in zip(est["spec"], est["changed"], strict=True)
            ],
            t("effect.coef"): est["coef"].to_numpy(),
            t("effect.se"): est["std_err"].to_numpy(),
            t("effect.p"): est["p_value"].to_numpy(),
            t("effect.ci"): [f"[{a:.3f}, {b:.3f}]" for a, b in zip(est["ci_low"], est["ci_high"], strict=True)],
            t("effect.nobs"): est["nobs"].to_numpy(),
            t("effect.provinces"): est["provinces"].to_numpy(),
            t("effect.years"): [f"{a}–{b}" for a, b in zip(est["first_year"], est["last_year"], strict=True)],
        }
    )
    caption = " ".join([t("effect.robustness_caption"), source_line(res, ctx.t)])
    return ReportTable("table_nqpf_effect", t("effect.robustness_title"), frame, caption=caption, full=est)


def _saturation(ctx: Context, res) -> list[ReportTable]:
    t = ctx.t
    sat = res.saturation
    start, end = ctx.conventions.start, ctx.conventions.end
    frame = pd.DataFrame(
        {
            t("effect.bounds"): [t(f"convention.coupling_bounds.{b}") for b in sat["coupling_bounds"]],
            t("effect.form"): [t(f"convention.coupling_form.{f}") for f in sat["coupling_form"]],
            t("effect.top_band", end=end): [
                f"{a} / {b}" for a, b in zip(sat["top_band"], sat["provinces"], strict=True)
            ],
            t("effect.median", what="C", year=end): sat["median_C"].to_numpy(),
            t("effect.median", what="T", year=end): sat["median_T"].to_numpy(),
            t("effect.median", what="D", year=end): sat["median_D"].to_numpy(),
            t("effect.median", what="D", year=start): sat["median_D_first"].to_numpy(),
        }
    )
    ind = res.indicators
    skew = pd.DataFrame(
        {
            t("effect.indicator"): ind["indicator"].to_numpy(),
            t("effect.skewness"): ind["skewness"].to_numpy(),
            t("effect.max_over_median"): ind["max_over_median"].to_numpy(),
            t("effect.max_at"): [f"{g} {y}" for g, y in zip(ind["max_geo"], ind["max_year"], strict=True)],
        }
    )
    return [
        ReportTable("table_coupling_saturation", t("effect.saturation_title", end=end), frame,
                    caption=" ".join([t("effect.saturation_caption"), source_line(res, ctx.t)])),
        ReportTable("table_coupling_skewness", t("effect.skewness_title"), skew, caption=source_line(res, ctx.t)),
    ]  # fmt: skip


def build(ctx: Context) -> Section:
    """The finding, the robustness table and the saturation tables."""
    res = result(ctx)
    if res.estimates.empty:
        reasons = "; ".join(m.reason_text(ctx.lang) for m in res.missing)
        raise SectionUnavailable(ctx.t("effect.unavailable", reasons=reasons))
    tables = [_robustness(ctx, res), *_saturation(ctx, res)]
    missing = missing_table(res, "table_nqpf_effect_missing", ctx.t)
    if missing:
        tables.append(missing)
    return Section(
        key="nqpf_effect",
        title=ctx.t("sec.nqpf_effect"),
        text=notes_text(res, ctx.lang),
        tables=tables,
        conventions=conventions_text(res, ctx.lang),
    )


def framework_caveat(ctx: Context) -> str:
    """One sentence for the framework page: the hypothesis is tested, and what the estimate says (nothing when
    the estimate cannot be made; its own section then says why). The result is shared with that section without
    counting as a series of the framework page, whose figure is drawn from no data."""
    try:
        est = ctx.cached("nqpf_effect", _compute(ctx), record=False).estimates
    except (MissingSeriesError, ValueError):
        return ""
    if est.empty:
        return ""
    base = est.iloc[0]
    sign = ctx.t("effect.negative" if base["coef"] < 0 else "effect.positive")
    return ctx.t("effect.framework_caveat", coef=f"{base['coef']:.3f}", p=f"{base['p_value']:.2f}", sign=sign)
