"""Does NQPF promote pollution–carbon co-reduction? Fixed-effects, mediation and regional-heterogeneity tests.

Data (province × year), each column built from the panel and recorded in the conventions:

* treatment ``nqpf``: the overall NQPF index of :func:`coreduce.analysis.nqpf.nqpf_index` (its own conventions
  are copied with the prefix ``nqpf:``);
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

import numpy as np
import pandas as pd

from coreduce.analysis.results import AnalysisResult, missing_frame, year_span
from coreduce.analysis.tables import RegressionTable
from coreduce.data.panel import Panel
from coreduce.geo import load_grouping, provinces
from coreduce.indicators.formula import evaluate, variables
from coreduce.methods.econometrics import RegressionError, mediation, panel_fe

DEFAULT_CONTROLS = {"ln_gdp_pc": "log(gdp / population)", "ln_population": "log(population)"}
DEFAULT_MEDIATORS = {
    "technology": "rd_expenditure / gdp",
    "industry": "va_tertiary / va_secondary",
    "energy": "electricity_nonfossil / electricity_generation",
}
ABSENT_CONTROLS = (
    "trade openness, foreign direct investment, government expenditure and urbanisation are usual controls in "
    "this literature but are not in the panel"
)


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
    """(geo, year) × name frame of each formula over the 31 provinces; errors name the spec and variable."""
    if not specs:
        return pd.DataFrame(index=pd.MultiIndex.from_tuples([], names=["geo", "year"]))
    needed = _check_specs(panel, specs, what)
    wide = panel.wide(needed, [p.code for p in provinces()])
    out = pd.DataFrame({name: evaluate(f, wide, where=f"{what} {name}") for name, f in specs.items()}, index=wide.index)
    return out.replace([np.inf, -np.inf], np.nan)


def _missing_rows(frame: pd.DataFrame) -> list[dict]:
    rows = []
    for col in frame.columns:
        flags = frame[col].isna()
        for geo, f in flags.groupby(level="geo"):
            years = f[f].index.get_level_values("year")
            if len(years):
                rows.append({"series": col, "geo": geo, "years": year_span(years), "reason": "absent; row left out"})
    return rows


@dataclass
class RegressionData:
    """The province-year frame of a regression with what went into it."""

    frame: pd.DataFrame
    outcome: str
    controls: list[str]
    mediators: list[str]
    conventions: dict[str, str]
    sources: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def regression_data(
    panel: Panel,
    *,
    outcome: str = "coupling",
    system: str = "default",
    controls: Mapping[str, str] | None = None,
    mediators: Mapping[str, str] | None = None,
    years: tuple[int, int] | None = None,
    nqpf_options: Mapping[str, object] | None = None,
    costatus_options: Mapping[str, object] | None = None,
) -> RegressionData:
    """Build the (geo, year)-indexed frame: ``nqpf``, the outcome, the controls and the channel variables."""
    from coreduce.analysis.imbalance import synergy_measure
    from coreduce.analysis.nqpf import nqpf_index

    controls = dict(DEFAULT_CONTROLS if controls is None else controls)
    mediators = dict(DEFAULT_MEDIATORS if mediators is None else mediators)
    clash = set(controls) & set(mediators) | ({"nqpf"} & (set(controls) | set(mediators)))
    if clash:
        raise RegressionError(f"names used twice among nqpf, controls and mediators: {', '.join(sorted(clash))}")
    if outcome != "coupling":
        _check_specs(panel, {outcome: outcome}, "outcome")
    _check_specs(panel, controls, "control")
    _check_specs(panel, mediators, "mediator")
    index = nqpf_index(panel, system, years=years, **dict(nqpf_options or {}))
    nq = index.to_frame().set_index(["geo", "year"])["overall"].rename("nqpf")
    first, last = (int(nq.index.get_level_values("year").min()), int(nq.index.get_level_values("year").max()))
    conventions = {f"nqpf: {k}": str(v) for k, v in index.conventions.items()}
    sources = [index.sources]
    notes = list(index.notes)
    if outcome == "coupling":
        frame, status = synergy_measure(panel, first, last, **dict(costatus_options or {}))
        y = frame.set_index(["geo", "year"])["coupling_D"].rename("coupling")
        conventions["outcome"] = "coupling coordination degree D of pollution and carbon reduction (costatus)"
        conventions.update({f"outcome: {k}": str(v) for k, v in status.conventions.items()})
        sources.append(status.sources)
        outcome_name = "coupling"
    else:
        y = _formula_columns(panel, {outcome: outcome}, "outcome")[outcome]
        conventions["outcome"] = f"{outcome} (formula over panel variables)"
        sources.append(panel.attribution(variables(outcome)))
        outcome_name = outcome
    parts = [nq, y.rename(outcome_name), _formula_columns(panel, controls, "control")]
    parts.append(_formula_columns(panel, mediators, "mediator"))
    frame = pd.concat(parts, axis=1, join="outer").sort_index()
    year = frame.index.get_level_values("year")
    frame = frame[(year >= first) & (year <= last)]
    frame = frame[frame["nqpf"].notna() | frame[outcome_name].notna()]
    needed = [v for f in [*controls.values(), *mediators.values()] for v in variables(f)]
    sources.append(panel.attribution(needed))
    conventions["controls"] = ", ".join(f"{k} = {v}" for k, v in controls.items()) or "none"
    conventions["channels (mediators)"] = ", ".join(f"{k} = {v}" for k, v in mediators.items()) or "none"
    conventions["sample years"] = f"{first}–{last} (the years of the NQPF index)"
    notes.append(f"Controls available in the panel only: {ABSENT_CONTROLS}.")
    return RegressionData(
        frame=frame,
        outcome=outcome_name,
        controls=list(controls),
        mediators=list(mediators),
        conventions=conventions,
        sources=pd.concat(sources, ignore_index=True).drop_duplicates().reset_index(drop=True),
        notes=notes,
    )


@dataclass
class RegressionResult(AnalysisResult):
    """An :class:`AnalysisResult` that also keeps the regression tables for LaTeX/HTML/RTF export."""

    regression_tables: dict[str, RegressionTable] = field(default_factory=dict)

    def export(self, path, which: str = "main"):
        """Write regression table ``which`` (``main`` or ``heterogeneity``) by suffix: .tex, .html, .rtf, …"""
        if which not in self.regression_tables:
            raise KeyError(f"no regression table {which!r}; tables: {', '.join(self.regression_tables)}")
        return self.regression_tables[which].write(path)


def regress(
    panel: Panel,
    *,
    outcome: str = "coupling",
    system: str = "default",
    controls: Mapping[str, str] | None = None,
    mediators: Mapping[str, str] | None = None,
    years: tuple[int, int] | None = None,
    entity_effects: bool = True,
    time_effects: bool = True,
    cluster: str = "entity",
    small_sample: str = "stata",
    grouping: str = "four_regions",
    heterogeneity: bool = True,
    n_boot: int = 999,
    level: float = 0.95,
    seed: int = 12345,
    nqpf_options: Mapping[str, object] | None = None,
    costatus_options: Mapping[str, object] | None = None,
) -> RegressionResult:
    """Fixed-effects test of the NQPF effect on co-reduction, its channels and its regional heterogeneity.

    ``mediators={}`` skips the mediation; ``heterogeneity=False`` skips the regional models.
    """
    data = regression_data(
        panel,
        outcome=outcome,
        system=system,
        controls=controls,
        mediators=mediators,
        years=years,
        nqpf_options=nqpf_options,
        costatus_options=costatus_options,
    )
    frame, y = data.frame, data.outcome
    fe = {"entity_effects": entity_effects, "time_effects": time_effects}
    opts = {**fe, "cluster": cluster, "small_sample": small_sample, "effect_labels": ("Province FE", "Year FE")}
    models = [panel_fe(frame, y, ["nqpf"], name="baseline", **opts)]
    if data.controls:
        models.append(panel_fe(frame, y, ["nqpf", *data.controls], name="controls", **opts))
    main = RegressionTable(
        models, order=["nqpf", *data.controls], title=f"NQPF and {y}: two-way fixed effects", notes=data.notes[-1:]
    )
    tables: dict[str, pd.DataFrame] = {"coefficients": main.numbers()}
    reg_tables = {"main": main}
    notes = list(data.notes)

    if data.mediators:
        meds = mediation(frame, y, "nqpf", data.mediators, data.controls, **fe, n_boot=n_boot, level=level, seed=seed)
        tables["mediation"] = pd.DataFrame(
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
        notes.append(
            "The default channel variables are also inputs of the default NQPF index; their mediation shares "
            "partly restate how the index is built."
        )

    if heterogeneity:
        groups = load_grouping(grouping)
        het_models, rows = [], []
        regressors = ["nqpf", *data.controls]
        for region, members in groups.groups.items():
            sub = frame[frame.index.get_level_values("geo").isin(members)]
            try:
                fit = panel_fe(sub, y, regressors, name=region, **opts)
            except RegressionError as exc:
                rows.append({"region": region, "members": len(members), "note": str(exc)})
                continue
            het_models.append(fit)
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
        tables["heterogeneity"] = pd.DataFrame(rows)
        if het_models:
            reg_tables["heterogeneity"] = RegressionTable(
                het_models,
                order=regressors,
                title=f"NQPF and {y} by region ({groups.name})",
                extra_rows={"Region": [m.name for m in het_models]},
            )
        notes.append(
            "Regional models cluster by province; with fewer than about 10 provinces per region (Central 6, "
            "Northeast 3) clustered errors are unreliable (Cameron & Miller 2015)."
        )

    conventions = {
        **data.conventions,
        "model": "two-way fixed effects (PanelOLS)"
        if entity_effects and time_effects
        else f"entity effects {entity_effects}, year effects {time_effects}",
        "standard errors": models[-1].covariance,
        "stars": "* p < 0.1, ** p < 0.05, *** p < 0.01",
        "mediation": f"product of coefficients a·b; {n_boot} entity-bootstrap replicates, percentile {level:.0%} "
        f"interval, seed {seed}"
        if data.mediators
        else "not run",
        "heterogeneity": f"separate regressions for each group of {grouping}" if heterogeneity else "not run",
    }
    used = pd.concat([frame[["nqpf", y, *data.controls]]], axis=1)
    return RegressionResult(
        title=f"NQPF and co-reduction ({y})",
        table=main.to_frame(),
        conventions=conventions,
        sources=data.sources,
        missing=missing_frame(_missing_rows(used)),
        notes=notes,
        tables={**tables, "data": frame.reset_index()},
        regression_tables=reg_tables,
    )


def describe(result: RegressionResult) -> Sequence[str]:
    """One line per headline number: the NQPF coefficient of the main models and each channel's indirect effect."""
    lines = []
    coefs = result.to_frame("coefficients")
    for _, row in coefs[coefs["variable"] == "nqpf"].iterrows():
        lines.append(f"{row['model']} nqpf → {row['dependent']}: {row['coef']:.4f} (SE {row['std_err']:.4f})")
    if "mediation" in result.tables:
        for _, row in result.tables["mediation"].iterrows():
            ci = [c for c in row.index if c.startswith("ci_")]
            lines.append(
                f"channel {row['channel']}: indirect {row['indirect a·b']:.4f} [{row[ci[0]]:.4f}, {row[ci[1]]:.4f}]"
            )
    return lines


