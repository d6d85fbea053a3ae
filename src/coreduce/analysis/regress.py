"""Does NQPF promote pollution–carbon co-reduction? Fixed-effects, mediation and regional-heterogeneity tests.

Data (province × year), each column built from the panel and recorded in the conventions:

* treatment ``nqpf``: the overall NQPF index of :func:`coreduce.analysis.nqpf.nqpf_index` (its own conventions
  are recorded too);
* outcome: ``"coupling"`` — the coupling coordination degree D of the pollution-reduction and carbon-reduction
  subsystems (:func:`coreduce.analysis.imbalance.synergy_measure`, higher = more co-reduction), or any formula
  over panel variables such as ``"log(co2_ceds / gdp)"``;
* controls and channel (mediator) variables: formulas over panel variables (``name=formula``).

Models (two-way fixed effects, :func:`coreduce.methods.econometrics.panel_fe`):

1. outcome on nqpf with province and year effects; 2. with the controls; then one model per region of the
grouping (heterogeneity), and the mediation of the nqpf effect through each channel (indirect effect a·b with
entity-bootstrap percentile intervals, :func:`coreduce.methods.econometrics.mediation`).

Caveat recorded in the notes: the default channel variables are also inputs of the default NQPF index, so their
mediation shares describe the composition of the index as much as a causal path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from coreduce.analysis._aggregate import years_by_geo
from coreduce.analysis._shared import shared
from coreduce.analysis.conventions import ProvinceConventions
from coreduce.analysis.tables import RegressionTable, write_table
from coreduce.conventions import Convention
from coreduce.data.panel import Panel
from coreduce.geo import load_grouping, provinces
from coreduce.indicators.formula import evaluate, variables
from coreduce.methods.econometrics import RegressionError, mediation, panel_fe
from coreduce.results import Missing, Note, Result, year_span

DEFAULT_CONTROLS = {"ln_gdp_pc": "log(gdp / population)", "ln_population": "log(population)"}
DEFAULT_MEDIATORS = {
    "technology": "rd_expenditure / gdp",
    "industry": "va_tertiary / va_secondary",
    "energy": "electricity_nonfossil / electricity_generation",
}


def _check_specs(panel: Panel, specs: Mapping[str, str], what: str) -> list[str]:
    """The panel variables the formulas need; an error names the formulas whose series the panel lacks."""
    needed: list[str] = []
    for name, formula in specs.items():
        needed += variables(formula, where=f"{what} {name}")
    absent = [v for v in dict.fromkeys(needed) if v not in panel.variables]
    if absent:
        users = [n for n, f in specs.items() if set(variables(f)) & set(absent)]
        raise RegressionError(f"{what} {', '.join(users)}: the panel has no series {', '.join(absent)}")
    return list(dict.fromkeys(needed))


def _formula_columns(panel: Panel, specs: Mapping[str, str], what: str) -> pd.DataFrame:
    """(geo, year) × name frame of each formula over the 31 provinces; errors name the spec and variable.

    Computed once per panel and formulas within a :func:`~coreduce.analysis._shared.shared_results` block (the
    NQPF-effect specifications share their controls)."""
    if not specs:
        return pd.DataFrame(index=pd.MultiIndex.from_tuples([], names=["geo", "year"]))
    return shared("regress.formulas", panel, None, (), lambda: _evaluated(panel, specs, what), tuple(specs.items()))


def _evaluated(panel: Panel, specs: Mapping[str, str], what: str) -> pd.DataFrame:
    """The formulas evaluated on the provinces' rows of the panel (±inf as NaN)."""
    needed = _check_specs(panel, specs, what)
    wide = panel.wide(needed, [p.code for p in provinces()])
    out = pd.DataFrame({name: evaluate(f, wide, where=f"{what} {name}") for name, f in specs.items()}, index=wide.index)
    return out.replace([np.inf, -np.inf], np.nan)


def missing_rows(frame: pd.DataFrame, reason: str = "missing.row_left_out") -> list[Missing]:
    return [
        Missing.of(col, geo, year_span(years), reason)
        for col in frame.columns
        for geo, years in years_by_geo(frame[col].isna())
    ]


@dataclass
class RegressionData:
    """The province-year frame of a regression with what went into it."""

    frame: pd.DataFrame
    outcome: str
    controls: list[str]
    mediators: list[str]
    conventions: tuple[Convention, ...]
    sources: pd.DataFrame
    notes: list[Note] = field(default_factory=list)


def _outcome(panel: Panel, outcome: str, c: ProvinceConventions):
    """The outcome series, its conventions and sources: the coupling coordination degree D over the index
    years, or a formula over panel variables."""
    from coreduce.analysis.imbalance import synergy_measure

    if outcome == "coupling":
        frame, status = synergy_measure(panel, c)
        y = frame.set_index(["geo", "year"])["coupling_D"].rename("coupling")
        rules = (Convention("regress_outcome", "coupling"), *status.conventions)
        return y, "coupling", rules, status.sources
    y = _formula_columns(panel, {outcome: outcome}, "outcome")[outcome]
    return y, outcome, (Convention("regress_outcome", outcome),), panel.attribution(variables(outcome))


