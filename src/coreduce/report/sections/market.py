"""Section 7: China's national carbon market — allocation and positions by province, and matching under full and
limited information against the least-cost outcome (:mod:`coreduce.market`, on the GEM unit tracker)."""

from __future__ import annotations

import pandas as pd

from coreduce.report.model import ReportFigure, ReportTable, Section
from coreduce.report.sections.base import Context, SectionUnavailable
from coreduce.report.sections.common import conventions_text, notes_text

POSITION_COLUMNS = (
    "emissions_t",
    "allocation_t",
    "offsets_t",
    "position_t",
    "must_buy_t",
    "can_sell_t",
    "buyers",
    "sellers",
)
REGIME_COLUMNS = ("price", "volume_t", "abatement_t", "total_cost", "least_cost", "gains_realised")


def _compute():
    from coreduce.market import MarketConventions, positions, read_gem
    from coreduce.market.simulate import simulate

    try:
        units = read_gem()
    except FileNotFoundError as exc:
        raise SectionUnavailable(str(exc)) from None
    conv = MarketConventions()
    return positions(units, conv), simulate(units, conv)


def _results(ctx: Context):
    return ctx.cached("market", _compute)


def background(ctx: Context | None = None):
    """The section's analysis for a second process (key ``market``: reading the GEM workbook and matching; it
    needs no panel, so it may start before the panel is read)."""

    def job():
        yield _compute()

    return job


def _province(name: str, t) -> str:
    from coreduce.geo.provinces import resolve

    return t.pick(resolve(name).short_zh, name)


def _scaled(frame: pd.DataFrame, columns: tuple[str, ...], t, factors: dict[str, float]) -> pd.DataFrame:
    keep = [c for c in columns if c in frame.columns]
    out = frame[keep].copy()
    for column in keep:
        out[column] = out[column] / factors.get(column, 1.0)
    return out.rename(columns={c: t.label("market.column", c) for c in keep})


def build(ctx: Context) -> Section:
    from coreduce.market.plots import mac_figure, positions_figure

    t = ctx.t
    pos, sim = _results(ctx)
    mt = {c: 1e6 for c in POSITION_COLUMNS if c.endswith("_t")}
    provinces = _scaled(pos.provinces, POSITION_COLUMNS, t, mt)
    provinces.index = pd.Index([_province(name, t) for name in provinces.index], name=t("market.province"))
    nation = _scaled(pos.nation, POSITION_COLUMNS, t, mt)
    regimes = _scaled(
        sim.regimes,
        REGIME_COLUMNS,
        t,
        {"volume_t": 1e6, "abatement_t": 1e6} | dict.fromkeys(("total_cost", "least_cost"), 1e8),
    )
    regimes.index = pd.Index([t.label("market.regime", r) for r in regimes.index], name=t("market.matching"))
    row = sim.regimes.loc["full"]
    intro = t("market.intro", plan_year=sim.convention("plan_year"), units=len(pos.units))
    finding = t(
        "market.finding",
        price=f"{row['least_cost_price']:.2f}",
        bilateral=f"{sim.regimes.loc['bilateral', 'gains_realised'] * 100:.1f}",
        continuous=f"{sim.regimes.loc['continuous', 'gains_realised'] * 100:.1f}",
    )
    return Section(
        key="market",
        title=t("sec.market"),
        text=[intro, finding],
        figures=[
            ReportFigure(
                "fig11_market_positions",
                t("market.fig.positions"),
                positions_figure(pos, ctx.lang),
                pos.provinces.reset_index(),
            ),
            ReportFigure(
                "fig12_market_mac",
                t("market.fig.mac"),
                mac_figure(sim, ctx.lang),
                sim.mac[["unit_id", "option", "quantity_t", "cost"]],
            ),
        ],
        tables=[
            ReportTable("tab_market_nation", t("market.tab.nation"), nation, index=False),
            ReportTable(
                "tab_market_provinces",
                t("market.tab.provinces"),
                provinces,
                index=True,
            ),
            ReportTable(
                "tab_market_regimes",
                t("market.tab.regimes"),
                regimes,
                index=True,
            ),
        ],
        conventions=conventions_text(sim, ctx.lang),
        notes=notes_text(pos, ctx.lang) + notes_text(sim, ctx.lang),
    )