WEIGHTS = ("queen", "distance")
ALBERS_CHINA = "+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +ellps=WGS84"


def province_weights(kind: str = "queen", *, power: float = 1.0, boundaries=None):
    """Row-standardised weights of the 31 provinces from the DataV boundaries (``kind``: queen or distance).

    ``queen``: queen contiguity with Hainan linked to Guangdong; ``distance``: inverse geodesic distance between
    the provinces' centroids (computed in an Albers equal-area projection of China), power ``power``.
    """
    from coreduce.geo.boundaries import province_boundaries
    from coreduce.methods.spatial import contiguity_weights, inverse_distance_weights

    if kind not in WEIGHTS:
        raise RegressionError(f"weights must be one of {', '.join(WEIGHTS)}; got {kind!r}")
    shapes = province_boundaries() if boundaries is None else boundaries
    if kind == "queen":
        return contiguity_weights(shapes, shapes["code"], links=[("460000", "440000")])
    points = shapes.to_crs(ALBERS_CHINA).centroid.to_crs(4326)
    return inverse_distance_weights(points.x, points.y, shapes["code"], power=power)


def balanced_window(frame: pd.DataFrame, min_years: int = 3) -> tuple[list[str], list[int]]:
    """Units and contiguous years of the largest balanced block (units × years) of a (geo, year) frame."""
    complete = frame.notna().all(axis=1).unstack(level="year", fill_value=False)
    years = list(complete.columns)
    best: tuple[int, list[str], list[int]] = (0, [], [])
    for i in range(len(years)):
        for j in range(i + min_years - 1, len(years)):
            span = years[i : j + 1]
            if span[-1] - span[0] != len(span) - 1:
                continue
            units = list(complete.index[complete[span].all(axis=1)])
            if len(units) * len(span) > best[0]:
                best = (len(units) * len(span), units, span)
    if not best[1]:
        raise RegressionError(f"no {min_years} consecutive years in which any province has complete data")
    return [str(u) for u in best[1]], [int(y) for y in best[2]]