def regression_data(
    panel: Panel,
    conventions: ProvinceConventions | None = None,
    *,
    outcome: str = "coupling",
    controls: Mapping[str, str] | None = None,
    mediators: Mapping[str, str] | None = None,
) -> RegressionData:
    """Build the (geo, year)-indexed frame: ``nqpf``, the outcome, the controls and the channel variables.

    The NQPF index uses the conventions (system, method, window); the outcome's co-reduction status runs over
    the years of the index."""
    from coreduce.analysis.nqpf import nqpf_index

    c = conventions or ProvinceConventions()
    controls = dict(DEFAULT_CONTROLS if controls is None else controls)
    mediators = dict(DEFAULT_MEDIATORS if mediators is None else mediators)
    clash = set(controls) & set(mediators) | ({"nqpf"} & (set(controls) | set(mediators)))
    if clash:
        raise RegressionError(f"names used twice among nqpf, controls and mediators: {', '.join(sorted(clash))}")
    if outcome != "coupling":
        _check_specs(panel, {outcome: outcome}, "outcome")
    _check_specs(panel, controls, "control")
    _check_specs(panel, mediators, "mediator")
    index = nqpf_index(panel, c)
    nq = index.scores.set_index(["geo", "year"])["overall"].rename("nqpf")
    years = nq.index.get_level_values("year")
    first, last = int(years.min()), int(years.max())
    y, name, outcome_rules, outcome_sources = _outcome(panel, outcome, c.replace(start=first, end=last))
    parts = [nq, y.rename(name), _formula_columns(panel, controls, "control")]
    frame = pd.concat([*parts, _formula_columns(panel, mediators, "mediator")], axis=1, join="outer").sort_index()
    year = frame.index.get_level_values("year")
    frame = frame[(year >= first) & (year <= last)]
    frame = frame[frame.index.get_level_values("geo").isin([p.code for p in provinces()])]
    needed = [v for f in [*controls.values(), *mediators.values()] for v in variables(f)]
    sources = [index.sources, outcome_sources, panel.attribution(needed)]
    conventions = (
        *index.conventions,
        *[r for r in outcome_rules if r.key not in {x.key for x in index.conventions}],
        Convention("regress_controls", tuple(f"{k} = {v}" for k, v in controls.items())),
        Convention("regress_mediators", tuple(f"{k} = {v}" for k, v in mediators.items())),
        Convention("regress_years", (first, last)),
    )
    return RegressionData(
        frame=frame,
        outcome=name,
        controls=list(controls),
        mediators=list(mediators),
        conventions=conventions,
        sources=pd.concat(sources, ignore_index=True).drop_duplicates().reset_index(drop=True),
        notes=[*index.notes, Note.of("note.regress.absent_controls")],
    )


@dataclass(kw_only=True)
class RegressionResult(Result):
    """The fixed-effects models (main table ``table``: the regression table in the economists' layout), the
    numbers behind them and the regression tables for LaTeX/HTML/RTF export."""

    title: ClassVar[str] = "result.regress"
    main: ClassVar[str] = "table"

    table: pd.DataFrame
    coefficients: pd.DataFrame
    mediation: pd.DataFrame
    """One row per channel (empty when the mediation was not run)."""
    heterogeneity: pd.DataFrame
    """One row per region (empty when not run)."""
    data: pd.DataFrame
    regression_tables: dict[str, RegressionTable] = field(default_factory=dict)

    def export(self, path, which: str = "main"):
        """Write regression table ``which`` (``main`` or ``heterogeneity``) by suffix: .tex, .html, .rtf, …"""
        return write_table(self.regression_tables, which, path)


def _mediation_table(data: RegressionData, fe: dict, n_boot: int, level: float, seed: int) -> pd.DataFrame:
    meds = mediation(
        data.frame, data.outcome, "nqpf", data.mediators, data.controls, **fe, n_boot=n_boot, level=level, seed=seed
    )
    return pd.DataFrame(
        [
            {
                "channel": m.mediator,
                "a (nqpf → channel)": m.a,
                "b (channel → outcome)": m.b,
                "indirect a·b": m.indirect,
                f"ci_low ({level:.0%})": m.ci_low,
                f"ci_high ({level:.0%})": m.ci_high,
                "direct c'": m.direct,
                "total c": m.total,
                "share of total": m.share,
                "N": m.nobs,
            }
            for m in meds
        ]
    )


