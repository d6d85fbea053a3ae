"""Section 6: the NQPF index (ranking, regional paths, weights) and its regional imbalance (Dagum Gini)."""

from __future__ import annotations

from coreduce.analysis.nqpf import nqpf_index
from coreduce.geo import load_grouping, provinces
from coreduce.i18n import message
from coreduce.indicators import IndicatorSystemError
from coreduce.report.caveats import beta_caveats
from coreduce.report.figures.costatus import place_name
from coreduce.report.figures.nqpf import dagum_figure, density_figure, ranking_figure
from coreduce.report.model import ReportFigure, ReportTable, Section
from coreduce.report.sections.base import Context, SectionUnavailable
from coreduce.report.sections.common import conventions_text, localise, missing_table, notes_text

SYSTEMS = ("default", "long")
"""Indicator systems tried in turn: the default needs R&D and patent series; the long one does not."""


def _index(ctx: Context):
    """The NQPF index with the first indicator system whose variables the panel has, and why others failed."""
    reasons = []
    for system in SYSTEMS:
        try:
            return nqpf_index(ctx.panel, ctx.conventions.replace(system=system)), reasons
        except IndicatorSystemError as exc:
            reasons.append(str(exc))
    raise SectionUnavailable("; ".join(reasons))


def _imbalance(ctx: Context, scores):
    from coreduce.analysis.imbalance import imbalance  # β-convergence imports linearmodels and scipy.stats

    return imbalance(scores, "overall", ctx.conventions)


def index_result(ctx: Context):
    """The NQPF index with the first indicator system whose variables the panel has, and a note if not the first."""
    return ctx.cached("nqpf", lambda: _index(ctx))


def background(ctx: Context):
    """The section's analyses for a second process: the index (key ``nqpf``), then its imbalance
    (``imbalance``)."""

    def job():
        res, reasons = _index(ctx)
        yield res, reasons
        yield _imbalance(ctx, res.scores)

    return job


BETA_COLUMNS = ("region", "form", "beta", "std_error", "pvalue", "speed", "half_life", "nobs", "note")
"""Columns of the β-convergence table (labels ``report.beta_column.<name>``)."""


def beta_table(beta, t, labels_zh: dict[str, str], sizes: dict[str, int] | None = None):
    """The β-convergence rows (all provinces and each region; absolute and conditional) in the report language,
    and the caveats of fragile rows (few provinces in the region, half-life under a year; ``sizes``: region →
    number of provinces), which the table's note column marks."""
    frame = beta.reset_index() if "region" not in beta.columns else beta.copy()
    names = {r: t("nqpf.all_provinces") if r == "All" else t.pick(labels_zh.get(r, r), r) for r in frame["region"]}
    caveats = beta_caveats(frame, sizes, names, t) if sizes else []
    frame["region"] = frame["region"].map(names)
    frame["form"] = frame["form"].map(lambda f: t.label("beta_form", f))
    keep = [c for c in BETA_COLUMNS if c in frame.columns]
    return frame[keep].rename(columns={c: t.label("beta_column", c) for c in keep}), caveats


def dimension_name(key: str, lang: str) -> str:
    """An NQPF dimension's name in ``lang`` (its channel), from the catalogue; an unknown dimension as is."""
    from coreduce.i18n import has_message

    return message(f"dimension.{key}", lang) if has_message(f"dimension.{key}", lang) else key


def weights_table(weights, t):
    """The indicators and their weights, with dimension and direction named in the report's language."""
    frame = weights.copy()
    if "dimension" in frame.columns and t.lang == "zh":  # the English table keeps the dimension codes
        frame["dimension"] = frame["dimension"].map(lambda d: dimension_name(d, t.lang))
    if "direction" in frame.columns:
        names = {"+": "positive", "-": "negative"}
        frame["direction"] = frame["direction"].map(lambda d: t.label("direction", names.get(d, d)))
    return localise(frame, t)


def left_out(res, year: int, lang: str = "en") -> dict[str, str]:
    """Provinces the NQPF index could not score in ``year`` → the dimensions (or indicators) lacking, in ``lang``,
    named with the reason on the ranking figure."""
    scored = set(res.scores.loc[res.scores["year"] == year, "geo"])
    reasons = {
        m.geo: dict(m.params).get(f"lacking_{lang}", m.series)
        for m in res.missing
        if m.reason == "missing.nqpf_left_out"
    }
    return {p.code: reasons.get(p.code, "") for p in provinces() if p.code not in scored}


