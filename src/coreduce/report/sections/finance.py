"""Section 8: the regional green-finance gap and the pilot zones (:func:`coreduce.finance.regions.regions` on the
bundled panel): the Dagum Gini of the green-finance index by year, the pilot-zone event study, the DiD table and
the source values the reader's rules flag. Not in the default report (``sections`` must name ``finance``): its
source is a secondary, unverified construct, and the report says so above its figures."""

from __future__ import annotations

import pandas as pd

from coreduce.report.model import ReportFigure, ReportTable, Section
from coreduce.report.sections.base import Context
from coreduce.report.sections.common import conventions_text, localise, notes_text

SERIES = ("gf_index", "gf_credit", "gf_bond", "gf_investment", "gf_insurance", "gf_equity", "gf_fund")
DID_COLUMNS = ("outcome", "coef", "std_err", "p_value", "nobs", "provinces", "treated")
PLAUSIBILITY_COLUMNS = ("variable", "check", "province_years", "years")


def _result(ctx: Context):
    def compute():
        from coreduce.finance.conventions import FinanceConventions
        from coreduce.finance.regions import regions

        return regions(ctx.panel, FinanceConventions(grouping=ctx.grouping))

    return ctx.cached("finance", compute)


def _columns(frame: pd.DataFrame, columns: tuple[str, ...], t) -> pd.DataFrame:
    keep = [c for c in columns if c in frame.columns]
    return frame[keep].rename(columns={c: t.label("finance.column", c) for c in keep})


def build(ctx: Context) -> Section:
    from coreduce.report.figures.finance import event_study_figure, gini_figure

    t = ctx.t
    result = _result(ctx)
    gini = result.imbalance
    first, last = gini.iloc[0], gini.iloc[-1]
    intro = t("finance.intro", start=int(gini.index[0]), end=int(gini.index[-1]), g0=f"{first['G']:.3f}",
              g1=f"{last['G']:.3f}", flagged=len(result.flagged))  # fmt: skip
    figures = [ReportFigure("fig13_finance_gini", t("finance.fig.gini"), gini_figure(gini, ctx.lang),
                            gini.reset_index())]  # fmt: skip
    did = result.did
    if len(result.event_study):
        outcome = result.event_study["outcome"].iloc[0]
        figures.append(
            ReportFigure("fig14_finance_event", t("finance.fig.event", outcome=outcome),
                         event_study_figure(result.event_study, outcome, ctx.lang), result.event_study)
        )  # fmt: skip
    tables = [
        ReportTable("tab_finance_gini", t("finance.tab.gini"), localise(gini.reset_index(), t)),
        ReportTable("tab_finance_plausibility", t("finance.tab.plausibility"),
                    _columns(result.plausibility, PLAUSIBILITY_COLUMNS, t)),
    ]  # fmt: skip
    if len(did):
        tables.insert(1, ReportTable("tab_finance_did", t("finance.tab.did"), _columns(did, DID_COLUMNS, t)))
    return Section(
        key="finance",
        title=t("sec.finance"),
        text=[intro],
        figures=figures,
        tables=tables,
        conventions=conventions_text(result, ctx.lang),
        notes=notes_text(result, ctx.lang),
        series=SERIES,
    )