def spatial_regress(
    panel: Panel,
    *,
    outcome: str = "coupling",
    system: str = "default",
    controls: Mapping[str, str] | None = None,
    weights: str = "queen",
    years: tuple[int, int] | None = None,
    durbin: bool = True,
    correction: str = "lee-yu",
    draws: int = 1000,
    seed: int = 12345,
    nqpf_options: Mapping[str, object] | None = None,
    costatus_options: Mapping[str, object] | None = None,
    boundaries=None,
) -> RegressionResult:
    """Moran's I of NQPF and the outcome by year, and the spatial Durbin panel of the outcome on NQPF.

    The spatial panel must be balanced: within ``years`` (default: all years of the NQPF index) the largest
    block of provinces × consecutive years with complete data is used; the provinces left out are listed under
    ``missing`` and the weights are restricted to the rest and re-standardised.
    """
    from coreduce.methods.spatial import SpatialError, moran_by_period, spatial_durbin, subset_weights

    if weights not in WEIGHTS:
        raise RegressionError(f"weights must be one of {', '.join(WEIGHTS)}; got {weights!r}")
    data = regression_data(
        panel,
        outcome=outcome,
        system=system,
        controls=controls,
        mediators={},
        years=years,
        nqpf_options=nqpf_options,
        costatus_options=costatus_options,
    )
    y = data.outcome
    cols = ["nqpf", y, *data.controls]
    frame = data.frame[cols]
    units, span = balanced_window(frame)
    full = province_weights(weights, boundaries=boundaries)
    try:
        w = subset_weights(full, units)
    except SpatialError as exc:
        raise RegressionError(f"spatial weights for the provinces with data: {exc}") from exc
    block = frame.loc[(units, span), :]
    sdm = spatial_durbin(block, y, ["nqpf", *data.controls], w, durbin=durbin, correction=correction, draws=draws)
    moran_rows = []
    for column in ("nqpf", y):
        m = moran_by_period(block, column, w, seed=seed)
        moran_rows.append(m.assign(variable=column))
    left_out = sorted((set(frame.index.get_level_values("geo")) | {p.code for p in provinces()}) - set(units))
    missing = [
        {"series": ", ".join(cols), "geo": g, "years": f"{span[0]}–{span[-1]}", "reason": "incomplete; left out"}
        for g in left_out
    ]
    conventions = {
        **data.conventions,
        "spatial weights": "queen contiguity, Hainan linked to Guangdong, row-standardised"
        if weights == "queen"
        else "inverse geodesic distance between province centroids (Albers equal-area), row-standardised",
        **{f"spatial: {k}": v for k, v in sdm.conventions.items()},
        "spatial sample": f"{len(units)} provinces × {span[0]}–{span[-1]} (largest balanced block)",
        "Moran's I": "esda, two-sided normal-approximation and permutation (999) p-values, per year",
    }
    coef = sdm.coefficients.reset_index()
    table = coef.assign(
        coef_text=[
            f"{c:.4f}{'*' * sum(p < t for t in (0.1, 0.05, 0.01))}"
            for c, p in zip(coef["coef"], coef["p_value"], strict=True)
        ],
        se_text=[f"({s:.4f})" for s in coef["std_err"]],
    )
    return RegressionResult(
        title=f"Spatial {'Durbin' if durbin else 'lag'} panel: NQPF and {y}",
        table=table,
        conventions=conventions,
        sources=data.sources,
        missing=missing_frame(missing),
        notes=[
            *data.notes[-1:],
            f"ρ = {sdm.rho:.4f} (SE {sdm.rho_se:.4f}); log-likelihood {sdm.logll:.2f}; pseudo R² {sdm.pseudo_r2:.3f}; "
            f"N = {sdm.nobs}.",
        ],
        tables={"effects": sdm.effects, "moran": pd.concat(moran_rows, ignore_index=True), "data": block.reset_index()},
        regression_tables={"spatial": _spatial_table(sdm, ["nqpf", *data.controls], y, durbin)},
    )


