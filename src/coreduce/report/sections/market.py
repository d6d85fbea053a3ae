"""Section 7: China's national carbon market — allocation and positions by province, and matching under full and
limited information against the least-cost outcome (:mod:`coreduce.market`, on the GEM unit tracker)."""

from __future__ import annotations

import pandas as pd

from coreduce.report.model import ReportFigure, ReportTable, Section
from coreduce.report.sections.base import Context, SectionUnavailable
from coreduce.report.sections.common import conventions_text, notes_text

POSITION_COLUMNS = {
    "emissions_t": ("排放量（百万吨）", "emissions (Mt)"),
    "allocation_t": ("配额（百万吨）", "allocation (Mt)"),
    "offsets_t": ("CCER抵销（百万吨）", "CCER offsets (Mt)"),
    "position_t": ("盈缺（百万吨）", "position (Mt)"),
    "must_buy_t": ("需购买（百万吨）", "must buy (Mt)"),
    "can_sell_t": ("可出售（百万吨）", "can sell (Mt)"),
    "buyers": ("买方机组数", "buying units"),
    "sellers": ("卖方机组数", "selling units"),
}
REGIME_COLUMNS = {
    "price": ("价格（元/吨）", "price (CNY/t)"),
    "volume_t": ("成交量（百万吨）", "volume (Mt)"),
    "abatement_t": ("减排量（百万吨）", "abatement (Mt)"),
    "total_cost": ("总成本（亿元）", "total cost (100 million CNY)"),
    "least_cost": ("最低成本（亿元）", "least cost (100 million CNY)"),
    "gains_realised": ("交易收益实现比例", "share of gains realised"),
}
REGIME_NAMES = {
    "full": ("完全信息（统一集合竞价）", "full information (one call auction)"),
    "partial_book": ("部分订单簿", "partial book"),
    "bilateral": ("双边协商（首个对手方）", "bilateral, first counterparty"),
    "continuous": ("连续竞价（含涨跌幅限制）", "continuous book (price limits)"),
}


def _results(ctx: Context):
    def compute():
        from coreduce.market import MarketConventions, positions, read_gem
        from coreduce.market.simulate import simulate

        try:
            units = read_gem()
        except FileNotFoundError as exc:
            raise SectionUnavailable(str(exc)) from None
        conv = MarketConventions()
        return positions(units, conv), simulate(units, conv)

    return ctx.cached("market", compute)


def _province(name: str, t) -> str:
    from coreduce.geo.provinces import resolve

    return t.pick(resolve(name).short_zh, name)


def _scaled(frame: pd.DataFrame, columns: dict, t, factors: dict[str, float]) -> pd.DataFrame:
    keep = [c for c in columns if c in frame.columns]
    out = frame[keep].copy()
    for column in keep:
        out[column] = out[column] / factors.get(column, 1.0)
    return out.rename(columns={c: t.pick(*columns[c]) for c in keep})


def build(ctx: Context) -> Section:
    from coreduce.market.plots import mac_figure, positions_figure

    t = ctx.t
    pos, sim = _results(ctx)
    mt = {c: 1e6 for c in POSITION_COLUMNS if c.endswith("_t")}
    provinces = _scaled(pos.provinces, POSITION_COLUMNS, t, mt)
    provinces.index = pd.Index([_province(name, t) for name in provinces.index], name=t.pick("省份", "province"))
    nation = _scaled(pos.nation, POSITION_COLUMNS, t, mt)
    regimes = _scaled(
        sim.regimes,
        REGIME_COLUMNS,
        t,
        {"volume_t": 1e6, "abatement_t": 1e6} | dict.fromkeys(("total_cost", "least_cost"), 1e8),
    )
    regimes.index = [t.pick(*REGIME_NAMES.get(r, (r, r))) for r in regimes.index]
    regimes.index.name = t.pick("撮合方式", "matching")
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
                t.pick("各省份履约配额盈缺", "Compliance positions by province"),
                positions_figure(pos, ctx.lang),
                pos.provinces.reset_index(),
            ),
            ReportFigure(
                "fig12_market_mac",
                t.pick("发电机组边际减排成本曲线", "Marginal abatement cost curve"),
                mac_figure(sim, ctx.lang),
                sim.mac[["unit_id", "option", "quantity_t", "cost"]],
            ),
        ],
        tables=[
            ReportTable(
                "tab_market_nation", t.pick("全国配额与履约", "Allocation and compliance, China"), nation, index=False
            ),
            ReportTable(
                "tab_market_provinces",
                t.pick("各省份配额与履约", "Allocation and compliance by province"),
                provinces,
                index=True,
            ),
            ReportTable(
                "tab_market_regimes",
                t.pick("信息条件与配置效率", "Information and allocative efficiency"),
                regimes,
                index=True,
            ),
        ],
        conventions=conventions_text(sim, ctx.lang),
        notes=notes_text(pos, ctx.lang) + notes_text(sim, ctx.lang),
    )
