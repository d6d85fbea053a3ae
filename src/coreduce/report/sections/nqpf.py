"""Section 6: the NQPF index (ranking, regional paths, weights) and its regional imbalance (Dagum Gini)."""

from __future__ import annotations

from coreduce.analysis.imbalance import imbalance
from coreduce.analysis.nqpf import nqpf_index
from coreduce.geo import load_grouping
from coreduce.i18n import message
from coreduce.indicators import IndicatorSystemError
from coreduce.report.figures.costatus import place_name
from coreduce.report.figures.nqpf import dagum_figure, density_figure, ranking_figure
from coreduce.report.model import ReportFigure, ReportTable, Section
from coreduce.report.sections.base import Context, SectionUnavailable
from coreduce.report.sections.common import conventions_text, localise, missing_table, notes_text

SYSTEMS = ("default", "long")
"""Indicator systems tried in turn: the default needs R&D and patent series; the long one does not."""


def index_result(ctx: Context):
    """The NQPF index with the first indicator system whose variables the panel has, and a note if not the first."""

    def compute():
        reasons = []
        for system in SYSTEMS:
            try:
                return nqpf_index(ctx.panel, ctx.conventions.replace(system=system)), reasons
            except IndicatorSystemError as exc:
                reasons.append(str(exc))
        raise SectionUnavailable("; ".join(reasons))

    return ctx.cached("nqpf", compute)


BETA_COLUMNS = {
    "region": ("区域", "region"),
    "form": ("形式", "form"),
    "beta": ("β", "β"),
    "std_error": ("标准误", "std. error"),
    "pvalue": ("p 值", "p-value"),
    "speed": ("收敛速度 λ", "speed λ"),
    "half_life": ("半衰期（年）", "half-life (years)"),
    "nobs": ("观测数", "observations"),
    "note": ("说明", "note"),
}


def beta_table(beta, t, labels_zh: dict[str, str]):
    """The β-convergence rows (all provinces and each region; absolute and conditional) in the report language."""
    frame = beta.reset_index() if "region" not in beta.columns else beta.copy()
    frame["region"] = [
        t.pick("全部省份", "all provinces") if r == "All" else t.pick(labels_zh.get(r, r), r) for r in frame["region"]
    ]
    frame["form"] = frame["form"].map(lambda f: t.pick({"absolute": "绝对", "conditional": "条件"}.get(f, f), f))
    keep = [c for c in BETA_COLUMNS if c in frame.columns]
    return frame[keep].rename(columns={c: t.pick(*BETA_COLUMNS[c]) for c in keep})


def dimension_name(key: str, lang: str) -> str:
    """An NQPF dimension's name in ``lang`` (its channel), from the catalogue; an unknown dimension as is."""
    from coreduce.i18n import has_message

    return message(f"dimension.{key}", lang) if has_message(f"dimension.{key}", lang) else key


def weights_table(weights, t):
    """The indicators and their weights, with dimension and direction named in the report's language."""
    frame = weights.copy()
    if t.lang == "zh":
        if "dimension" in frame.columns:
            frame["dimension"] = frame["dimension"].map(lambda d: dimension_name(d, t.lang))
        if "direction" in frame.columns:
            frame["direction"] = frame["direction"].map(lambda d: {"+": "正向", "-": "负向"}.get(d, d))
    return localise(frame, t)