def _heterogeneity(data: RegressionData, grouping: str, opts: dict):
    """One model per region of the grouping; rows of the table and the fitted models."""
    groups = load_grouping(grouping)
    models, rows = [], []
    regressors = ["nqpf", *data.controls]
    for region, members in groups.groups.items():
        sub = data.frame[data.frame.index.get_level_values("geo").isin(members)]
        try:
            fit = panel_fe(sub, data.outcome, regressors, name=region, **opts)
        except RegressionError as exc:
            rows.append({"region": region, "members": len(members), "note": str(exc)})
            continue
        models.append(fit)
        rows.append(
            {
                "region": region,
                "members": len(members),
                "coef": fit.params["nqpf"],
                "std_err": fit.std_errors["nqpf"],
                "p_value": fit.pvalues["nqpf"],
                "N": fit.nobs,
                "clusters": fit.n_clusters,
                "note": "few clusters: clustered errors unreliable" if (fit.n_clusters or 99) < 10 else "",
            }
        )
    table = None
    if models:
        table = RegressionTable(
            models,
            order=regressors,
            title=f"NQPF and {data.outcome} by region ({groups.name})",
            extra_rows={"Region": [m.name for m in models]},
        )
    return pd.DataFrame(rows), table


def regress(
    panel: Panel,
    conventions: ProvinceConventions | None = None,
    *,
    outcome: str = "coupling",
    controls: Mapping[str, str] | None = None,
    mediators: Mapping[str, str] | None = None,
    entity_effects: bool = True,
    time_effects: bool = True,
    cluster: str = "entity",
    small_sample: str = "stata",
    heterogeneity: bool = True,
    n_boot: int = 999,
    level: float = 0.95,
    seed: int = 12345,
) -> RegressionResult:
    """Fixed-effects test of the NQPF effect on co-reduction, its channels and its regional heterogeneity.

    ``mediators={}`` skips the mediation; ``heterogeneity=False`` skips the regional models (one per group of the
    conventions' grouping)."""
    c = conventions or ProvinceConventions()
    data = regression_data(panel, c, outcome=outcome, controls=controls, mediators=mediators)
    frame, y = data.frame, data.outcome
    fe = {"entity_effects": entity_effects, "time_effects": time_effects}
    opts = {**fe, "cluster": cluster, "small_sample": small_sample, "effect_labels": ("Province FE", "Year FE")}
    models = [panel_fe(frame, y, ["nqpf"], name="baseline", **opts)]
    if data.controls:
        models.append(panel_fe(frame, y, ["nqpf", *data.controls], name="controls", **opts))
    main = RegressionTable(
        models,
        order=["nqpf", *data.controls],
        title=f"NQPF and {y}: two-way fixed effects",
        notes=[data.notes[-1].text("en")],
    )
    tables = {"main": main}
    notes = list(data.notes)
    mediation_table = pd.DataFrame()
    if data.mediators:
        mediation_table = _mediation_table(data, fe, n_boot, level, seed)
        notes.append(Note.of("note.regress.channels_in_index"))
    het = pd.DataFrame()
    if heterogeneity:
        het, het_table = _heterogeneity(data, c.grouping, opts)
        if het_table is not None:
            tables["heterogeneity"] = het_table
        notes.append(Note.of("note.regress.few_clusters"))
    rules = (
        Convention(
            "regress_effects",
            {(True, True): "two_way", (True, False): "entity", (False, True): "time"}.get(
                (entity_effects, time_effects), "none"
            ),
        ),
        Convention("regress_errors", models[-1].covariance),
        Convention("regress_stars", "standard"),
        Convention("regress_mediation", (n_boot, level, seed) if data.mediators else "not_run"),
        Convention("regress_heterogeneity", c.grouping if heterogeneity else "not_run"),
    )
    return RegressionResult(
        table=main.to_frame(),
        coefficients=main.numbers(),
        mediation=mediation_table,
        heterogeneity=het,
        data=frame.reset_index(),
        regression_tables=tables,
        conventions=(*data.conventions, *rules),
        notes=tuple(notes),
        missing=tuple(missing_rows(frame[["nqpf", y, *data.controls]])),
        sources=data.sources,
    )


def describe(result: RegressionResult) -> Sequence[str]:
    """One line per headline number: the NQPF coefficient of the main models and each channel's indirect effect."""
    lines = []
    coefs = result.coefficients
    for _, row in coefs[coefs["variable"] == "nqpf"].iterrows():
        lines.append(f"{row['model']} nqpf → {row['dependent']}: {row['coef']:.4f} (SE {row['std_err']:.4f})")
    if not result.mediation.empty:
        for _, row in result.mediation.iterrows():
            ci = [c for c in row.index if c.startswith("ci_")]
            lines.append(
                f"channel {row['channel']}: indirect {row['indirect a·b']:.4f} [{row[ci[0]]:.4f}, {row[ci[1]]:.4f}]"
            )
    return lines