def _index_part(ctx: Context, res, grouping) -> tuple[list[ReportFigure], list[ReportTable]]:
    """The ranking figure, the ranking of the last year and the indicator weights."""
    t = ctx.t
    scores = res.scores
    year = int(scores["year"].max())
    dims = [c for c in scores.columns if c not in ("geo", "province", "region", "year", "overall")]
    figure = ReportFigure(
        "fig8_nqpf_ranking",
        t("nqpf.nqpf_ranking_regional_paths_year", year=year),
        ranking_figure(scores, res.regions, ctx.lang, grouping.labels_zh, year, left_out(res, year, ctx.lang)),
        scores,
        t("nqpf.composite_scores_method_recorded_below"),
    )
    last = scores[scores["year"] == year].sort_values("overall", ascending=False).reset_index(drop=True)
    ranking = last[["geo"]].copy()
    ranking.insert(0, t("nqpf.rank"), range(1, len(last) + 1))
    ranking[t("nqpf.province")] = [place_name(g, t) for g in last["geo"]]
    ranking[t("nqpf.region")] = [t.pick(grouping.labels_zh.get(r, r), r) for r in last["region"]]
    ranking[t("nqpf.overall")] = last["overall"]
    for dim in dims:
        ranking[t.pick(dimension_name(dim, "zh"), dim)] = last[dim]
    weights = res.weights.reset_index()
    label = "label_zh" if ctx.lang == "zh" else "label_en"
    keep = [c for c in ("indicator", "dimension", "direction", label, "weight") if c in weights.columns]
    tables = [
        ReportTable("table_nqpf_ranking", t("nqpf.nqpf_ranking_year", year=year), localise(ranking, t)),
        ReportTable("table_nqpf_weights", t("nqpf.indicators_weights"), weights_table(weights[keep], t)),
    ]
    missing = missing_table(res, "table_nqpf_missing", t, window=(ctx.conventions.start, ctx.conventions.end))
    return [figure], tables + ([missing] if missing else [])


def _imbalance_part(ctx: Context, scores, grouping):
    """The Dagum decomposition, the kernel densities of three years and the β-convergence of the scores."""
    t = ctx.t
    dag = ctx.cached("imbalance", lambda: _imbalance(ctx, scores))
    main = dag.dagum.reset_index()
    kde = dag.kde
    kde_years = sorted(kde["year"].unique())
    shown = sorted({int(kde_years[0]), int(kde_years[len(kde_years) // 2]), int(kde_years[-1])})
    used = dag.conventions_frame(ctx.lang).set_index("key")["value"]
    sizes = {region: len(members) for region, members in grouping.groups.items()}
    beta, caveats = beta_table(dag.beta, t, grouping.labels_zh, sizes)
    figures = [
        ReportFigure(
            "fig9_dagum",
            t("nqpf.regional_imbalance_nqpf_dagum_gini"),
            dagum_figure(dag.dagum, dag.matrix, ctx.lang, grouping.labels_zh),
            main,
            t("nqpf.g_within_net_between_transvariation"),
        ),
        ReportFigure(
            "fig10_nqpf_density",
            t("nqpf.distribution_nqpf_scores_kernel_density"),
            density_figure(kde, ctx.lang, shown),
            kde[kde["year"].isin(shown)].reset_index(drop=True),
            t("nqpf.density_caption", kernel=used["kernel"], bandwidth=used["bandwidth"]),
        ),
    ]
    tables = [
        ReportTable("table_dagum", t("nqpf.dagum_gini_decomposition"), localise(main, t)),
        ReportTable(
            "table_convergence",
            t("nqpf.convergence_nqpf"),
            beta,
            caption=" ".join([t("nqpf.0_significant_provinces_behind_grow"), *caveats]),
        ),
    ]
    prefix = message("label.imbalance_prefix", ctx.lang)
    return figures, tables, {prefix + k: v for k, v in conventions_text(dag, ctx.lang).items()}, caveats


def build(ctx: Context) -> Section:
    """The NQPF index (ranking, regional paths, weights) and its regional imbalance."""
    res, fallbacks = index_result(ctx)
    grouping = load_grouping(ctx.grouping)
    figures, tables = _index_part(ctx, res, grouping)
    more_figures, more_tables, imbalance_conventions, caveats = _imbalance_part(ctx, res.scores, grouping)
    notes = notes_text(res, ctx.lang) + caveats
    if fallbacks:
        notes.insert(0, message("report.nqpf.fallback", ctx.lang, reasons="; ".join(fallbacks)))
    return Section(
        key="nqpf",
        title=ctx.t("sec.nqpf"),
        figures=figures + more_figures,
        tables=tables + more_tables,
        conventions={**conventions_text(res, ctx.lang), **imbalance_conventions},
        notes=notes,
    )