def build(ctx: Context) -> Section:
    t = ctx.t
    res, fallbacks = index_result(ctx)
    grouping = load_grouping(ctx.grouping)
    scores = res.scores
    year = int(scores["year"].max())
    dims = [c for c in scores.columns if c not in ("geo", "province", "region", "year", "overall")]
    figures = [
        ReportFigure(
            "fig8_nqpf_ranking",
            t.pick(
                f"新质生产力水平：各省排名与区域路径（至 {year} 年）", f"NQPF: ranking and regional paths (to {year})"
            ),
            ranking_figure(scores, res.regions, ctx.lang, grouping.labels_zh, year),
            scores,
            t.pick(
                "综合得分由熵权-TOPSIS 等方法计算（见方法说明）；区域得分为成员省份的简单平均。",
                "Composite scores by the method recorded below (entropy-TOPSIS by default); regional scores are "
                "unweighted means of member provinces.",
            ),
        )
    ]
    last = scores[scores["year"] == year].sort_values("overall", ascending=False).reset_index(drop=True)
    ranking = last[["geo"]].copy()
    ranking.insert(0, t.pick("名次", "rank"), range(1, len(last) + 1))
    ranking[t.pick("省份", "province")] = [place_name(g, t) for g in last["geo"]]
    ranking[t.pick("区域", "region")] = [t.pick(grouping.labels_zh.get(r, r), r) for r in last["region"]]
    ranking[t.pick("综合得分", "overall")] = last["overall"]
    for dim in dims:
        ranking[t.pick(dimension_name(dim, "zh"), dim)] = last[dim]
    weights = res.weights.reset_index()
    keep = [
        c
        for c in ("indicator", "dimension", "direction", "label_zh" if ctx.lang == "zh" else "label_en", "weight")
        if c in weights.columns
    ]
    tables = [
        ReportTable(
            "table_nqpf_ranking", t.pick(f"新质生产力排名 {year}", f"NQPF ranking, {year}"), localise(ranking, t)
        ),
        ReportTable(
            "table_nqpf_weights", t.pick("指标与权重", "Indicators and weights"), weights_table(weights[keep], t)
        ),
    ]
    conventions = conventions_text(res, ctx.lang)
    notes = notes_text(res, ctx.lang)
    if fallbacks:
        notes.insert(0, message("report.nqpf.fallback", ctx.lang, reasons="; ".join(fallbacks)))
    missing = missing_table(res, "table_nqpf_missing", t)
    if missing:
        tables.append(missing)

    dag = ctx.cached("imbalance", lambda: imbalance(scores, "overall", ctx.conventions))
    main = dag.dagum
    figures.append(
        ReportFigure(
            "fig9_dagum",
            t.pick(
                "新质生产力的区域差异（Dagum 基尼系数分解）",
                "Regional imbalance of NQPF (Dagum Gini decomposition)",
            ),
            dagum_figure(main, dag.matrix, ctx.lang, grouping.labels_zh),
            main.reset_index(),
            t.pick(
                "G = 区域内 + 区域间（净）+ 超变密度（Dagum 1997）。",
                "G = within + net between + transvariation (Dagum 1997).",
            ),
        )
    )
    tables.append(
        ReportTable(
            "table_dagum", t.pick("Dagum 基尼系数分解", "Dagum Gini decomposition"), localise(main.reset_index(), t)
        )
    )
    kde = dag.kde
    kde_years = sorted(kde["year"].unique())
    shown = sorted({int(kde_years[0]), int(kde_years[len(kde_years) // 2]), int(kde_years[-1])})
    figures.append(
        ReportFigure(
            "fig10_nqpf_density",
            t.pick("新质生产力的分布动态（核密度估计）", "Distribution of NQPF scores (kernel density)"),
            density_figure(kde, ctx.lang, shown),
            kde[kde["year"].isin(shown)].reset_index(drop=True),
            t.pick(
                "Epanechnikov 核，带宽按 Stata 默认规则 h = 0.9·min(sd, IQR/1.349)·n^(−1/5)。",
                "Epanechnikov kernel, bandwidth by Stata's default rule h = 0.9·min(sd, IQR/1.349)·n^(−1/5).",
            ),
        )
    )
    tables.append(
        ReportTable(
            "table_convergence",
            t.pick("新质生产力的 β 收敛", "β-convergence of NQPF"),
            beta_table(dag.beta, t, grouping.labels_zh),
            caption=t.pick(
                "β < 0 且显著表示落后省份增长更快（收敛）；λ 为收敛速度，半衰期 = ln 2 / λ。",
                "β < 0 and significant: provinces behind grow faster (convergence); λ is the speed and the "
                "half-life is ln 2 / λ.",
            ),
        )
    )
    prefix = message("label.imbalance_prefix", ctx.lang)
    conventions.update({prefix + k: v for k, v in conventions_text(dag, ctx.lang).items()})
    return Section(
        key="nqpf",
        title=t("sec.nqpf"),
        figures=figures,
        tables=tables,
        conventions=conventions,
        notes=notes,
    )