def _spatial_table(sdm, regressors: list[str], outcome: str, durbin: bool) -> RegressionTable:
    """Columns β, θ (W·X), direct, indirect and total effects of the spatial model, one row per regressor."""
    from coreduce.methods.econometrics import FittedModel

    coef = sdm.coefficients
    common = {
        "nobs": sdm.nobs,
        "rsquared": sdm.pseudo_r2,
        "rsquared_label": "pseudo R²",
        "covariance": "ML, observed information; effects: simulated (LeSage & Pace 2009)",
    }
    fe = {"Province FE": True, "Year FE": True}

    def model(label: str, params: pd.DataFrame, effects: dict[str, bool]) -> FittedModel:
        return FittedModel(
            name=label,
            dependent=label,
            params=params["coef"],
            std_errors=params["std_err"],
            pvalues=params["p_value"],
            effects=effects,
            **common,
        )

    main_rows = coef.loc[[*regressors, "rho (W·y)"]]
    models = [model("β", main_rows, fe)]
    if durbin:
        theta = coef.loc[[f"W·{r}" for r in regressors]].rename(index=lambda t: t[2:])
        models.append(model("θ (W·X)", theta, fe))
    for kind in ("direct", "indirect", "total"):
        part = sdm.effects[sdm.effects["effect"] == kind].set_index("variable")
        part = part.rename(columns={"estimate": "coef"})[["coef", "std_err", "p_value"]]
        models.append(model(kind, part, fe))
    return RegressionTable(
        models,
        order=[*regressors, "rho (W·y)"],
        title=f"Spatial {'Durbin' if durbin else 'lag'} panel of {outcome}: coefficients and effects",
    )


SPEC_KEYS = {
    "outcome": str,
    "system": str,
    "years": list,
    "cluster": str,
    "small_sample": str,
    "grouping": str,
    "heterogeneity": bool,
    "effects": list,
    "controls": dict,
    "mediators": dict,
    "nqpf": dict,
    "costatus": dict,
    "bootstrap": dict,
    "spatial": dict,
}
SPATIAL_KEYS = {"weights": str, "durbin": bool, "correction": str, "draws": int}


def load_spec(path) -> dict[str, object]:
    """Read a regression spec (TOML) into keyword arguments of :func:`regress` (plus ``spatial`` options).

    Keys: outcome, system, years = [first, last], cluster, small_sample, grouping, heterogeneity,
    effects = ["entity", "time"], tables [controls] and [mediators] (name = formula), [nqpf] (options of
    ``nqpf_index``), [costatus], [bootstrap] (n, level, seed) and [spatial] (weights, durbin, correction, draws).
    Errors name the file and the key.
    """
    import tomllib
    from pathlib import Path

    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegressionError(f"{path}: spec file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegressionError(f"{path}: not valid TOML ({exc})") from None
    unknown = sorted(set(raw) - set(SPEC_KEYS))
    if unknown:
        raise RegressionError(f"{path}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(SPEC_KEYS)}")
    for key, kind in SPEC_KEYS.items():
        if key in raw and not isinstance(raw[key], kind):
            raise RegressionError(f"{path}: {key} must be a {kind.__name__}, not {type(raw[key]).__name__}")
    out: dict[str, object] = {}
    for key in ("outcome", "system", "cluster", "small_sample", "grouping", "heterogeneity"):
        if key in raw:
            out[key] = raw[key]
    if "years" in raw:
        years = raw["years"]
        if len(years) != 2 or not all(isinstance(y, int) for y in years) or years[0] >= years[1]:
            raise RegressionError(f"{path}: years must be two years, first before last; got {years}")
        out["years"] = (years[0], years[1])
    if "effects" in raw:
        bad = sorted(set(raw["effects"]) - {"entity", "time"})
        if bad:
            raise RegressionError(f"{path}: effects may be 'entity' and 'time'; got {', '.join(map(str, bad))}")
        out["entity_effects"] = "entity" in raw["effects"]
        out["time_effects"] = "time" in raw["effects"]
    for key in ("controls", "mediators"):
        if key in raw:
            table = raw[key]
            bad = [k for k, v in table.items() if not isinstance(v, str)]
            if bad:
                raise RegressionError(f"{path}: table {key}: {', '.join(bad)} must be formulas (strings)")
            out[key] = dict(table)
    if "nqpf" in raw:
        out["nqpf_options"] = dict(raw["nqpf"])
    if "costatus" in raw:
        out["costatus_options"] = dict(raw["costatus"])
    boot = raw.get("bootstrap", {})
    bad = sorted(set(boot) - {"n", "level", "seed"})
    if bad:
        raise RegressionError(f"{path}: table bootstrap: unknown key(s) {', '.join(bad)}; allowed: n, level, seed")
    for src, dst in (("n", "n_boot"), ("level", "level"), ("seed", "seed")):
        if src in boot:
            out[dst] = boot[src]
    if "spatial" in raw:
        spatial = raw["spatial"]
        bad = sorted(set(spatial) - set(SPATIAL_KEYS))
        if bad:
            raise RegressionError(
                f"{path}: [spatial] unknown key(s) {', '.join(bad)}; allowed: {', '.join(SPATIAL_KEYS)}"
            )
        for key, kind in SPATIAL_KEYS.items():
            if key in spatial and not isinstance(spatial[key], kind):
                raise RegressionError(f"{path}: table spatial: {key} must be a {kind.__name__}")
        out["spatial"] = dict(spatial)
    return out
